package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the runner. Each has a default, a flag and a
// RUNNER_* environment variable; flags win over the environment.
type Config struct {
	DatabaseURL   string
	Addr          string
	BaseURL       string
	Workers       int
	MaxContainers int
	Runtime       string
	JobTimeout    time.Duration
	RescueAfter   time.Duration
	DrainTimeout  time.Duration
	ReapEvery     time.Duration
	Seed          uint64
	MaxUpload     int64
	MaxUnpacked   int64
	MaxEntries    int
	MaxIngest     int
}

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
		Seed:          1,
		MaxUpload:     50 << 20,
		MaxUnpacked:   500 << 20,
		MaxEntries:    10_000,
		MaxIngest:     2,
	}
}

// flags registers the settings a command uses on fs, with environment
// fallbacks read through getenv. names selects the settings; "db" and the
// like are groups.
func (c *Config) flags(fs *flag.FlagSet, getenv func(string) string, groups ...string) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	for _, g := range groups {
		switch g {
		case "db":
			c.DatabaseURL = env("RUNNER_DATABASE_URL", getenv("DATABASE_URL"))
			fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL (env RUNNER_DATABASE_URL or DATABASE_URL)")
		case "web":
			fs.StringVar(&c.Addr, "addr", env("RUNNER_ADDR", c.Addr), "listen address (env RUNNER_ADDR)")
			fs.StringVar(&c.BaseURL, "base-url", env("RUNNER_BASE_URL", c.BaseURL), "public URL for invite links (env RUNNER_BASE_URL)")
			int64Flag(fs, &c.MaxUpload, "max-upload-bytes", env("RUNNER_MAX_UPLOAD_BYTES", ""), "largest accepted upload, compressed (env RUNNER_MAX_UPLOAD_BYTES)")
			int64Flag(fs, &c.MaxUnpacked, "max-unpacked-bytes", env("RUNNER_MAX_UNPACKED_BYTES", ""), "largest accepted upload, uncompressed (env RUNNER_MAX_UNPACKED_BYTES)")
			intFlag(fs, &c.MaxEntries, "max-entries", env("RUNNER_MAX_ENTRIES", ""), "most entries in an upload (env RUNNER_MAX_ENTRIES)")
			intFlag(fs, &c.MaxIngest, "max-ingest", env("RUNNER_MAX_INGEST", ""), "uploads validated and stored at once; more wait (env RUNNER_MAX_INGEST)")
		case "workers":
			intFlag(fs, &c.Workers, "workers", env("RUNNER_WORKERS", ""), "grading jobs worked at once (env RUNNER_WORKERS)")
			intFlag(fs, &c.MaxContainers, "max-containers", env("RUNNER_MAX_CONTAINERS", ""), "sandbox containers at once on this host (env RUNNER_MAX_CONTAINERS)")
			fs.StringVar(&c.Runtime, "runtime", env("RUNNER_RUNTIME", ""), "container runtime, e.g. runsc for gVisor (env RUNNER_RUNTIME)")
			durFlag(fs, &c.JobTimeout, "job-timeout", env("RUNNER_JOB_TIMEOUT", ""), "longest a grading run may take (env RUNNER_JOB_TIMEOUT)")
			durFlag(fs, &c.RescueAfter, "rescue-after", env("RUNNER_RESCUE_AFTER", ""), "re-run a job whose worker has not finished it after this (env RUNNER_RESCUE_AFTER)")
			durFlag(fs, &c.DrainTimeout, "drain-timeout", env("RUNNER_DRAIN_TIMEOUT", ""), "on SIGTERM, how long running phases may finish (env RUNNER_DRAIN_TIMEOUT)")
			durFlag(fs, &c.ReapEvery, "reap-every", env("RUNNER_REAP_EVERY", ""), "how often leftover containers are swept (env RUNNER_REAP_EVERY)")
		case "seed":
			uintFlag(fs, &c.Seed, "seed", env("RUNNER_SEED", ""), "seed of the built-in exercise versions (env RUNNER_SEED)")
		}
	}
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
		}
	}
	return errors.Join(errs...)
}

// String prints the config with the database password masked.
func (c Config) String() string {
	masked := c
	if u, err := url.Parse(c.DatabaseURL); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		masked.DatabaseURL = u.String()
	}
	type plain Config // without this String method, so %+v does not recurse
	return fmt.Sprintf("%+v", plain(masked))
}

func intFlag(fs *flag.FlagSet, p *int, name, envValue, usage string) {
	if n, err := strconv.Atoi(envValue); err == nil {
		*p = n
	}
	fs.IntVar(p, name, *p, usage)
}

func int64Flag(fs *flag.FlagSet, p *int64, name, envValue, usage string) {
	if n, err := strconv.ParseInt(envValue, 10, 64); err == nil {
		*p = n
	}
	fs.Int64Var(p, name, *p, usage)
}

func uintFlag(fs *flag.FlagSet, p *uint64, name, envValue, usage string) {
	if n, err := strconv.ParseUint(envValue, 10, 64); err == nil {
		*p = n
	}
	fs.Uint64Var(p, name, *p, usage)
}

func durFlag(fs *flag.FlagSet, p *time.Duration, name, envValue, usage string) {
	if d, err := parseDuration(envValue); err == nil {
		*p = d
	}
	fs.Func(name, usage+fmt.Sprintf(" (default %s)", *p), func(s string) error {
		d, err := parseDuration(s)
		if err == nil {
			*p = d
		}
		return err
	})
}

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
