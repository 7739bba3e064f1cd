package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the runner. Each has a default, a flag and a
// RUNNER_* environment variable; flags win over the environment, and a
// malformed value in either is an error that names it.
type Config struct {
	DatabaseURL   string
	Addr          string
	BaseURL       string
	MetricsAddr   string
	Workers       int
	MaxContainers int
	Runtime       string
	GatewayDir    string // the model gateway's sockets live in directories under it
	LLMShim       string // the static llm-shim binary; "" is the one beside the runner
	JobTimeout    time.Duration
	RescueAfter   time.Duration
	DrainTimeout  time.Duration
	ReapEvery     time.Duration
	UpkeepEvery   time.Duration
	Retention     time.Duration
	Seed          uint64
	MaxUpload     int64
	MaxUnpacked   int64
	MaxEntries    int
	MaxIngest     int

	env []envBinding // the RUNNER_* variables of the registered flags
}

// envBinding ties a flag to the environment variable that sets it.
type envBinding struct{ flag, name string }

func defaultConfig() Config {
	return Config{
		Addr:          ":8080",
		BaseURL:       "http://localhost:8080",
		Workers:       2,
		MaxContainers: 4,
		JobTimeout:    time.Hour,
		RescueAfter:   70 * time.Minute,
		DrainTimeout:  2 * time.Minute,
		ReapEvery:     time.Minute,
		UpkeepEvery:   time.Hour,
		Retention:     30 * 24 * time.Hour,
		Seed:          1,
		MaxUpload:     50 << 20,
		MaxUnpacked:   500 << 20,
		MaxEntries:    10_000,
		MaxIngest:     2,
		GatewayDir:    filepath.Join(os.TempDir(), "takehome-gateway"),
	}
}

// flags registers the settings of the named groups on fs ("db", "web",
// "workers", "metrics", "seed"). The environment is read by parse.
func (c *Config) flags(fs *flag.FlagSet, groups ...string) {
	for _, g := range groups {
		switch g {
		case "db":
			c.bind("RUNNER_DATABASE_URL", "database-url")
			fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL (env RUNNER_DATABASE_URL or DATABASE_URL)")
		case "web":
			c.str(fs, &c.Addr, "addr", "RUNNER_ADDR", "listen address")
			c.str(fs, &c.BaseURL, "base-url", "RUNNER_BASE_URL", "public URL for invite links")
			c.value(fs, (*int64Value)(&c.MaxUpload), "max-upload-bytes", "RUNNER_MAX_UPLOAD_BYTES", "largest accepted upload, compressed")
			c.value(fs, (*int64Value)(&c.MaxUnpacked), "max-unpacked-bytes", "RUNNER_MAX_UNPACKED_BYTES", "largest accepted upload, uncompressed")
			c.value(fs, (*intValue)(&c.MaxEntries), "max-entries", "RUNNER_MAX_ENTRIES", "most entries in an upload")
			c.value(fs, (*intValue)(&c.MaxIngest), "max-ingest", "RUNNER_MAX_INGEST", "uploads validated and stored at once; more wait")
		case "workers":
			c.value(fs, (*intValue)(&c.Workers), "workers", "RUNNER_WORKERS", "grading jobs worked at once")
			c.value(fs, (*intValue)(&c.MaxContainers), "max-containers", "RUNNER_MAX_CONTAINERS", "sandbox containers at once on this host")
			c.str(fs, &c.Runtime, "runtime", "RUNNER_RUNTIME", "container runtime, e.g. runsc for gVisor")
			c.str(fs, &c.GatewayDir, "gateway-dir", "RUNNER_GATEWAY_DIR", "the model gateway's socket goes in a directory of its own under this one, on the engine's host")
			c.str(fs, &c.LLMShim, "llm-shim", "RUNNER_LLM_SHIM", "the static llm-shim binary copied into sandboxes (default: beside the runner)")
			c.value(fs, (*durValue)(&c.JobTimeout), "job-timeout", "RUNNER_JOB_TIMEOUT", "longest a grading run may take")
			c.value(fs, (*durValue)(&c.RescueAfter), "rescue-after", "RUNNER_RESCUE_AFTER", "re-run a job whose worker has not finished it after this")
			c.value(fs, (*durValue)(&c.DrainTimeout), "drain-timeout", "RUNNER_DRAIN_TIMEOUT", "on SIGTERM, how long running phases may finish")
			c.value(fs, (*durValue)(&c.ReapEvery), "reap-every", "RUNNER_REAP_EVERY", "how often leftover containers are swept")
			c.value(fs, (*durValue)(&c.UpkeepEvery), "upkeep-every", "RUNNER_UPKEEP_EVERY", "how often old rows are pruned")
			c.value(fs, (*durValue)(&c.Retention), "retention", "RUNNER_RETENTION", "keep sign-in attempts, dead workers and finished jobs this long")
		case "metrics":
			c.str(fs, &c.MetricsAddr, "metrics-addr", "RUNNER_METRICS_ADDR", "serve /metrics, /healthz and /readyz here (empty: not served)")
		case "seed":
			c.value(fs, (*uint64Value)(&c.Seed), "seed", "RUNNER_SEED", "seed of the built-in exercise versions")
		}
	}
}

func (c *Config) bind(env, name string) {
	c.env = append(c.env, envBinding{flag: name, name: env})
}

func (c *Config) str(fs *flag.FlagSet, p *string, name, env, usage string) {
	c.bind(env, name)
	fs.StringVar(p, name, *p, fmt.Sprintf("%s (env %s)", usage, env))
}

func (c *Config) value(fs *flag.FlagSet, v flag.Value, name, env, usage string) {
	c.bind(env, name)
	fs.Var(v, name, fmt.Sprintf("%s (env %s)", usage, env))
}

// parse sets the registered flags from the environment, then from args.
// DATABASE_URL is the fallback of RUNNER_DATABASE_URL.
func (c *Config) parse(fs *flag.FlagSet, getenv func(string) string, args []string) error {
	for _, b := range c.env {
		v := getenv(b.name)
		if v == "" && b.name == "RUNNER_DATABASE_URL" {
			v = getenv("DATABASE_URL")
		}
		if v == "" {
			continue
		}
		if err := fs.Set(b.flag, v); err != nil {
			return fmt.Errorf("%s=%q: %w", b.name, v, err)
		}
	}
	return fs.Parse(args)
}

// Validate reports settings that cannot work.
func (c Config) Validate(groups ...string) error {
	var errs []error
	for _, g := range groups {
		switch g {
		case "db":
			if c.DatabaseURL == "" {
				errs = append(errs, errors.New("no database: set --database-url or DATABASE_URL"))
			}
		case "web":
			if _, err := url.Parse(c.BaseURL); err != nil || !strings.HasPrefix(c.BaseURL, "http") {
				errs = append(errs, fmt.Errorf("base URL %q is not an http(s) URL", c.BaseURL))
			}
			if c.MaxUpload <= 0 || c.MaxUnpacked <= 0 || c.MaxEntries <= 0 {
				errs = append(errs, errors.New("upload limits must be positive"))
			}
			if c.MaxIngest < 1 {
				errs = append(errs, errors.New("--max-ingest must be at least 1"))
			}
		case "workers":
			if c.Workers < 0 || c.MaxContainers < 1 {
				errs = append(errs, errors.New("--workers must be >= 0 and --max-containers >= 1"))
			}
			if c.RescueAfter < c.JobTimeout {
				errs = append(errs, fmt.Errorf("--rescue-after (%s) must be at least --job-timeout (%s)", c.RescueAfter, c.JobTimeout))
			}
			if c.UpkeepEvery <= 0 || c.Retention < time.Hour {
				errs = append(errs, errors.New("--upkeep-every must be positive and --retention at least 1h"))
			}
		}
	}
	return errors.Join(errs...)
}

// String prints the settings one per line, the database password masked.
func (c Config) String() string {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			db = u.String()
		}
	}
	var b strings.Builder
	for _, kv := range [][2]any{
		{"database_url", db}, {"addr", c.Addr}, {"base_url", c.BaseURL}, {"metrics_addr", c.MetricsAddr},
		{"workers", c.Workers}, {"max_containers", c.MaxContainers}, {"runtime", c.Runtime},
		{"job_timeout", c.JobTimeout}, {"rescue_after", c.RescueAfter}, {"drain_timeout", c.DrainTimeout},
		{"reap_every", c.ReapEvery}, {"upkeep_every", c.UpkeepEvery}, {"retention", c.Retention}, {"seed", c.Seed},
		{"max_upload_bytes", c.MaxUpload}, {"max_unpacked_bytes", c.MaxUnpacked}, {"max_entries", c.MaxEntries},
		{"max_ingest", c.MaxIngest},
	} {
		fmt.Fprintf(&b, "%-18s %v\n", kv[0], kv[1])
	}
	return b.String()
}

// Flag values with the error messages of strconv and parseDuration.
type (
	intValue    int
	int64Value  int64
	uint64Value uint64
	durValue    time.Duration
)

func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not a whole number")
	}
	*v = intValue(n)
	return nil
}
func (v *intValue) String() string { return strconv.Itoa(int(*v)) }

func (v *int64Value) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("not a whole number")
	}
	*v = int64Value(n)
	return nil
}
func (v *int64Value) String() string { return strconv.FormatInt(int64(*v), 10) }

func (v *uint64Value) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("not a non-negative whole number")
	}
	*v = uint64Value(n)
	return nil
}
func (v *uint64Value) String() string { return strconv.FormatUint(uint64(*v), 10) }

func (v *durValue) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	*v = durValue(d)
	return nil
}
func (v *durValue) String() string { return time.Duration(*v).String() }

// parseDuration accepts Go durations and whole days ("14d").
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %q (use e.g. 90m, 72h or 14d)", s)
	}
	return d, nil
}

// cmdConfig prints the settings that serve and worker would run with.
func cmdConfig(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "config", "config [any flag of serve or worker]")
	cfg.flags(fs, "db", "web", "workers", "metrics", "seed")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	fmt.Fprint(e.stdout, cfg.String())
	return cfg.Validate("web", "workers")
}

// newFlagSet returns a flag set for a command whose errors and help go to
// the command's stderr.
func newFlagSet(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("runner "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: runner %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}
