package gateway_test

import (
	"log/slog"
	"os"
	"strings"
	"testing"

	"takehome/exercises"
	"takehome/exercises/smoke"
	"takehome/grader"
	"takehome/internal/gatewaytest"
)

// TestSandboxUsesTheGateway grades a smoke submission whose solve phase
// calls the real gateway from a real sandbox with Python's standard
// library (models, chat, a stream, base64 embeddings), is refused what it
// must be refused, spends its budget to the end and still finishes; its
// phase record says so and every call is in the log of its run.
func TestSandboxUsesTheGateway(t *testing.T) {
	for _, runtime := range []string{"runc", "runsc"} {
		t.Run(runtime, func(t *testing.T) { sandboxRun(t, runtime) })
	}
}

func sandboxRun(t *testing.T, runtime string) {
	access := testAccess()
	access.Phases = []string{"solve"}
	access.BudgetMicroUSD = 3_000 // two calls of its 8,000-token prompt
	r := newRig(t, access)
	sb := gatewaytest.New(t, runtime).Sandbox

	// A token of a step that has ended: refused like any unknown key.
	ended := r.grant(t, "earlier", access)
	if err := r.grants.Revoke(t.Context(), ended); err != nil {
		t.Fatal(err)
	}
	v, err := smoke.New().Build(1)
	if err != nil {
		t.Fatal(err)
	}
	spec := v.Spec
	spec.Models = access
	public, _ := v.Set(exercises.SetPublic)
	solve, err := os.ReadFile("testdata/sandbox/solve.py")
	if err != nil {
		t.Fatal(err)
	}
	learn, _ := os.ReadFile("../exercises/smoke/testdata/good/learn.py")
	files := []exercises.File{
		{Name: "takehome.yaml", Data: []byte("phases:\n  learn: python3 learn.py\n  solve: python3 solve.py\n")},
		{Name: "learn.py", Data: learn}, {Name: "solve.py", Data: solve}, {Name: "ended_token", Data: []byte(ended)},
	}
	p := &grader.Pipeline{Sandbox: sb, Logger: slog.New(slog.DiscardHandler), Gateway: r.grants}
	out, err := p.Run(t.Context(), grader.Job{RunID: r.runID, Exercise: smoke.New(), Spec: spec, Set: public,
		Mode: exercises.ModeCheck, Files: files, Assets: v.Assets})
	if err != nil {
		t.Fatal(err)
	}
	solveRec := out.Phases[1]
	log := solveRec.Log.String()
	t.Logf("solve: %s %s\n%s", solveRec.Verdict, solveRec.Reason, log)
	if !out.Result.Valid || *out.Result.Headline.Value != 1 {
		t.Fatalf("result %+v: the phase did not finish its work after the budget ran out", out.Result)
	}
	for _, want := range []string{
		"models gpt-4o-mini,text-embedding-3-small", "chat 200 [doc-7] Annual plans can be refunded within 30 days",
		"stream True True True", "embeddings 200 384 1.0", "large 413", "remote 400", "ended 401",
		"proxy GET HTTP/1.1 404", "proxy CONNECT HTTP/1.1 404",
		"budget 429 insufficient_quota budget_exceeded false after", "solved",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("solve log lacks %q", want)
		}
	}
	if out.Phases[0].Models != nil {
		t.Errorf("learn has model use %+v, but only solve has access", out.Phases[0].Models)
	}
	use := solveRec.Models
	if use == nil || !use.BudgetExceeded || use.Calls < 5 || use.Refused < 1 || use.CostMicro > access.BudgetMicroUSD || use.External {
		t.Fatalf("solve's model use %+v", use)
	}
	budgets, err := r.store.LLMBudgets(t.Context(), r.runID)
	if err != nil {
		t.Fatal(err)
	}
	if b := budgets[0]; b.SpentMicro != use.CostMicro || b.ReservedMicro != 0 || b.SpentMicro > b.LimitMicro {
		t.Errorf("budget %+v after the run, calls cost %d", b, use.CostMicro)
	}
	for _, c := range r.calls(t) {
		if c.Step != "solve" && c.Step != "" {
			t.Errorf("call of step %q recorded on the run", c.Step)
		}
	}
}
