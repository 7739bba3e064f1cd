package gateway_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"takehome/gateway"
	"takehome/grader"
)

// A provider an admin configured is found in the store: the call goes to
// its URL with its key, and is counted in the gateway's metrics by
// provider, model and status, never by run. A version naming a provider
// nobody configured gets a clear 503 and costs nothing.
func TestAdminProviderAndMetrics(t *testing.T) {
	r := newUpRig(t, func(w http.ResponseWriter, _ *http.Request) { writeCompletion(w, "thirty days", &[2]int{12, 3}) })
	ctx := t.Context()
	if err := r.store.SaveLLMProvider(ctx, grader.LLMProvider{Name: "team-vllm", BaseURL: r.up.srv.URL + "/v1", Key: "sk-admin-set",
		MaxTokensField: "max_tokens", UpdatedAt: time.Now(), UpdatedBy: "admin@example.com"}); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	r.srv = httptest.NewServer(gateway.New(gateway.Config{Store: r.store, Source: r.store, Metrics: gateway.NewMetrics(reg)}))
	t.Cleanup(r.srv.Close)
	access := fakeAccess()
	access.Provider = "team-vllm"
	token := r.grant(t, "admin-provider", access)
	resp, body := r.chat(t, token, upChat(nil))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	got := r.up.requests()
	if len(got) != 1 || got[0].Header.Get("Authorization") != "Bearer sk-admin-set" || got[0].Body["max_tokens"] == nil {
		t.Fatalf("upstream saw %+v", got)
	}
	if n, series := requestsTotal(t, reg, "team-vllm", "ok"); n != 1 || series != 1 {
		t.Errorf("requests_total{provider=team-vllm,status=ok} = %v in %d series, want 1 in 1", n, series)
	}
	access.Provider = "nobody-configured"
	resp, body = r.chat(t, r.grant(t, "missing-provider", access), upChat(nil))
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "provider_not_configured") {
		t.Errorf("unknown provider: %d %s", resp.StatusCode, body)
	}
	if len(r.up.requests()) != 1 {
		t.Error("a call for an unknown provider reached an upstream")
	}
}

// requestsTotal is the requests_total count of a provider and status, and
// how many series the counter has in all.
func requestsTotal(t *testing.T, reg *prometheus.Registry, provider, status string) (n float64, series int) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "takehome_llm_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			series++
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if _, ok := labels["run_id"]; ok {
				t.Errorf("a run id is a label: %v", labels)
			}
			if labels["provider"] == provider && labels["status"] == status {
				n += m.GetCounter().GetValue()
			}
		}
	}
	return n, series
}
