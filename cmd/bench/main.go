// Command bench measures the platform and prints a table: sandbox overhead
// per phase against `docker run`, grading throughput with two workers, and
// the peak RSS of `runner serve` under concurrent 50 MB uploads.
//
//	go run ./cmd/bench -runner bin/runner     (DATABASE_URL names a server it may create databases on)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"
)

// row is one line of the result table.
type row struct {
	name, value, target, note string
}

func main() {
	runner := flag.String("runner", "bin/runner", "runner binary to benchmark")
	reps := flag.Int("reps", 15, "repetitions of the overhead measurements (at least 10)")
	flag.Parse()
	if err := run(context.Background(), *runner, *reps, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, runner string, reps int, out io.Writer) error {
	server := os.Getenv("DATABASE_URL")
	if server == "" {
		return fmt.Errorf("set DATABASE_URL (scripts/pg.sh starts a server)")
	}
	if os.Getenv("BENCH_ONLY") == "pages" { // the page benchmark alone: BENCH_ONLY=pages make bench
		rows, err := benchPages(ctx, runner, server)
		if err != nil {
			return fmt.Errorf("pages: %w", err)
		}
		printTable(out, rows)
		return nil
	}
	var rows []row
	overhead, err := benchOverhead(ctx, reps)
	if err != nil {
		return fmt.Errorf("overhead: %w", err)
	}
	rows = append(rows, overhead...)
	tp, err := benchThroughput(ctx, runner, server)
	if err != nil {
		return fmt.Errorf("throughput: %w", err)
	}
	rows = append(rows, tp...)
	rss, err := benchUploadRSS(ctx, runner, server)
	if err != nil {
		return fmt.Errorf("upload rss: %w", err)
	}
	rows = append(rows, rss...)
	cls, err := benchClassify(ctx)
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	rows = append(rows, cls...)
	ret, err := benchRetrieval(ctx, runner)
	if err != nil {
		return fmt.Errorf("retrieval: %w", err)
	}
	rows = append(rows, ret...)
	pages, err := benchPages(ctx, runner, server)
	if err != nil {
		return fmt.Errorf("pages: %w", err)
	}
	rows = append(rows, pages...)
	printTable(out, rows)
	return nil
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintf(w, "\n| %-48s | %-14s | %-10s | %s\n", "benchmark", "value", "target", "note")
	fmt.Fprintf(w, "|%s|%s|%s|%s\n", dashes(50), dashes(16), dashes(12), dashes(30))
	for _, r := range rows {
		fmt.Fprintf(w, "| %-48s | %-14s | %-10s | %s\n", r.name, r.value, r.target, r.note)
	}
}

func dashes(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '-'
	}
	return string(b)
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
