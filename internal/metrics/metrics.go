// Package metrics holds the runner's Prometheus collectors.
package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"takehome/grader"
)

// Metrics records runs, steps and queue depth.
type Metrics struct {
	Registry *prometheus.Registry
	runs     *prometheus.CounterVec
	phases   *prometheus.HistogramVec
}

// DepthFunc counts queued grading jobs by state.
type DepthFunc func(ctx context.Context) (map[string]int, error)

// New returns metrics registered on a fresh registry. depth may be nil.
func New(depth DepthFunc, logger *slog.Logger) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "takehome_runs_total",
			Help: "Grading runs by how they ended (graded, invalid, infra_error, canceled, abandoned).",
		}, []string{"outcome"}),
		phases: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "takehome_phase_duration_seconds",
			Help:    "Wall time of sandboxed steps by phase and verdict.",
			Buckets: prometheus.ExponentialBuckets(0.25, 2, 14),
		}, []string{"phase", "verdict"}),
	}
	m.Registry.MustRegister(m.runs, m.phases,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if depth != nil {
		m.Registry.MustRegister(&depthCollector{depth: depth, logger: logger})
	}
	return m
}

// WatchSandbox reports, at scrape time, how many sandbox containers this
// process runs (inUse) of at most limit.
func (m *Metrics) WatchSandbox(inUse func() int, limit int) {
	limitGauge := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "takehome_sandbox_containers_limit",
		Help: "Most sandbox step containers this process runs at once (--max-containers).",
	})
	limitGauge.Set(float64(limit))
	m.Registry.MustRegister(limitGauge, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "takehome_sandbox_containers",
		Help: "Sandbox step containers running now on this process's engine.",
	}, func() float64 { return float64(inUse()) }))
}

// RunDone counts a finished run.
func (m *Metrics) RunDone(outcome string) { m.runs.WithLabelValues(outcome).Inc() }

// StepDone records a step's wall time.
func (m *Metrics) StepDone(phase string, verdict grader.Verdict, wall time.Duration) {
	m.phases.WithLabelValues(phase, string(verdict)).Observe(wall.Seconds())
}

var depthDesc = prometheus.NewDesc("takehome_queue_depth", "Grading jobs by state (available, scheduled, retryable, running).", []string{"state"}, nil)

// depthCollector asks the queue at scrape time, so the gauge is never stale.
type depthCollector struct {
	depth  DepthFunc
	logger *slog.Logger
}

func (c *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc }

func (c *depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, err := c.depth(ctx)
	if err != nil {
		c.logger.Warn("collect queue depth", "err", err)
		return
	}
	for _, state := range []string{"available", "scheduled", "retryable", "running"} {
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(depth[state]), state)
	}
}
