package docker

import (
	"context"
	"strings"
	"testing"

	"takehome/exercises"
	"takehome/grader"
)

// Every doctor check passes under both runtimes, the first proving which
// runtime ran the probes.
func TestDoctor(t *testing.T) {
	t.Parallel()
	eachRuntime(t, func(t *testing.T, sb *Sandbox) {
		checks := sb.Doctor(context.Background(), exercises.PythonImage)
		for _, c := range checks {
			t.Logf("%-15s ok=%v %s", c.Name, c.OK, c.Detail)
			if !c.OK {
				t.Errorf("check %s failed: %s", c.Name, c.Detail)
			}
		}
		if len(checks) < 3 || checks[2].Name != "runtime" || !strings.Contains(checks[2].Detail, "runtime "+sb.Runtime()) {
			t.Errorf("the third check is not the runtime's: %+v", checks)
		}
	})
}

// The runtime check fails when the kernel a step sees contradicts the
// runtime: runc showing a kernel other than the host's, or "gVisor" showing
// the host's (a runsc entry that is not really gVisor).
func TestJudgeKernel(t *testing.T) {
	t.Parallel()
	step := func(release string) grader.StepResult {
		return grader.StepResult{Verdict: grader.VerdictOK, Log: grader.Log{Head: release + "\nLinux version " + release + "\n"}}
	}
	host := "6.18.44"
	tests := []struct {
		rt      runtimeInfo
		release string
		want    bool
	}{
		{runtimeInfo{name: "runc", hostKernel: host}, host, true},
		{runtimeInfo{name: "runc", hostKernel: host}, "4.4.0", false},
		{runtimeInfo{name: "runsc", gvisor: true, hostKernel: host}, "4.4.0", true},
		{runtimeInfo{name: "runsc", gvisor: true, hostKernel: host}, host, false},
	}
	for _, tt := range tests {
		if ok, detail := tt.rt.judgeKernel(step(tt.release)); ok != tt.want {
			t.Errorf("%s seeing %s: ok = %v (%s)", tt.rt.name, tt.release, ok, detail)
		}
	}
}
