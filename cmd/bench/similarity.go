package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"takehome/similarity"
)

// Similarity benchmark settings: stored submissions of about simLines
// statements (some 2,700 normalised tokens) each.
const (
	simStored = 10_000
	simLines  = 250
	simSeed   = 2026
	simChecks = 200
)

// benchSimilarity checks one new submission against 10,000 stored
// synthetic ones through the inverted index (candidates, then a pair
// score for each candidate estimated at 10 % or more, as a grading job
// does), and measures fingerprinting throughput on real Python files.
func benchSimilarity() ([]row, error) {
	docs := similarity.SyntheticDocuments(simStored+1, simLines, simSeed, similarity.Config{})
	fresh := docs[simStored] // every 20th synthetic document copies a block from an earlier one
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix := similarity.NewIndex(0)
	for i, d := range docs[:simStored] {
		if err := ix.Add(int64(i), d); err != nil {
			return nil, err
		}
	}
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	var took []time.Duration
	var candidates, scored int
	var best float64
	for range simChecks {
		start := time.Now()
		matches, _ := ix.Candidates(fresh)
		candidates, scored = len(matches), 0
		for _, m := range matches {
			if m.Estimate(len(fresh.Kgrams)) < 0.1 {
				continue
			}
			p := similarity.Compare(fresh, docs[m.ID], ix.IsCommon)
			best = max(best, p.Similarity)
			scored++
		}
		took = append(took, time.Since(start))
	}
	lines, perSec, err := fingerprintRate()
	if err != nil {
		return nil, err
	}
	stats := ix.Stats()
	return []row{
		{"similarity: check 1 submission against 10,000", median(took).Round(time.Microsecond).String(), "",
			fmt.Sprintf("median of %d; %d candidates from the index, %d scored (estimate ≥ 0.1), best similarity %.2f; synthetic submissions of ~2,700 tokens", simChecks, candidates, scored, best)},
		{"similarity: index of 10,000 submissions", fmt.Sprintf("%.0f MiB", float64(after.HeapAlloc-before.HeapAlloc)/(1<<20)), "",
			fmt.Sprintf("live heap after GC; %s postings of %s hashes; built in %s", thousands(stats.Postings), thousands(stats.Hashes), build.Round(10*time.Millisecond))},
		{"similarity: fingerprinting", fmt.Sprintf("%.0f lines/s", perSec), "", fmt.Sprintf("%d lines of Python (similarity/testdata), chroma's lexer, one core, median of 5", lines)},
	}, nil
}

// fingerprintRate fingerprints the package's test solutions and returns
// their lines and the lines fingerprinted per second.
func fingerprintRate() (int, float64, error) {
	paths, _ := filepath.Glob("similarity/testdata/churn/*.py") // the pattern is well formed
	if len(paths) == 0 {
		return 0, 0, fmt.Errorf("no similarity/testdata/churn/*.py (run from the repository root)")
	}
	var files []similarity.File
	lines := 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return 0, 0, err
		}
		files = append(files, similarity.File{Path: p, Src: src})
		lines += strings.Count(string(src), "\n")
	}
	var took []time.Duration
	for range 5 {
		start := time.Now()
		similarity.Fingerprint(files, similarity.Config{})
		took = append(took, time.Since(start))
	}
	return lines, float64(lines) / median(took).Seconds(), nil
}
