package rag

import (
	"fmt"

	"takehome/exercises"
)

// speed adds what the pipeline cost to run: index time, query throughput
// and each phase's peak memory, as the sandbox measured them. Steps the
// pipeline did not report (a scorer called outside it) add nothing.
func speed(res *exercises.Result, usage map[string]exercises.StepUsage, queries int) {
	index, okIndex := usage["index"]
	query, okQuery := usage["query"]
	if !okIndex || !okQuery {
		return
	}
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	res.Metrics = append(res.Metrics,
		metric("index seconds", index.Wall.Seconds(), "wall time of the index phase, container start to exit"),
		metric("index peak memory MB", mb(index.PeakMemory), "the index container's peak memory (cgroup high-water mark), MiB"),
		metric("query seconds", query.Wall.Seconds(), "wall time of the query phase, container start to exit"),
		metric("query peak memory MB", mb(query.PeakMemory), "the query container's peak memory (cgroup high-water mark), MiB"),
	)
	sentence := fmt.Sprintf("Indexing took %.1f s (peak %.0f MiB); answering %d queries took %.1f s (peak %.0f MiB)",
		index.Wall.Seconds(), mb(index.PeakMemory), queries, query.Wall.Seconds(), mb(query.PeakMemory))
	if s := query.Wall.Seconds(); s > 0 {
		qps := float64(queries) / s
		res.Metrics = append(res.Metrics, metric("queries per second", qps,
			"queries / query phase wall time, including the container's start and the loading of the index"))
		sentence += fmt.Sprintf(", %.0f queries per second including start-up", qps)
	}
	res.Findings = append(res.Findings, sentence+".")
}
