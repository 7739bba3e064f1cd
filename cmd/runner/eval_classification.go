package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"

	"takehome/metric/classify"
)

// evalClassification is what `runner eval classification` prints.
type evalClassification struct {
	classify.Report
	ROCAUCCI95  *classify.Interval   `json:"roc_auc_ci95"`
	Calibration classify.Reliability `json:"calibration"`
	Bootstrap   int                  `json:"bootstrap_resamples"`
	Seed        uint64               `json:"bootstrap_seed"`
	Conventions string               `json:"conventions"`
}

// cmdEvalClassification grades a predictions file against a labels file
// with the metrics the tabular exercise uses, so staff can check a number
// by hand.
func cmdEvalClassification(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "eval classification", "eval classification --labels FILE --predictions FILE")
	labelsPath := fs.String("labels", "", "CSV id,label (0 or 1) (required)")
	predsPath := fs.String("predictions", "", "CSV id,probability (required)")
	maxBytes := fs.Int64("max-bytes", 256<<20, "reject a predictions file larger than this")
	resamples := fs.Int("bootstrap", 1000, "bootstrap resamples for the AUC interval (0: none)")
	seed := fs.Uint64("seed", 1, "bootstrap seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *labelsPath == "" || *predsPath == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("eval classification needs --labels FILE and --predictions FILE")
	}
	ids, y, err := readLabelsFile(*labelsPath)
	if err != nil {
		return err
	}
	p, err := readPredictionsFile(*predsPath, ids, *maxBytes)
	if err != nil {
		return err
	}
	out := evalClassification{
		Report: classify.Evaluate(y, p), Calibration: classify.Calibrate(y, p, 10),
		Bootstrap: *resamples, Seed: *seed, Conventions: classify.Conventions,
	}
	if *resamples > 0 {
		if iv, ok := classify.Bootstrap(y, p, classify.ROCAUC, *resamples, *seed); ok {
			out.ROCAUCCI95 = &iv
		}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func readLabelsFile(path string) ([]string, []bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return classify.ReadLabels(f)
}

func readPredictionsFile(path string, ids []string, maxBytes int64) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return classify.ReadPredictions(f, ids, maxBytes)
}
