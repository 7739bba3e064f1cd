package docker

import (
	"context"
	"encoding/json"
	"sync/atomic"

	"github.com/docker/docker/api/types/container"
)

// watchMemory samples the engine's stats stream while the container runs
// and returns a function giving the peak seen, 0 when the engine reported
// nothing. On cgroup v1 the engine reports max_usage, the kernel's own
// high-water mark, so a sample shortly before the exit is exact; on cgroup v2
// only current usage exists and the peak is a lower bound.
func (s *Sandbox) watchMemory(ctx context.Context, id string) func() int64 {
	ctx, cancel := context.WithCancel(ctx)
	var peak atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		sampleMemory(ctx, s, id, &peak)
	}()
	return func() int64 {
		cancel() // the stream stays open after the exit; nothing more will come
		<-done
		return peak.Load()
	}
}

func sampleMemory(ctx context.Context, s *Sandbox, id string, peak *atomic.Int64) {
	resp, err := s.cli.ContainerStats(ctx, id, true)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var st container.StatsResponse
		if err := dec.Decode(&st); err != nil {
			return
		}
		m := int64(max(st.MemoryStats.MaxUsage, st.MemoryStats.Usage))
		if m > peak.Load() {
			peak.Store(m)
		}
	}
}
