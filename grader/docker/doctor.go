package docker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// Check is the outcome of one doctor probe; its JSON keys are snake_case
// like every other JSON the product prints.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// probe is one real container run through the same hardening as a step,
// with the limits it needs and how to judge what it did.
type probe struct {
	name  string
	cmd   []string
	edit  func(*exercises.Limits)
	judge func(grader.StepResult) (bool, string)
}

// Doctor checks the engine and the image, then runs probe containers: the
// first proves the runtime is really in use (gVisor shows a kernel of its
// own), the others that a step is contained: no network, read-only root,
// non-root, no capabilities, and memory, pids, time and log limits
// enforced. It ends by checking that the probes left nothing behind.
func (s *Sandbox) Doctor(ctx context.Context, image string) []Check {
	checks := []Check{s.engineCheck(ctx)}
	if !checks[0].OK {
		return checks
	}
	imgCheck := s.imageCheck(ctx, image)
	checks = append(checks, imgCheck)
	if !imgCheck.OK {
		return checks
	}
	return append(checks, s.runProbes(ctx, image)...)
}

func (s *Sandbox) engineCheck(ctx context.Context) Check {
	v, err := s.cli.ServerVersion(ctx)
	if err != nil {
		return Check{Name: "engine", Detail: err.Error()}
	}
	detail := fmt.Sprintf("Docker %s, API %s (client %s), runtime %s", v.Version, v.APIVersion, s.cli.ClientVersion(), s.runtime.name)
	if _, err := s.inspectEngine(ctx); err != nil {
		return Check{Name: "engine", Detail: detail + ": " + err.Error()}
	}
	return Check{Name: "engine", OK: true, Detail: detail}
}

func (s *Sandbox) imageCheck(ctx context.Context, image string) Check {
	id, err := s.resolveImage(ctx, image)
	if err != nil {
		return Check{Name: "image", Detail: err.Error()}
	}
	return Check{Name: "image", OK: true, Detail: image + " is " + id}
}

// runProbes runs every probe as a step of one session, then checks cleanup.
func (s *Sandbox) runProbes(ctx context.Context, image string) []Check {
	probes := doctorProbes(s.runtime)
	names := make([]string, len(probes))
	for i, p := range probes {
		names[i] = p.name
	}
	runID := "doctor-" + randomID()
	ses, err := s.Open(ctx, grader.RunSpec{RunID: runID, Image: image, Steps: names, Limits: probeLimits()})
	if err != nil {
		return []Check{{Name: "open", Detail: err.Error()}}
	}
	var checks []Check
	for _, p := range probes {
		checks = append(checks, runProbe(ctx, ses, p))
	}
	closeErr := ses.Close(ctx)
	return append(checks, s.leftoverCheck(ctx, runID, closeErr))
}

func runProbe(ctx context.Context, ses grader.Session, p probe) Check {
	l := probeLimits()
	if p.edit != nil {
		p.edit(&l)
	}
	res, err := ses.RunStep(ctx, grader.StepRun{Name: p.name, Command: p.cmd, Limits: l})
	if err != nil {
		return Check{Name: p.name, Detail: err.Error()}
	}
	ok, detail := p.judge(res)
	return Check{Name: p.name, OK: ok, Detail: detail}
}

func (s *Sandbox) leftoverCheck(ctx context.Context, runID string, closeErr error) Check {
	if closeErr != nil {
		return Check{Name: "cleanup", Detail: closeErr.Error()}
	}
	c, v, err := s.Leftovers(ctx, runID)
	if err != nil {
		return Check{Name: "cleanup", Detail: err.Error()}
	}
	return Check{Name: "cleanup", OK: c == 0 && v == 0, Detail: fmt.Sprintf("%d containers, %d volumes left", c, v)}
}

func probeLimits() exercises.Limits {
	return exercises.Limits{
		MemoryBytes: 128 << 20, NanoCPUs: 1_000_000_000, Pids: 64, Timeout: 20 * time.Second,
		LogBytes: 8 << 10, StdoutBytes: 1 << 20, OutputBytes: 1 << 20, OutputFiles: 10,
		TmpBytes: 4 << 20, WorkspaceBytes: 4 << 20,
	}
}

// okWith passes when the probe exited 0 and printed want.
func okWith(want string) func(grader.StepResult) (bool, string) {
	return func(r grader.StepResult) (bool, string) {
		out := strings.TrimSpace(r.Log.String())
		return r.Verdict == grader.VerdictOK && strings.Contains(out, want), fmt.Sprintf("%s: %s", r.Verdict, out)
	}
}

// endsWith passes when the probe ended with the verdict v.
func endsWith(v grader.Verdict) func(grader.StepResult) (bool, string) {
	return func(r grader.StepResult) (bool, string) {
		return r.Verdict == v, fmt.Sprintf("%s (%s), %d log bytes dropped", r.Verdict, r.Reason, r.Log.Dropped)
	}
}
