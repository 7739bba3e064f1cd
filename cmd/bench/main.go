// Command bench measures the platform and prints a table: sandbox overhead
// per phase against `docker run` and under runc beside gVisor, grading
// throughput with two workers, the compose deployment's throughput with one
// and two worker containers, the peak RSS of `runner serve` under
// concurrent 50 MB uploads, metric grading speed (classification beside
// pandas + scikit-learn, retrieval), page latency under wrk, the model
// gateway's overhead and budget integrity, the monitor phase's weeks and
// the similarity check.
//
//	go run ./cmd/bench -runner bin/runner [-only overhead,pages]   (DATABASE_URL names a server it may create databases on)
//
// BENCH_CPUPROFILE=FILE writes a CPU profile of the benchmark process.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"
)

// row is one line of the result table.
type row struct {
	name, value, target, note string
}

// setup is what the benchmarks share.
type setup struct {
	runner string // runner binary
	server string // PostgreSQL URL on which benchmarks may create databases
	reps   int    // repetitions of the overhead measurements
}

// benchmark is one named measurement producing rows of the table.
type benchmark struct {
	name string
	run  func(ctx context.Context, s setup) ([]row, error)
}

// benchmarks run in this order.
var benchmarks = []benchmark{
	{"overhead", func(ctx context.Context, s setup) ([]row, error) { return benchOverhead(ctx, s.reps) }},
	{"runtimes", func(ctx context.Context, _ setup) ([]row, error) { return benchRuntimes(ctx) }},
	{"throughput", func(ctx context.Context, s setup) ([]row, error) { return benchThroughput(ctx, s.runner, s.server) }},
	{"compose", func(ctx context.Context, _ setup) ([]row, error) { return benchCompose(ctx) }},
	{"upload", func(ctx context.Context, s setup) ([]row, error) { return benchUploadRSS(ctx, s.runner, s.server) }},
	{"classify", func(ctx context.Context, _ setup) ([]row, error) { return benchClassify(ctx) }},
	{"retrieval", func(ctx context.Context, s setup) ([]row, error) { return benchRetrieval(ctx, s.runner) }},
	{"pages", func(ctx context.Context, s setup) ([]row, error) { return benchPages(ctx, s.runner, s.server) }},
	{"gateway", func(ctx context.Context, s setup) ([]row, error) { return benchGateway(ctx, s.server) }},
	{"budget", func(ctx context.Context, s setup) ([]row, error) { return benchBudget(ctx, s.server) }},
	{"monitor", func(ctx context.Context, _ setup) ([]row, error) { return benchMonitor(ctx) }},
	{"similarity", func(context.Context, setup) ([]row, error) { return benchSimilarity() }},
}

func main() {
	runner := flag.String("runner", "bin/runner", "runner binary to benchmark")
	reps := flag.Int("reps", 15, "repetitions of the overhead measurements (at least 10)")
	only := flag.String("only", os.Getenv("BENCH_ONLY"), "comma-separated benchmarks to run (default all): "+names())
	flag.Parse()
	if path := os.Getenv("BENCH_CPUPROFILE"); path != "" {
		f, _ := os.Create(path)
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), setup{runner: *runner, reps: *reps}, *only, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func names() string {
	var n []string
	for _, b := range benchmarks {
		n = append(n, b.name)
	}
	return strings.Join(n, ",")
}

func run(ctx context.Context, s setup, only string, out io.Writer) error {
	s.server = os.Getenv("DATABASE_URL")
	if s.server == "" {
		return fmt.Errorf("set DATABASE_URL (scripts/pg.sh starts a server)")
	}
	want := strings.FieldsFunc(only, func(r rune) bool { return r == ',' || r == ' ' })
	for _, w := range want {
		if !strings.Contains(","+names()+",", ","+w+",") {
			return fmt.Errorf("unknown benchmark %q (known: %s)", w, names())
		}
	}
	var rows []row
	for _, b := range benchmarks {
		if len(want) > 0 && !slices.Contains(want, b.name) {
			continue
		}
		r, err := b.run(ctx, s)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		rows = append(rows, r...)
	}
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
