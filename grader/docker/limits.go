package docker

import "takehome/exercises"

// outputSlack is added to the size of each output volume: a step that fills
// its output past Limits.OutputBytes then ends with output_limit instead of
// a bare ENOSPC.
const outputSlack = 1 << 20

// maxOutputDepth caps the directory depth accepted from /output.
const maxOutputDepth = 8

// defaultStateBytes sizes a state volume whose run sets no StateBytes. It
// is not in exercises.DefaultLimits, so that the specs of exercises
// without states stay byte for byte what they were.
const defaultStateBytes = 64 << 20

// withDefaults fills every unset (zero or negative) limit from
// exercises.DefaultLimits: a container never runs unlimited by omission.
func withDefaults(l exercises.Limits) exercises.Limits {
	d := exercises.DefaultLimits()
	pick := func(v, def int64) int64 {
		if v <= 0 {
			return def
		}
		return v
	}
	l.MemoryBytes = pick(l.MemoryBytes, d.MemoryBytes)
	l.NanoCPUs = pick(l.NanoCPUs, d.NanoCPUs)
	l.Pids = pick(l.Pids, d.Pids)
	l.LogBytes = pick(l.LogBytes, d.LogBytes)
	l.StdoutBytes = pick(l.StdoutBytes, d.StdoutBytes)
	l.OutputBytes = pick(l.OutputBytes, d.OutputBytes)
	l.TmpBytes = pick(l.TmpBytes, d.TmpBytes)
	l.WorkspaceBytes = pick(l.WorkspaceBytes, d.WorkspaceBytes)
	l.StateBytes = pick(l.StateBytes, defaultStateBytes)
	if l.OutputFiles <= 0 {
		l.OutputFiles = d.OutputFiles
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// holderLimits are the limits of the idle container that keeps a run's
// volumes mounted: it only ever runs sleep.
func holderLimits(run exercises.Limits) exercises.Limits {
	return exercises.Limits{
		MemoryBytes:    32 << 20,
		NanoCPUs:       100_000_000,
		Pids:           8,
		TmpBytes:       1 << 20,
		WorkspaceBytes: run.WorkspaceBytes,
		OutputBytes:    run.OutputBytes,
	}
}
