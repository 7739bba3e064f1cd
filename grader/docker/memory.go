package docker

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/docker/docker/api/types/container"
)

// watchMemory samples the container's memory while it runs and returns a
// function giving the peak seen, 0 when nothing was reported. Two sources,
// the larger wins: the engine's stats stream (one sample a second, so a
// phase of a second or two may end before its peak is sampled), and, when
// the runner shares the engine's host, the cgroup's own high-water mark read
// every 20 ms (cgroup v1 memory.max_usage_in_bytes, v2 memory.peak). The
// kernel keeps the high-water mark, so the last read before the exit is
// exact; on cgroup v2 without memory.peak the stream's current usage is a
// lower bound.
func (s *Sandbox) watchMemory(ctx context.Context, id string) func() int64 {
	ctx, cancel := context.WithCancel(ctx)
	var peak atomic.Int64
	done := make(chan struct{}, 2)
	go func() {
		defer func() { done <- struct{}{} }()
		sampleMemory(ctx, s, id, &peak)
	}()
	go func() {
		defer func() { done <- struct{}{} }()
		pollCgroupPeak(ctx, id, &peak)
	}()
	return func() int64 {
		cancel() // the stream stays open after the exit; nothing more will come
		<-done
		<-done
		return peak.Load()
	}
}

// cgroupPeakFiles are where the engine's cgroupfs and systemd drivers put a
// container's memory high-water mark, on cgroup v1 and v2.
func cgroupPeakFiles(id string) []string {
	return []string{
		filepath.Join("/sys/fs/cgroup/memory/docker", id, "memory.max_usage_in_bytes"),
		filepath.Join("/sys/fs/cgroup/memory/system.slice", "docker-"+id+".scope", "memory.max_usage_in_bytes"),
		filepath.Join("/sys/fs/cgroup/docker", id, "memory.peak"),
		filepath.Join("/sys/fs/cgroup/system.slice", "docker-"+id+".scope", "memory.peak"),
	}
}

// pollCgroupPeak reads the first cgroup peak file that exists until ctx ends
// or the file goes away with the container.
func pollCgroupPeak(ctx context.Context, id string, peak *atomic.Int64) {
	var file string
	for _, f := range cgroupPeakFiles(id) {
		if _, err := os.Stat(f); err == nil {
			file = f
			break
		}
	}
	if file == "" {
		return // not on the engine's host, or another layout: the stream alone
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		data, err := os.ReadFile(file)
		if err != nil {
			return
		}
		if m, err := strconv.ParseInt(string(bytes.TrimSpace(data)), 10, 64); err == nil {
			raise(peak, m)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
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
		raise(peak, int64(max(st.MemoryStats.MaxUsage, st.MemoryStats.Usage)))
	}
}

// raise sets peak to m when m is larger; two samplers race to it.
func raise(peak *atomic.Int64, m int64) {
	for {
		old := peak.Load()
		if m <= old || peak.CompareAndSwap(old, m) {
			return
		}
	}
}
