package gateway

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"takehome/grader"
)

// Store is what the gateway keeps in PostgreSQL: tokens, budgets, calls.
type Store interface {
	LLMGrant(ctx context.Context, hash []byte, now time.Time) (grader.ModelGrant, error)
	LLMBudgetLeft(ctx context.Context, runID int64, phase string) (int64, error)
	ReserveLLMCall(ctx context.Context, c grader.ModelCall) (int64, error)
	SettleLLMCall(ctx context.Context, c grader.ModelCall, now time.Time) error
	RecordLLMRefusal(ctx context.Context, c grader.ModelCall, now time.Time) error
}

// Limits on calls in flight: per step token, and for the whole gateway.
const (
	PerStepInFlight = 8
	InFlight        = 64
)

// Config is what a Server is made of.
type Config struct {
	Store     Store
	Providers []*Provider    // fixed providers; the builtin one is always there
	Source    ProviderSource // the providers admins configured, read as needed
	Log       *slog.Logger
	Now       func() time.Time
	Metrics   *Metrics // optional
	InFlight  int      // gateway-wide cap; InFlight when 0
}

// Server is the gateway: OpenAI's API for sandboxed steps, each call
// authenticated by its step's token, checked, priced, reserved against the
// run's budget, forwarded, metered, settled and recorded.
type Server struct {
	store     Store
	providers *providers
	log       *slog.Logger
	now       func() time.Time
	metrics   *Metrics
	flights   *flights
	mux       *http.ServeMux
}

// New makes a Server.
func New(cfg Config) *Server {
	s := &Server{store: cfg.Store, log: cfg.Log, now: cfg.Now, metrics: cfg.Metrics, mux: http.NewServeMux()}
	if s.now == nil {
		s.now = time.Now
	}
	s.providers = newProviders(cfg.Providers, cfg.Source, s.now)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	limit := cfg.InFlight
	if limit <= 0 {
		limit = InFlight
	}
	s.flights = newFlights(PerStepInFlight, limit)
	s.mux.HandleFunc("GET /v1/models", s.authed(s.models))
	s.mux.HandleFunc("POST /v1/chat/completions", s.authed(s.chat))
	s.mux.HandleFunc("POST /v1/embeddings", s.authed(s.embeddings))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		code := "not_found"
		(&Error{Status: http.StatusNotFound, Type: "invalid_request_error", Code: &code,
			Message: "The gateway serves GET /v1/models, POST /v1/chat/completions and POST /v1/embeddings, not " + r.Method + " " + r.URL.Path}).Write(w)
	})
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// caller is an authenticated request's step.
type caller struct {
	grant grader.ModelGrant
	token [32]byte // the token's hash: the key of its in-flight count
}

// authed resolves the bearer token to its step's grant. Identity comes
// from the token only, never from a field of the request.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			unauthorized().Write(w)
			return
		}
		c := caller{token: sha256.Sum256([]byte(token))}
		g, err := s.store.LLMGrant(r.Context(), c.token[:], s.now())
		if grader.ErrorCode(err) == grader.CodeUnauthorized {
			unauthorized().Write(w)
			return
		}
		if err != nil {
			s.log.Error("gateway: look up a token", "err", err)
			upstreamFailed(0, "the gateway could not check the API key").Write(w)
			return
		}
		c.grant = g
		h(w, r, c)
	}
}

// models lists the models the step may call.
func (s *Server) models(w http.ResponseWriter, _ *http.Request, c caller) {
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	list := struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{Object: "list", Data: []model{}}
	for _, m := range c.grant.Models {
		list.Data = append(list.Data, model{ID: m.Name, Object: "model", OwnedBy: c.grant.Provider})
	}
	writeJSON(w, http.StatusOK, list)
}
