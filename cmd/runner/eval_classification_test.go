package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const classifyTestdata = "../../metric/classify/testdata/"

// TestEvalClassificationMatchesSklearn scores the fixture pair (predictions
// in another row order than the labels) and compares with scikit-learn.
func TestEvalClassificationMatchesSklearn(t *testing.T) {
	var want struct {
		CLI struct {
			ROCAUC           float64 `json:"roc_auc"`
			AveragePrecision float64 `json:"average_precision"`
			LogLoss          float64 `json:"log_loss"`
			Brier            float64 `json:"brier"`
			Calibration      struct{ ECE float64 }
		} `json:"cli"`
	}
	b, err := os.ReadFile(classifyTestdata + "fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	out := runCmd(t, testEnv(nil), "eval", "classification", "--labels", classifyTestdata+"labels.csv",
		"--predictions", classifyTestdata+"predictions.csv", "--bootstrap", "200")
	var got struct {
		N, Positives     int
		ROCAUC           float64                      `json:"roc_auc"`
		AveragePrecision float64                      `json:"average_precision"`
		LogLoss          float64                      `json:"log_loss"`
		Brier            float64                      `json:"brier"`
		CI               *struct{ Low, High float64 } `json:"roc_auc_ci95"`
		Calibration      struct{ ECE float64 }
		Conventions      string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	for name, v := range map[string][2]float64{
		"roc_auc": {got.ROCAUC, want.CLI.ROCAUC}, "average_precision": {got.AveragePrecision, want.CLI.AveragePrecision},
		"log_loss": {got.LogLoss, want.CLI.LogLoss}, "brier": {got.Brier, want.CLI.Brier},
		"ece": {got.Calibration.ECE, want.CLI.Calibration.ECE},
	} {
		if math.Abs(v[0]-v[1]) > 1e-9 {
			t.Errorf("%s = %.17g, scikit-learn %.17g", name, v[0], v[1])
		}
	}
	if got.N != 5000 || got.Positives == 0 || got.CI == nil || !(got.CI.Low < got.ROCAUC && got.ROCAUC < got.CI.High) {
		t.Errorf("n=%d positives=%d ci=%+v around %v", got.N, got.Positives, got.CI, got.ROCAUC)
	}
	if !strings.Contains(got.Conventions, "scikit-learn 1.2") {
		t.Errorf("conventions = %q", got.Conventions)
	}
}

func TestEvalClassificationBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	labels := write("labels.csv", "id,label\na,1\nb,0\nc,1\n")
	for _, tc := range []struct{ name, preds, want string }{
		{"duplicate", "id,probability\na,0.9\nb,0.1\na,0.8\nc,0.5\n", `predictions line 4: id "a" appears again (first on line 2)`},
		{"missing", "id,probability\na,0.9\n", `predictions: 2 of 3 ids have no prediction: "b", "c"`},
		{"range", "id,probability\na,0.9\nb,1.5\nc,0.5\n", `predictions line 3: id "b": probability 1.5 is outside [0, 1]`},
		{"header", "id,score\na,0.9\n", `predictions line 1: header is "id,score", expected "id,probability"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{"eval", "classification", "--labels", labels, "--predictions", write(tc.name+".csv", tc.preds)},
				testEnv(nil), &stdout, &stderr)
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v\nwant %s", err, tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("printed a report for a bad file: %s", stdout.String())
			}
		})
	}
	big := write("big.csv", "id,probability\na,0.9\nb,0.1\nc,0.5\n")
	err := run(context.Background(), []string{"eval", "classification", "--labels", labels, "--predictions", big, "--max-bytes", "10"},
		testEnv(nil), new(bytes.Buffer), new(bytes.Buffer))
	if err == nil || err.Error() != "predictions: file is larger than the limit of 10 bytes" {
		t.Errorf("max-bytes: err = %v", err)
	}
	if err := run(context.Background(), []string{"eval", "classification", "--labels", labels}, testEnv(nil), new(bytes.Buffer), new(bytes.Buffer)); err == nil {
		t.Error("eval classification without --predictions succeeded")
	}
}
