package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"takehome/exercises"
	"takehome/metric/classify"
)

const (
	classifyRows      = 1_000_000
	classifyResamples = 1000
)

// classifyResult is what one grading of the benchmark files produced.
type classifyResult struct {
	Seconds          float64 `json:"seconds"`
	CPUSeconds       float64 `json:"-"`
	ROCAUC           float64 `json:"roc_auc"`
	AveragePrecision float64 `json:"average_precision"`
	LogLoss          float64 `json:"log_loss"`
	Brier            float64 `json:"brier"`
	CILow            float64 `json:"ci_low"`
	CIHigh           float64 `json:"ci_high"`
}

// benchClassify grades 1,000,000 predictions (parse, join by id, every
// metric, 1,000 bootstrap resamples of the AUC) in process, then does the
// same with pandas + scikit-learn + numpy in the sandbox image, and checks
// that both agree; beside them, scikit-learn's four metrics alone (pandas
// reads and joins, no interval) in the same image.
func benchClassify(ctx context.Context) ([]row, error) {
	dir, err := os.MkdirTemp("", "bench-classify-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if err := os.Chmod(dir, 0o755); err != nil { // the image's user is not us
		return nil, err
	}
	if err := writeClassifyData(dir, classifyRows); err != nil {
		return nil, err
	}
	ours, peak, err := bestOfClassify(dir, 3)
	if err != nil {
		return nil, err
	}
	py, err := pythonClassify(ctx, dir, pandasScript, classifyResamples)
	if err != nil {
		return nil, err
	}
	if err := compareClassify(ours, py); err != nil {
		return nil, err
	}
	sk, err := medianSklearn(ctx, dir, 3)
	if err != nil {
		return nil, err
	}
	if err := compareClassify(ours, sk); err != nil {
		return nil, err
	}
	n := fmt.Sprintf("n=%d, %d AUC resamples", classifyRows, classifyResamples)
	return []row{
		{"classification grade, Go (parse+join+metrics+CI)", fmt.Sprintf("%.2fs", ours.Seconds), "< 3s", fmt.Sprintf("%s, GOMAXPROCS=%d, median of 3", n, runtime.GOMAXPROCS(0))},
		{"classification grade, Go CPU time", fmt.Sprintf("%.2fs", ours.CPUSeconds), "", "user+sys of that run"},
		{"classification grade, Go peak RSS", fmt.Sprintf("%d MB", peak>>20), "", "VmHWM of the bench process"},
		{"classification grade, pandas+sklearn+numpy", fmt.Sprintf("%.2fs", py.Seconds), "", n + " (numpy, per row), one run in " + exercises.PythonImage},
		{"classification metrics, pandas+sklearn, no CI", fmt.Sprintf("%.2fs", sk.Seconds), "", fmt.Sprintf("n=%d, read+join+4 metrics, median of 3 in %s", classifyRows, exercises.PythonImage)},
		{"classification speedup (pandas+numpy / Go)", fmt.Sprintf("%.1fx", py.Seconds/ours.Seconds), ">= 10x", "both full grades; metrics agree to 1e-9"},
		{"classification ratio (sklearn no CI / Go full)", fmt.Sprintf("%.2fx", sk.Seconds/ours.Seconds), ">= 1.0x", "Go with 1000 resamples against sklearn without any"},
	}, nil
}

// writeClassifyData writes labels.csv and predictions.csv (rows shuffled,
// scores rounded to 4 decimals so that ties occur).
func writeClassifyData(dir string, n int) error {
	r := rand.New(rand.NewPCG(2026, 11))
	y := make([]bool, n)
	p := make([]float64, n)
	for i := range y {
		y[i] = r.Float64() < 0.3
		s := 0.35 + 0.18*r.NormFloat64()
		if y[i] {
			s += 0.15
		}
		p[i] = math.Round(min(max(s, 0), 1)*1e4) / 1e4
	}
	err := writeCSV(filepath.Join(dir, "labels.csv"), "id,label", n, func(i int) string {
		return "r" + strconv.Itoa(i) + "," + map[bool]string{true: "1", false: "0"}[y[i]]
	})
	if err != nil {
		return err
	}
	perm := r.Perm(n)
	return writeCSV(filepath.Join(dir, "predictions.csv"), "id,probability", n, func(i int) string {
		k := perm[i]
		return "r" + strconv.Itoa(k) + "," + strconv.FormatFloat(p[k], 'g', -1, 64)
	})
}

func writeCSV(path, header string, n int, line func(int) string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, header)
	for i := range n {
		fmt.Fprintln(w, line(i))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// bestOfClassify grades runs times and keeps the median run by wall time
// (the machine may be shared) and the highest peak RSS.
func bestOfClassify(dir string, runs int) (classifyResult, int64, error) {
	var results []classifyResult
	var peak int64
	for range runs {
		res, rss, err := gradeClassify(dir)
		if err != nil {
			return classifyResult{}, 0, err
		}
		results = append(results, res)
		peak = max(peak, rss)
	}
	slices.SortFunc(results, func(a, b classifyResult) int { return cmp.Compare(a.Seconds, b.Seconds) })
	return results[len(results)/2], peak, nil
}

// gradeClassify times the grading in process and returns the peak RSS it
// reached (VmHWM, reset before through /proc/self/clear_refs).
func gradeClassify(dir string) (classifyResult, int64, error) {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset VmHWM; best effort
	start, cpu := time.Now(), cpuTime()
	lf, err := os.Open(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return classifyResult{}, 0, err
	}
	defer lf.Close()
	ids, y, err := classify.ReadLabels(lf)
	if err != nil {
		return classifyResult{}, 0, err
	}
	pf, err := os.Open(filepath.Join(dir, "predictions.csv"))
	if err != nil {
		return classifyResult{}, 0, err
	}
	defer pf.Close()
	p, err := classify.ReadPredictions(pf, ids, 256<<20)
	if err != nil {
		return classifyResult{}, 0, err
	}
	rep := classify.Evaluate(y, p)
	classify.Calibrate(y, p, 10)
	ci, _ := classify.Bootstrap(y, p, classify.ROCAUC, classifyResamples, 1)
	res := classifyResult{Seconds: time.Since(start).Seconds(), CPUSeconds: (cpuTime() - cpu).Seconds(), ROCAUC: *rep.ROCAUC, AveragePrecision: *rep.AveragePrecision,
		LogLoss: rep.LogLoss, Brier: rep.Brier, CILow: ci.Low, CIHigh: ci.High}
	return res, peakRSS(), nil
}

// cpuTime is the user+sys time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's VmHWM in bytes, 0 if unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// pythonMetrics reads and joins the files with pandas and computes the
// four headline metrics with scikit-learn. The ids are checked unique with
// is_unique rather than merge(validate="one_to_one"): the same check,
// which costs pandas 1.5 about 8 s more on these files.
const pythonMetrics = `
import json, sys, time
import numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score, average_precision_score, log_loss, brier_score_loss
from sklearn.calibration import calibration_curve
t0 = time.perf_counter()
lab = pd.read_csv("/d/labels.csv", dtype={"id": str})
pred = pd.read_csv("/d/predictions.csv", dtype={"id": str})
assert lab.id.is_unique and pred.id.is_unique
df = lab.merge(pred, on="id", how="left")
assert df.probability.notna().all()
y, p = df.label.to_numpy(), df.probability.to_numpy()
out = {"roc_auc": roc_auc_score(y, p), "average_precision": average_precision_score(y, p),
       "log_loss": log_loss(y, p), "brier": brier_score_loss(y, p)}
`

// pandasScript grades the same files the way a data scientist would,
// with the bootstrap vectorized in numpy (resample counts per row, weighted
// tie groups: the per-row algorithm that ours draws per tie group, not a
// re-sort per resample).
const pandasScript = pythonMetrics + `
calibration_curve(y, p, n_bins=10)
order = np.argsort(-p, kind="mergesort")
ys, ps = y[order].astype(float), p[order]
gid = np.cumsum(np.r_[True, ps[1:] != ps[:-1]]) - 1
g, n, rng, aucs = gid[-1] + 1, len(y), np.random.default_rng(1), []
for _ in range(int(sys.argv[1])):
    c = np.bincount(rng.integers(0, n, n), minlength=n)
    pos = np.bincount(gid, weights=c * ys, minlength=g)
    neg = np.bincount(gid, weights=c * (1 - ys), minlength=g)
    if pos.sum() and neg.sum():
        aucs.append(np.sum(neg * (np.cumsum(pos) - pos / 2)) / (pos.sum() * neg.sum()))
out["ci_low"], out["ci_high"] = np.percentile(aucs, [2.5, 97.5])
out["seconds"] = time.perf_counter() - t0
print(json.dumps(out))
`

// sklearnScript is pythonMetrics alone: no calibration, no interval.
const sklearnScript = pythonMetrics + `
out["seconds"] = time.perf_counter() - t0
print(json.dumps(out))
`

// medianSklearn runs sklearnScript runs times and keeps the median run.
func medianSklearn(ctx context.Context, dir string, runs int) (classifyResult, error) {
	var results []classifyResult
	for range runs {
		res, err := pythonClassify(ctx, dir, sklearnScript, 0)
		if err != nil {
			return classifyResult{}, err
		}
		results = append(results, res)
	}
	slices.SortFunc(results, func(a, b classifyResult) int { return cmp.Compare(a.Seconds, b.Seconds) })
	return results[len(results)/2], nil
}

// pythonClassify runs script in the sandbox image without network, with
// resamples as its argument.
func pythonClassify(ctx context.Context, dir, script string, resamples int) (classifyResult, error) {
	cmd := exec.CommandContext(ctx, "docker", "run", "--rm", "--network", "none", "-v", dir+":/d:ro",
		exercises.PythonImage, "python3", "-c", script, strconv.Itoa(resamples))
	out, err := cmd.Output()
	if err != nil {
		return classifyResult{}, fmt.Errorf("python: %w %s", err, exitStderr(err))
	}
	var res classifyResult
	if err := json.Unmarshal(out, &res); err != nil {
		return classifyResult{}, fmt.Errorf("python output %q: %w", out, err)
	}
	return res, nil
}

func exitStderr(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}

// compareClassify checks the two gradings: the metrics to 1e-9, the
// bootstrap intervals (different random draws) to 0.002 when b has one.
func compareClassify(a, b classifyResult) error {
	for _, m := range []struct {
		name      string
		goValue   float64
		pyValue   float64
		tolerance float64
	}{
		{"roc_auc", a.ROCAUC, b.ROCAUC, 1e-9},
		{"average_precision", a.AveragePrecision, b.AveragePrecision, 1e-9},
		{"log_loss", a.LogLoss, b.LogLoss, 1e-9},
		{"brier", a.Brier, b.Brier, 1e-9},
		{"ci_low", a.CILow, b.CILow, 2e-3},
		{"ci_high", a.CIHigh, b.CIHigh, 2e-3},
	} {
		if strings.HasPrefix(m.name, "ci_") && b.CILow == 0 && b.CIHigh == 0 {
			continue // no interval: the scikit-learn-only run
		}
		if math.Abs(m.goValue-m.pyValue) > m.tolerance {
			return fmt.Errorf("%s: Go %v, pandas %v", m.name, m.goValue, m.pyValue)
		}
	}
	return nil
}
