package metrics

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// readyTimeout bounds each readiness check.
const readyTimeout = 3 * time.Second

// Readiness is the answer of /readyz: "ok" or "unavailable", and each
// check's "ok" or "fail".
type Readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// Ready runs every named check, each bounded by a few seconds, and logs
// the failures.
func Ready(ctx context.Context, checks map[string]func(context.Context) error, log *slog.Logger) Readiness {
	r := Readiness{Status: "ok", Checks: make(map[string]string, len(checks))}
	for _, name := range slices.Sorted(maps.Keys(checks)) {
		r.Checks[name] = "ok"
		cctx, cancel := context.WithTimeout(ctx, readyTimeout)
		err := checks[name](cctx)
		cancel()
		if err != nil {
			log.WarnContext(ctx, "readiness check failed", "check", name, "err", err)
			r.Checks[name], r.Status = "fail", "unavailable"
		}
	}
	return r
}

// HTTPStatus is 200 when every check passed, 503 otherwise.
func (r Readiness) HTTPStatus() int {
	if r.Status == "ok" {
		return http.StatusOK
	}
	return http.StatusServiceUnavailable
}

// Handler serves a process without web pages (runner worker): /metrics
// from g, /healthz while it runs, /readyz with the checks.
func Handler(g prometheus.Gatherer, checks map[string]func(context.Context) error, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ready := Ready(r.Context(), checks, log)
		writeJSON(w, ready.HTTPStatus(), ready)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone
}
