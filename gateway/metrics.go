package gateway

import (
	"github.com/prometheus/client_golang/prometheus"

	"takehome/grader"
)

// Metrics are the gateway's Prometheus collectors. No run or submission id
// is a label: those are in the call records.
type Metrics struct {
	calls   *prometheus.CounterVec
	tokens  *prometheus.CounterVec
	cost    *prometheus.CounterVec
	latency *prometheus.HistogramVec
}

// NewMetrics registers the gateway's collectors.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "takehome_llm_requests_total", Help: "Model calls through the gateway, by provider, model and status.",
		}, []string{"provider", "model", "status"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "takehome_llm_tokens_total", Help: "Tokens of settled model calls, by provider, model and kind (prompt, completion).",
		}, []string{"provider", "model", "kind"}),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "takehome_llm_cost_micro_usd_total", Help: "Cost charged for model calls, in micro-USD.",
		}, []string{"provider", "model"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "takehome_llm_latency_seconds", Help: "Total latency of model calls through the gateway.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
		}, []string{"provider", "model"}),
	}
	reg.MustRegister(m.calls, m.tokens, m.cost, m.latency)
	return m
}

// observe counts one finished or refused call; nil Metrics count nothing.
func (m *Metrics) observe(c grader.ModelCall) {
	if m == nil {
		return
	}
	m.calls.WithLabelValues(c.Provider, c.Model, c.Status).Inc()
	m.tokens.WithLabelValues(c.Provider, c.Model, "prompt").Add(float64(c.PromptTokens))
	m.tokens.WithLabelValues(c.Provider, c.Model, "completion").Add(float64(c.CompletionTokens))
	m.cost.WithLabelValues(c.Provider, c.Model).Add(float64(c.CostMicro))
	m.latency.WithLabelValues(c.Provider, c.Model).Observe(c.Total.Seconds())
}
