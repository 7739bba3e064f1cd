package docker

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/docker/docker/api/types/container"
)

// usage is what a step's container took, as far as the engine and its host
// tell.
type usage struct {
	peakMemory int64 // bytes; 0 when nothing was reported
	pidsHits   int64 // times the pids limit refused a new process or thread
	cpuNanos   int64 // CPU time of everything in the container's cgroup
	oomKills   int64 // processes the kernel's OOM killer ended in the cgroup
}

// counters are the running maxima two samplers race to raise.
type counters struct{ peakMemory, pidsHits, cpuNanos, oomKills atomic.Int64 }

// watchUsage samples the container while it runs and returns a function
// giving what it took. Two sources, the larger wins: the engine's stats
// stream (one sample a second, so a phase of a second or two may end before
// its peak is sampled), and, when the runner shares the engine's host, the
// cgroup's own counters read every 20 ms: the memory high-water mark
// (cgroup v1 memory.max_usage_in_bytes, v2 memory.peak), pids.events,
// where the kernel counts the forks the pids limit refused, the OOM
// killer's kills (v1 memory.oom_control, v2 memory.events: the engine's
// own OOMKilled flag comes from an event the runtime may lose, as runsc
// did once in CI) and the CPU time used (v1 cpuacct.usage, v2 cpu.stat
// usage_usec). The kernel keeps them, so the last read before the exit is exact; on cgroup v2 without
// memory.peak the stream's current usage is a lower bound, and the stream
// alone only tells that the pids limit was reached.
func (s *Sandbox) watchUsage(ctx context.Context, id string) func() usage {
	ctx, cancel := context.WithCancel(ctx)
	var c counters
	done := make(chan struct{}, 2)
	go func() {
		defer func() { done <- struct{}{} }()
		sampleStats(ctx, s, id, &c)
	}()
	go func() {
		defer func() { done <- struct{}{} }()
		pollCgroup(ctx, id, &c)
	}()
	return func() usage {
		cancel() // the stream stays open after the exit; nothing more will come
		<-done
		<-done
		return usage{peakMemory: c.peakMemory.Load(), pidsHits: c.pidsHits.Load(), cpuNanos: c.cpuNanos.Load(), oomKills: c.oomKills.Load()}
	}
}

// cgroupDirs are where the engine's cgroupfs and systemd drivers put a
// container's cgroup for a controller ("" on cgroup v2, which has one tree).
func cgroupDirs(controller, id string) []string {
	root := filepath.Join("/sys/fs/cgroup", controller)
	return []string{filepath.Join(root, "docker", id), filepath.Join(root, "system.slice", "docker-"+id+".scope")}
}

// cgroupFile is the first of the container's cgroup files that exists, ""
// when the runner is not on the engine's host or the layout is another.
func cgroupFile(id string, candidates ...[2]string) string {
	for _, c := range candidates {
		for _, dir := range cgroupDirs(c[0], id) {
			f := filepath.Join(dir, c[1])
			if _, err := os.Stat(f); err == nil {
				return f
			}
		}
	}
	return ""
}

// pollCgroup reads the container's cgroup counters until ctx ends or the
// files go away with the container.
func pollCgroup(ctx context.Context, id string, c *counters) {
	memory := cgroupFile(id, [2]string{"memory", "memory.max_usage_in_bytes"}, [2]string{"", "memory.peak"})
	pids := cgroupFile(id, [2]string{"pids", "pids.events"}, [2]string{"", "pids.events"})
	cpuV1 := cgroupFile(id, [2]string{"cpuacct", "cpuacct.usage"})
	cpuV2 := cgroupFile(id, [2]string{"", "cpu.stat"})
	oom := cgroupFile(id, [2]string{"memory", "memory.oom_control"}, [2]string{"", "memory.events"})
	if memory == "" && pids == "" && cpuV1 == "" && cpuV2 == "" {
		return // the stream alone
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		m, okM := readCounter(memory, "")
		p, okP := readCounter(pids, "max ")
		cpu, okC := readCounter(cpuV1, "")
		if usec, ok := readCounter(cpuV2, "usage_usec "); cpuV2 != "" {
			cpu, okC = usec*1000, ok
		}
		kills, okK := readCounter(oom, "oom_kill ")
		if !okM && !okP && !okC && !okK {
			return
		}
		raise(&c.peakMemory, m)
		raise(&c.pidsHits, p)
		raise(&c.cpuNanos, cpu)
		raise(&c.oomKills, kills)
		if ctx.Err() != nil {
			return
		}
		select { // once more after the end: the files may outlive the exit
		case <-ctx.Done():
		case <-tick.C:
		}
	}
}

// readCounter reads an integer file, or the value after prefix on one of
// its lines (pids.events: "max 21").
func readCounter(file, prefix string) (int64, bool) {
	if file == "" {
		return 0, false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, true
}

func sampleStats(ctx context.Context, s *Sandbox, id string, c *counters) {
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
		raise(&c.peakMemory, int64(max(st.MemoryStats.MaxUsage, st.MemoryStats.Usage)))
		raise(&c.cpuNanos, int64(st.CPUStats.CPUUsage.TotalUsage))
		if p := st.PidsStats; p.Limit > 0 && p.Current >= p.Limit {
			raise(&c.pidsHits, 1)
		}
	}
}

// raise sets v to m when m is larger; two samplers race to it.
func raise(v *atomic.Int64, m int64) {
	for {
		old := v.Load()
		if m <= old || v.CompareAndSwap(old, m) {
			return
		}
	}
}
