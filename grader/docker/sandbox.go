package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/docker/docker/client"

	"takehome/grader"
)

// Config configures a Sandbox.
type Config struct {
	// MaxContainers bounds the step containers running at once; 0 means 2.
	MaxContainers int
	// Owner names this runner instance; it labels everything the sandbox
	// creates so that Reap can tell live owners from dead ones. Required.
	Owner string
	// Fleet names the runners that share one registry of live owners (one
	// database). Reap judges owner liveness only within its fleet, so test
	// suites or deployments sharing a daemon do not reap each other; empty
	// means "default".
	Fleet string
	// Runtime is an OCI runtime registered with the engine, e.g. "runsc";
	// empty uses the engine's default. New refuses a runtime the engine lacks.
	Runtime string
	// RunTTL is how long a run's objects may live before Reap removes them
	// even if their owner is alive; 0 means 6 hours.
	RunTTL time.Duration
	// Gateway, when set, lets steps reach the model gateway.
	Gateway *Gateway
	// Logger receives lifecycle and cleanup messages; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Sandbox runs steps in hardened containers on a Docker Engine. It
// implements grader.Sandbox.
type Sandbox struct {
	cli     *client.Client
	cfg     Config
	slots   chan struct{} // one token per running step container
	seccomp string
	runtime runtimeInfo
	log     *slog.Logger
}

var _ grader.Sandbox = (*Sandbox)(nil)

// New connects to the engine named by the environment (DOCKER_HOST etc.),
// checks that it answers and that the configured runtime exists.
func New(cfg Config) (*Sandbox, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	cli, err := newClient()
	if err != nil {
		return nil, err
	}
	s := &Sandbox{cli: cli, cfg: cfg, slots: make(chan struct{}, cfg.MaxContainers), log: cfg.Logger}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if s.runtime, err = s.inspectEngine(ctx); err == nil {
		s.seccomp, err = seccompProfile(s.runtime.gvisor)
	}
	if err != nil {
		_ = cli.Close()
		return nil, err
	}
	return s, nil
}

func (c Config) withDefaults() (Config, error) {
	if c.Owner == "" {
		return c, errors.New("docker sandbox: Config.Owner is required")
	}
	if c.Fleet == "" {
		c.Fleet = "default"
	}
	if c.MaxContainers <= 0 {
		c.MaxContainers = 2
	}
	if c.RunTTL <= 0 {
		c.RunTTL = 6 * time.Hour
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// newClient is the one place the Docker client is built.
func newClient() (*client.Client, error) {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	return cli, nil
}

// Close releases the client. Sessions must be closed first.
func (s *Sandbox) Close() error { return s.cli.Close() }

// acquire takes a container slot, waiting until one is free or ctx ends.
func (s *Sandbox) acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Sandbox) release() { <-s.slots }

// InUse is the number of step containers running now.
func (s *Sandbox) InUse() int { return len(s.slots) }
