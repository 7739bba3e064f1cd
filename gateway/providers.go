package gateway

import (
	"context"
	"net/http"
	"sync"
	"time"

	"takehome/grader"
)

// ProviderSource finds the providers admins configured.
type ProviderSource interface {
	LLMProvider(ctx context.Context, name string) (grader.LLMProvider, error)
}

// providerTTL is how long a looked-up provider is used before it is read
// again, so an admin's change reaches running gateways within it.
const providerTTL = 30 * time.Second

// callTimeout bounds one call to an external provider, streams included.
const callTimeout = 10 * time.Minute

// providers resolves provider names: the fixed ones first (builtin, and
// any a test or a deployment passes in), then the admins' list.
type providers struct {
	fixed  map[string]*Provider
	source ProviderSource
	client *http.Client
	now    func() time.Time

	mu     sync.Mutex
	cached map[string]cachedProvider
}

type cachedProvider struct {
	p       *Provider
	fetched time.Time
}

func newProviders(fixed []*Provider, source ProviderSource, now func() time.Time) *providers {
	ps := &providers{fixed: map[string]*Provider{BuiltinName: Builtin()}, source: source, now: now,
		cached: map[string]cachedProvider{},
		client: &http.Client{Timeout: callTimeout, Transport: &http.Transport{
			Proxy: nil, MaxIdleConnsPerHost: InFlight, IdleConnTimeout: 90 * time.Second, ForceAttemptHTTP2: true,
		}}}
	for _, p := range fixed {
		ps.fixed[p.Name] = p
	}
	return ps
}

// get returns the provider of that name; an unknown one is a 503 the
// caller can act on (the version names a provider nobody configured).
func (ps *providers) get(ctx context.Context, name string) (*Provider, *Error) {
	if p, ok := ps.fixed[name]; ok {
		return p, nil
	}
	ps.mu.Lock()
	c, ok := ps.cached[name]
	ps.mu.Unlock()
	if ok && ps.now().Sub(c.fetched) < providerTTL {
		return c.p, nil
	}
	if ps.source == nil {
		return nil, notConfigured(name)
	}
	cfg, err := ps.source.LLMProvider(ctx, name)
	if err != nil {
		return nil, notConfigured(name)
	}
	p := &Provider{Name: cfg.Name, BaseURL: cfg.BaseURL, Key: cfg.Key, External: true, MaxTokensField: cfg.MaxTokensField, Client: ps.client}
	ps.mu.Lock()
	ps.cached[name] = cachedProvider{p: p, fetched: ps.now()}
	ps.mu.Unlock()
	return p, nil
}

func notConfigured(name string) *Error {
	code := "provider_not_configured"
	return &Error{Status: http.StatusServiceUnavailable, Type: "api_error", Code: &code,
		Message: "The model provider " + name + " this exercise uses is not configured on the platform: tell the hiring team."}
}
