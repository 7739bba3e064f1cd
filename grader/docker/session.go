package docker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"takehome/exercises"
	"takehome/grader"
)

// cleanupTimeout bounds each removal, which runs on a context that survives
// the caller's cancellation.
const cleanupTimeout = 30 * time.Second

// session is one Open: its volumes, its holder and the steps it may run.
type session struct {
	sb        *Sandbox
	id        string
	runID     string
	imageID   string
	labels    map[string]string
	run       exercises.Limits  // sizes the workspace and output volumes
	holder    string            // container id
	workspace string            // volume name
	states    map[string]string // state name → volume name
	tools     string            // volume holding the llm shim; "" without model access
	log       *slog.Logger

	mu    sync.Mutex
	steps map[string]*stepVolumes
}

// stepVolumes are the volumes of one step name and where the holder mounts them.
type stepVolumes struct {
	out, data       string // volume names
	outDir, dataDir string // paths in the holder
	used            bool
}

// Open prepares a run: it resolves the image, creates the volumes, starts
// the holder and copies the workspace in. spec.Limits sizes the workspace
// (WorkspaceBytes) and every step's output volume (OutputBytes: give the
// largest any step may use; each step's own OutputBytes is checked at
// copy-out). On failure nothing is left behind.
func (s *Sandbox) Open(ctx context.Context, spec grader.RunSpec) (_ grader.Session, err error) {
	if err := validateSpec(spec); err != nil {
		return nil, err
	}
	imageID, err := s.resolveImage(ctx, spec.Image)
	if err != nil {
		return nil, err
	}
	if spec.Models && s.cfg.Gateway == nil {
		return nil, grader.Errorf(grader.CodeUnavailable,
			"this exercise version gives its phases model access, and this worker runs no model gateway (see `runner worker --help`)")
	}
	if spec.Models {
		if err := s.ensureGatewayVolume(ctx); err != nil {
			return nil, fmt.Errorf("gateway volume: %w", err)
		}
	}
	ss := s.newSession(spec, imageID)
	defer func() {
		if err != nil {
			_ = ss.Close(ctx)
		}
	}()
	mounts, err := ss.createVolumes(ctx, spec.Steps)
	if err != nil {
		return nil, err
	}
	states, err := ss.createStates(ctx, spec.States)
	if err != nil {
		return nil, err
	}
	mounts = append(mounts, states...)
	if spec.Models {
		m, err := ss.createTools(ctx)
		if err != nil {
			return nil, err
		}
		mounts = append(mounts, m)
	}
	if err := ss.startHolder(ctx, mounts); err != nil {
		return nil, err
	}
	if err := ss.copyIn(ctx, workDir, spec.Workspace); err != nil {
		return nil, fmt.Errorf("copy workspace: %w", err)
	}
	if spec.Models {
		if err := ss.copyShim(ctx); err != nil {
			return nil, err
		}
	}
	return ss, nil
}

func validateSpec(spec grader.RunSpec) error {
	if spec.RunID == "" || spec.Image == "" {
		return errors.New("run spec: RunID and Image are required")
	}
	for what, names := range map[string][]string{"step": spec.Steps, "state": spec.States} {
		seen := map[string]bool{}
		for _, name := range names {
			if name == "" || seen[name] {
				return fmt.Errorf("run spec: %s name %q is empty or repeated", what, name)
			}
			seen[name] = true
		}
	}
	return nil
}

func (s *Sandbox) newSession(spec grader.RunSpec, imageID string) *session {
	id := randomID()
	expires := s.cfg.Now().Add(s.cfg.RunTTL)
	return &session{
		sb:      s,
		id:      id,
		runID:   spec.RunID,
		imageID: imageID,
		labels:  runLabels(spec.Labels, spec.RunID, id, s.cfg, expires),
		run:     withDefaults(spec.Limits),
		log:     s.log.With("run_id", spec.RunID, "session", id),
		steps:   map[string]*stepVolumes{},
		states:  map[string]string{},
	}
}

// resolveImage returns the image id, so every container of a run uses the
// same image even if the tag moves meanwhile.
func (s *Sandbox) resolveImage(ctx context.Context, ref string) (string, error) {
	img, err := s.cli.ImageInspect(ctx, ref)
	if errdefs.IsNotFound(err) {
		return "", grader.Errorf(grader.CodeUnavailable,
			"sandbox image %s is not on the docker engine: build it with `runner images build`", ref)
	}
	if err != nil {
		return "", fmt.Errorf("inspect image %s: %w", ref, err)
	}
	return img.ID, nil
}

// createVolumes creates the workspace and each step's output and data
// volumes, and returns how the holder mounts them.
func (ss *session) createVolumes(ctx context.Context, steps []string) ([]mount.Mount, error) {
	ws, err := ss.sb.createVolume(ctx, ss.labels, ss.run.WorkspaceBytes, false)
	if err != nil {
		return nil, err
	}
	mounts := []mount.Mount{volumeMount(ws, workDir, false)}
	for i, name := range steps {
		v := &stepVolumes{outDir: fmt.Sprintf("/out/%d", i), dataDir: fmt.Sprintf("/in/%d", i)}
		if v.out, err = ss.sb.createVolume(ctx, ss.labels, ss.run.OutputBytes+outputSlack, true); err != nil {
			return nil, err
		}
		if v.data, err = ss.sb.createVolume(ctx, ss.labels, 0, false); err != nil {
			return nil, err
		}
		mounts = append(mounts, volumeMount(v.out, v.outDir, false), volumeMount(v.data, v.dataDir, false))
		ss.steps[name] = v
	}
	ss.workspace = ws
	return mounts, nil
}

// createStates creates one tmpfs volume per state name, which the holder
// keeps mounted (under /state/<i>) so that it outlives the steps that use
// it, and returns those mounts.
func (ss *session) createStates(ctx context.Context, names []string) ([]mount.Mount, error) {
	var mounts []mount.Mount
	for i, name := range names {
		v, err := ss.sb.createVolume(ctx, ss.labels, ss.run.StateBytes, true)
		if err != nil {
			return nil, err
		}
		ss.states[name] = v
		mounts = append(mounts, volumeMount(v, fmt.Sprintf("/state/%d", i), false))
	}
	return mounts, nil
}

// volumeMount mounts a named volume. NoCopy: an empty volume must stay
// empty, not receive what the image has at that path.
func volumeMount(name, target string, readOnly bool) mount.Mount {
	return mount.Mount{
		Type: mount.TypeVolume, Source: name, Target: target, ReadOnly: readOnly,
		VolumeOptions: &mount.VolumeOptions{NoCopy: true},
	}
}

// startHolder starts the idle container that keeps the run's tmpfs volumes
// mounted and through which all copies go. It gets the full hardening.
func (ss *session) startHolder(ctx context.Context, mounts []mount.Mount) error {
	b := ss.box([]string{"sleep", "infinity"}, holderLimits(ss.run), mounts, roleHolder)
	id, err := ss.sb.create(ctx, b)
	if err != nil {
		return err
	}
	ss.holder = id
	if err := ss.sb.cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		return fmt.Errorf("start holder: %w", err)
	}
	return ss.sb.checkRuntime(ctx, id)
}

func (ss *session) box(cmd []string, l exercises.Limits, mounts []mount.Mount, role string) box {
	return box{
		image: ss.imageID, cmd: cmd, limits: l, mounts: mounts, env: sandboxEnv(l),
		labels: withRole(ss.labels, role), runtime: ss.sb.runtime, seccomp: ss.sb.seccomp,
	}
}

// ImageID is the id the image reference resolved to at Open.
func (ss *session) ImageID() string { return ss.imageID }

// Runtime is the OCI runtime of every container of the session.
func (ss *session) Runtime() string { return ss.sb.runtime.name }

// Close removes every container and volume of the session, on a context
// that survives the caller's cancellation. It may be called more than once.
func (ss *session) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_, err := ss.sb.removeMatching(ctx, LabelSession+"="+ss.id, nil)
	return err
}

// claim returns the volumes of a step name, which runs at most once.
func (ss *session) claim(name string) (*stepVolumes, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	v, ok := ss.steps[name]
	if !ok {
		return nil, fmt.Errorf("step %q was not declared in the run spec", name)
	}
	if v.used {
		return nil, fmt.Errorf("step %q already ran in this session", name)
	}
	v.used = true
	return v, nil
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
