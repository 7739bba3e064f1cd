package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Shape of the retrieval benchmark: 10,000 queries × 100 ranked results,
// 10 judged documents per query.
const (
	retQueries = 10_000
	retResults = 100
	retJudged  = 10
	retReps    = 3
)

// benchRetrieval times `runner eval retrieval` on one core (GOMAXPROCS=1)
// over a million ranked results and reports results per second (median of
// retReps runs) and the largest peak RSS.
func benchRetrieval(ctx context.Context, runner string) ([]row, error) {
	dir, err := os.MkdirTemp("", "bench-retrieval-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	qrels, run := filepath.Join(dir, "bench.qrels"), filepath.Join(dir, "bench.run")
	if err := writeRetrievalFiles(qrels, run); err != nil {
		return nil, err
	}
	var rates, cpuRates []float64
	var peakKiB int64
	for range retReps {
		m, err := timeEvalRetrieval(ctx, runner, qrels, run)
		if err != nil {
			return nil, err
		}
		rates = append(rates, retQueries*retResults/m.wall.Seconds())
		cpuRates = append(cpuRates, retQueries*retResults/m.cpu.Seconds())
		peakKiB = max(peakKiB, m.maxRSSKiB)
	}
	slices.Sort(rates)
	slices.Sort(cpuRates)
	note := fmt.Sprintf("%d queries × %d results, %d judged each, GOMAXPROCS=1, median of %d; per CPU second %.0f",
		retQueries, retResults, retJudged, retReps, cpuRates[len(cpuRates)/2])
	return []row{
		{"eval retrieval: ranked results/second", fmt.Sprintf("%.0f", rates[len(rates)/2]), ">= 1000000", note},
		{"eval retrieval: peak RSS", fmt.Sprintf("%.1f MB", float64(peakKiB)/1024), "< 100 MB", "max over runs (GNU time %M)"},
	}, nil
}

// evalMeasure is one timed run of the command.
type evalMeasure struct {
	wall, cpu time.Duration
	maxRSSKiB int64
}

// timeEvalRetrieval runs the command once and checks it read every result.
func timeEvalRetrieval(ctx context.Context, runner, qrels, run string) (evalMeasure, error) {
	// Through GNU time: a child started by this (large) process inherits
	// its high-water RSS in the kernel's rusage, so Go's own rusage of the
	// child would report the bench's memory, not the command's.
	cmd := exec.CommandContext(ctx, "/usr/bin/time", "-f", "maxrss_kib=%M", runner, "eval", "retrieval", "--qrels", qrels, "--run", run)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return evalMeasure{}, fmt.Errorf("%v: %w: %s", cmd.Args, err, stderr.String())
	}
	elapsed := time.Since(start)
	var out struct {
		Results int     `json:"results"`
		NDCG    float64 `json:"ndcg_cut_10"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return evalMeasure{}, fmt.Errorf("eval retrieval output: %w", err)
	}
	if out.Results != retQueries*retResults || out.NDCG <= 0 {
		return evalMeasure{}, fmt.Errorf("eval retrieval read %d results, nDCG %v", out.Results, out.NDCG)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return evalMeasure{}, fmt.Errorf("no rusage for %s", runner)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	var peak int64
	if _, err := fmt.Sscanf(lastLine(stderr.String()), "maxrss_kib=%d", &peak); err != nil {
		return evalMeasure{}, fmt.Errorf("no peak RSS from /usr/bin/time in %q: %w", stderr.String(), err)
	}
	return evalMeasure{wall: elapsed, cpu: cpu, maxRSSKiB: peak}, nil
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// writeRetrievalFiles writes the qrels and run; half of each query's judged
// documents are retrieved, docnos come from a ten-million collection.
func writeRetrievalFiles(qrelsPath, runPath string) error {
	qf, err := os.Create(qrelsPath)
	if err != nil {
		return err
	}
	defer qf.Close()
	rf, err := os.Create(runPath)
	if err != nil {
		return err
	}
	defer rf.Close()
	qw, rw := bufio.NewWriter(qf), bufio.NewWriter(rf)
	rng := rand.New(rand.NewPCG(1, 2))
	for q := range retQueries {
		base := rng.IntN(9_900_000)
		for j := range retJudged {
			fmt.Fprintf(qw, "q%d 0 D%08d %d\n", q, base+2*j, rng.IntN(4))
		}
		for r := range retResults {
			fmt.Fprintf(rw, "q%d Q0 D%08d %d %.6f bench\n", q, base+r, r+1, 100-float64(r)*0.5)
		}
	}
	if err := qw.Flush(); err != nil {
		return err
	}
	if err := rw.Flush(); err != nil {
		return err
	}
	if err := qf.Close(); err != nil {
		return err
	}
	return rf.Close()
}
