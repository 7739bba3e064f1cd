package tabular_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/exercises/tabular"
	"takehome/grader"
	"takehome/grader/docker"
	"takehome/internal/pgtest"
)

// These tests run submissions through the real pipeline: hardened Docker
// containers from the takehome/python:1 image. A missing daemon or image
// fails the package; nothing is skipped.

var (
	sandbox *docker.Sandbox
	owner   = fmt.Sprintf("test-tabular-%d", os.Getpid())
	version *exercises.Version // seed 1, the default built-in version
)

func TestMain(m *testing.M) {
	if err := setup(); err != nil {
		fmt.Fprintln(os.Stderr, "tabular pipeline tests:", err)
		os.Exit(1)
	}
	pgtest.Main(m) // runs the tests, drops the package's database and exits
}

func setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, ok, err := docker.ImagePresent(ctx, exercises.PythonImage); err != nil || !ok {
		return fmt.Errorf("image %s missing (run scripts/images.sh): %w", exercises.PythonImage, err)
	}
	var err error
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if sandbox, err = docker.New(docker.Config{MaxContainers: 2, Owner: owner, Fleet: owner, Logger: log, RunTTL: time.Hour}); err != nil {
		return err
	}
	version, err = tabular.New().Build(1)
	return err
}

// grade runs files on the named set and checks nothing is left behind.
func grade(t *testing.T, files []exercises.File, setName string) grader.Outcome {
	t.Helper()
	set, err := version.Set(setName)
	if err != nil {
		t.Fatal(err)
	}
	mode := exercises.ModeFinal
	if setName == exercises.SetPublic {
		mode = exercises.ModeCheck
	}
	runID := time.Now().UnixNano()
	p := &grader.Pipeline{Sandbox: sandbox, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	start := time.Now()
	out, err := p.Run(context.Background(), grader.Job{
		RunID: runID, Exercise: tabular.New(), Spec: version.Spec, Assets: version.Assets,
		Set: set, Mode: mode, Files: files, Labels: map[string]string{"takehome.test": "tabular"},
	})
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	for _, ph := range out.Phases {
		t.Logf("%s: %s %s in %s", ph.Step, ph.Verdict, ph.Reason, ph.Wall.Round(10*time.Millisecond))
		if ph.Verdict != grader.VerdictOK {
			t.Logf("log of %s:\n%s", ph.Step, ph.Log)
		}
	}
	t.Logf("run took %s", time.Since(start).Round(100*time.Millisecond))
	c, v, err := sandbox.Leftovers(context.Background(), fmt.Sprint(runID))
	if err != nil || c != 0 || v != 0 {
		t.Errorf("run left %d containers and %d volumes (err %v)", c, v, err)
	}
	return out
}

func references(t *testing.T) []exercises.Reference {
	t.Helper()
	refs, err := tabular.New().References()
	if err != nil {
		t.Fatal(err)
	}
	return refs
}

// details is the part of a result's Details the tests read.
type details struct {
	Diagnostics struct {
		Leaks []struct {
			Column    string   `json:"column"`
			Spearman  *float64 `json:"spearman"`
			MeanDelta *float64 `json:"mean_abs_delta"`
			DeltaAUC  *float64 `json:"delta_roc_auc"`
			Flagged   bool     `json:"flagged"`
		} `json:"leaks"`
		Gap struct {
			Public *float64 `json:"public_roc_auc"`
		} `json:"public_hidden_gap"`
		Honesty *float64 `json:"honesty_gap"`
	} `json:"diagnostics"`
}

// quickMonitor replaces a submission's monitor command by `true`: its
// weeks end at once without outputs (each served by the frozen model), for
// runs that test something else and need not spend minutes monitoring.
func quickMonitor(t *testing.T, files []exercises.File) []exercises.File {
	t.Helper()
	out := slices.Clone(files)
	for i, f := range out {
		if f.Name != "takehome.yaml" {
			continue
		}
		lines, found := strings.Split(string(f.Data), "\n"), false
		for j, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "monitor: python3") {
				lines[j], found = `  monitor: "true"`, true
			}
		}
		if !found {
			t.Fatalf("no monitor command in %s", f.Data)
		}
		out[i].Data = []byte(strings.Join(lines, "\n"))
	}
	return out
}

// gradeReferences grades every reference on both sets, and the cacher
// (see cacher) on the hidden set, several at once. The monitor-only
// references run on the hidden set alone, and the baseline's final run
// monitors with `true` (quickMonitor): the practice stream checks its
// monitor, and the monitoring assertions need careful, naive, silent and
// leaky only.
func gradeReferences(t *testing.T) map[string]grader.Outcome {
	outcomes := map[string]grader.Outcome{}
	var mu sync.Mutex
	run := func(t *testing.T, name string, files []exercises.File, set string) {
		t.Run(name+"/"+set, func(t *testing.T) {
			t.Parallel()
			out := grade(t, files, set)
			if out.Result == nil || !out.Result.Valid {
				t.Fatalf("result %+v", out.Result)
			}
			mu.Lock()
			outcomes[name+"/"+set] = out
			mu.Unlock()
		})
	}
	t.Run("grade", func(t *testing.T) {
		for _, ref := range references(t) {
			for _, set := range []string{exercises.SetPublic, exercises.SetHidden} {
				switch {
				case strings.HasPrefix(ref.Name, "monitor-") && set == exercises.SetPublic:
				case ref.Name == "baseline" && set == exercises.SetHidden:
					run(t, ref.Name, quickMonitor(t, ref.Files), set)
				default:
					run(t, ref.Name, ref.Files, set)
				}
			}
		}
		run(t, "cacher", cacher(t), exercises.SetHidden)
	})
	if t.Failed() {
		t.FailNow()
	}
	return outcomes
}

// cacher is the leaky reference with a predict that remembers its
// predictions by customer and month in every writable place it finds and
// replays them on later runs: on a shared writable workspace its probes
// would see the unpermuted predictions again and report no change.
func cacher(t *testing.T) []exercises.File {
	t.Helper()
	predict, err := os.ReadFile("testdata/cacher/predict.py")
	if err != nil {
		t.Fatal(err)
	}
	var files []exercises.File
	for _, ref := range references(t) {
		if ref.Name == "leaky" {
			files = slices.DeleteFunc(slices.Clone(ref.Files), func(f exercises.File) bool { return f.Name == "predict.py" })
		}
	}
	return quickMonitor(t, append(files, exercises.File{Name: "predict.py", Data: predict}))
}

func auc(r *exercises.Result) float64 { return *r.Headline.Value }

func TestReferenceSubmissions(t *testing.T) {
	outcomes := gradeReferences(t)
	res := map[string]*exercises.Result{}
	for name, out := range outcomes {
		res[name] = out.Result
	}
	diag := map[string]details{}
	for _, name := range []string{"leaky", "baseline", "careful"} {
		var d details
		if err := json.Unmarshal(res[name+"/hidden"].Details, &d); err != nil {
			t.Fatal(err)
		}
		diag[name] = d
		pub, hid := res[name+"/public"], res[name+"/hidden"]
		t.Logf("%-8s check: AUC %.3f score %.1f | final: AUC %.3f [%.3f, %.3f] score %.1f, public AUC %s, honesty gap %s",
			name, auc(pub), *pub.Score, auc(hid), *hid.Headline.Low, *hid.Headline.High, *hid.Score, f3(d.Diagnostics.Gap.Public), f3(d.Diagnostics.Honesty))
		for _, l := range d.Diagnostics.Leaks {
			t.Logf("%-8s   %-22s spearman %s mean|dp| %s dAUC %s flagged %v", name, l.Column, f3(l.Spearman), f3(l.MeanDelta), f3(l.DeltaAUC), l.Flagged)
		}
	}
	if l, c := auc(res["leaky/public"]), auc(res["careful/public"]); l <= c {
		t.Errorf("check runs: leaky AUC %.3f, careful %.3f; want leaky ahead on public data", l, c)
	}
	if l, c := *diag["leaky"].Diagnostics.Gap.Public, *diag["careful"].Diagnostics.Gap.Public; l <= c {
		t.Errorf("final runs' public block: leaky AUC %.3f, careful %.3f; want leaky ahead", l, c)
	}
	if l, c := auc(res["leaky/hidden"]), auc(res["careful/hidden"]); c < l+0.08 {
		t.Errorf("hidden: careful AUC %.3f, leaky %.3f; want careful ahead by 0.08", c, l)
	}
	for name, want := range map[string]bool{"leaky": true, "baseline": false, "careful": false} {
		for _, l := range diag[name].Diagnostics.Leaks {
			if l.Flagged != want {
				t.Errorf("%s: %s flagged = %v, want %v", name, l.Column, l.Flagged, want)
			}
		}
	}
	if h := diag["careful"].Diagnostics.Honesty; h == nil || *h > 0.05 {
		t.Errorf("careful honesty gap %s, want ≤ 0.05", f3(h))
	}
	if l, b, c := *res["leaky/hidden"].Score, *res["baseline/hidden"].Score, *res["careful/hidden"].Score; !(c > b && b > l) {
		t.Errorf("final scores careful %.1f, baseline %.1f, leaky %.1f: want that order", c, b, l)
	}
	checkCacher(t, outcomes["cacher/hidden"], diag["leaky"])
	checkMonitoring(t, res)
}

// monitorOf decodes a result's monitoring details.
func monitorOf(t *testing.T, r *exercises.Result) tabular.MonitorDetails {
	t.Helper()
	var d struct {
		Monitor tabular.MonitorDetails `json:"monitor"`
	}
	if err := json.Unmarshal(r.Details, &d); err != nil {
		t.Fatal(err)
	}
	return d.Monitor
}

// checkMonitoring: on the hidden streams careful > naive > silent, naive's
// false alarms are at least ten times careful's, the leak going empty
// harms the leaky model and not the careful one, and where only labels
// show a change careful's label-based estimate beats CBPE.
func checkMonitoring(t *testing.T, res map[string]*exercises.Result) {
	t.Helper()
	m := map[string]tabular.MonitorDetails{}
	for _, name := range []string{"careful", "monitor-naive", "monitor-silent", "leaky"} {
		m[name] = monitorOf(t, res[name+"/hidden"])
		t.Logf("%-14s monitor score %.1f, false alarms %.1f per 52 (declared %s)", name, m[name].Score, m[name].Realized, f3(m[name].Declared))
	}
	for _, f := range res["careful/hidden"].Findings {
		t.Logf("careful: %s", f)
	}
	c, n, s := m["careful"], m["monitor-naive"], m["monitor-silent"]
	if !(c.Score > n.Score && n.Score > s.Score) {
		t.Errorf("monitor scores careful %.1f, naive %.1f, silent %.1f: want that order", c.Score, n.Score, s.Score)
	}
	if n.Realized < 10*c.Realized || n.Realized < 10 {
		t.Errorf("false alarms per 52: naive %.1f, careful %.1f; want naive ≥ 10× careful and ≥ 10", n.Realized, c.Realized)
	}
	harmed := func(d tabular.MonitorDetails, sc tabular.Scenario) (bool, bool) {
		for _, st := range d.Streams {
			for _, ch := range st.Changes {
				if ch.Scenario == sc {
					return ch.Harmed, true
				}
			}
		}
		return false, false
	}
	if h, ok := harmed(m["leaky"], tabular.LeakEmpty); !ok || !h {
		t.Errorf("the leak going empty did not harm the leaky model (found %v)", ok)
	}
	if h, _ := harmed(c, tabular.LeakEmpty); h {
		t.Error("the leak going empty harmed the careful model, which drops the leak")
	}
	var est, cbpe float64
	var weeks int
	for _, st := range c.Streams {
		for _, ch := range st.Changes {
			if ch.Scenario != tabular.Concept {
				continue
			}
			// From the week after the first drifted week's labels arrive.
			for k := ch.Start + tabular.LabelDelay + 1; k <= len(st.Realized); k++ {
				if r, e, b := st.Realized[k-1], st.Estimated[k-1], st.CBPE[k-1]; r != nil && e != nil && b != nil {
					est, cbpe, weeks = est+math.Abs(*e-*r), cbpe+math.Abs(*b-*r), weeks+1
				}
			}
		}
	}
	if weeks == 0 || est >= cbpe {
		t.Errorf("after the concept change's labels arrive: careful's estimate off by %.3f, CBPE by %.3f over %d weeks; want careful closer", est/float64(max(weeks, 1)), cbpe/float64(max(weeks, 1)), weeks)
	}
}

// checkCacher: the cacher's predict runs found no state from one another
// (the workspace is read-only after train, /tmp and /dev/shm are fresh), so
// its probes measured exactly what the leaky reference's did, and the
// ablation alone, without Spearman, flags every leak.
func checkCacher(t *testing.T, out grader.Outcome, leaky details) {
	t.Helper()
	var d details
	if err := json.Unmarshal(out.Result.Details, &d); err != nil {
		t.Fatal(err)
	}
	predicts := 0
	for _, ph := range out.Phases {
		if ph.Phase != "predict" {
			continue
		}
		predicts++
		log := ph.Log.String()
		if strings.Contains(log, "cache hit") || !strings.Contains(log, "no cache") {
			t.Errorf("%s found a cache:\n%s", ph.Step, log)
		}
		if !strings.Contains(log, "cannot save /workspace/cache.pkl: Read-only file system") {
			t.Errorf("%s could write to the workspace:\n%s", ph.Step, log)
		}
	}
	// predict, probe-public, a probe per leak and the frozen model on the
	// monitor's weeks.
	if predicts != 3+len(tabular.LeakyColumns) {
		t.Errorf("%d predict runs, want %d", predicts, 3+len(tabular.LeakyColumns))
	}
	for i, l := range d.Diagnostics.Leaks {
		ref := leaky.Diagnostics.Leaks[i]
		t.Logf("cacher   %-22s mean|dp| %s dAUC %s (leaky: %s, %s)", l.Column, f3(l.MeanDelta), f3(l.DeltaAUC), f3(ref.MeanDelta), f3(ref.DeltaAUC))
		if l.MeanDelta == nil || ref.MeanDelta == nil || math.Abs(*l.MeanDelta-*ref.MeanDelta) > 1e-9 {
			t.Errorf("%s: the cacher's probe moved predictions by %s, the leaky reference's by %s", l.Column, f3(l.MeanDelta), f3(ref.MeanDelta))
		}
		byAblation := math.Abs(*l.MeanDelta) >= 0.01 || (l.DeltaAUC != nil && math.Abs(*l.DeltaAUC) >= 0.02)
		if !byAblation {
			t.Errorf("%s: the ablation alone does not flag the leak (mean|dp| %s, dAUC %s)", l.Column, f3(l.MeanDelta), f3(l.DeltaAUC))
		}
	}
}

func f3(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", *v)
}

// submission is a tiny submission whose train does nothing and whose predict
// runs script.
func submission(script string) []exercises.File {
	return []exercises.File{
		{Name: "takehome.yaml", Data: []byte("phases:\n  train: \"true\"\n  predict: python3 predict.py\n  monitor: \"true\"\n")},
		{Name: "predict.py", Data: []byte(script)},
	}
}

// TestBadOutputThroughPipeline: broken predictions end as an invalid grade
// with a specific reason, through real containers.
func TestBadOutputThroughPipeline(t *testing.T) {
	const readIDs = "import csv\nids = [r['id'] for r in csv.DictReader(open('/data/test.csv'))]\nout = open('/output/predictions.csv', 'w')\n"
	tests := []struct{ name, script, want string }{
		{"one gigabyte", "out = open('/output/predictions.csv', 'w')\nout.write('id,probability\\n')\nblock = 'x' * (1 << 20)\nfor _ in range(1024):\n    out.write(block)\n", "output is larger than"},
		{"NaN", readIDs + "out.write('id,probability\\n')\nfor i in ids:\n    out.write(i + ',nan\\n')\n", "probability is NaN"},
		{"missing ids", readIDs + "out.write('id,probability\\n')\nfor i in ids[:-3]:\n    out.write(i + ',0.1\\n')\n", "3 of 1800 ids have no prediction"},
		{"no file", "print('forgot')\n", "did not write /output/predictions.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := grade(t, submission(tt.script), exercises.SetPublic)
			if out.Result == nil || out.Result.Valid || len(out.Result.Problems) != 1 || !strings.Contains(out.Result.Problems[0], tt.want) {
				t.Fatalf("result %+v, want an invalid grade mentioning %q", out.Result, tt.want)
			}
			t.Logf("problem: %s", out.Result.Problems[0])
		})
	}
}
