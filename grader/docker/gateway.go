package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"

	"takehome/grader"
)

// Where a step with model access finds the gateway.
const (
	GatewayDir    = "/run/takehome"          // the gateway volume, read-only
	GatewaySocket = GatewayDir + "/llm.sock" // the gateway listens here
	shimDir       = "/opt/takehome"          // the session's tools volume, read-only
	shimPath      = shimDir + "/llm-shim"
	shimListen    = "127.0.0.1:8765"
)

// Gateway is how steps reach the model gateway: a named volume holding
// its Unix socket, and the static shim that serves it on 127.0.0.1:8765
// inside the step. The step keeps NetworkMode none: the socket is its only
// way out, and it leads to the gateway's API only.
type Gateway struct {
	Volume string // named volume whose root holds llm.sock
	Shim   []byte // the llm-shim binary (static: the image's libc is unknown)
	// HostDir and Labels, when set, let a run re-create the volume: a
	// reaper that took this worker for dead (cut off from the database)
	// may have removed it, and a step would then mount an empty one.
	HostDir string
	Labels  map[string]string
}

// ensureGatewayVolume re-creates the gateway volume when it is gone.
func (s *Sandbox) ensureGatewayVolume(ctx context.Context) error {
	g := s.cfg.Gateway
	if g.HostDir == "" {
		return nil
	}
	if _, err := s.cli.VolumeInspect(ctx, g.Volume); err == nil || !errdefs.IsNotFound(err) {
		return err
	}
	s.log.Warn("the gateway volume was removed (a reaper took this worker for dead?): creating it again", "volume", g.Volume)
	return CreateGatewayVolume(ctx, g.Volume, g.HostDir, g.Labels)
}

// CreateGatewayVolume makes the named volume the gateway's socket lives in
// as a bind of hostDir, so a gateway running on the engine's host (make
// run, a worker). An existing volume of the name is kept when it binds the
// same directory. The labels of GatewayLabels let the reaper remove it
// once its worker is dead.
func CreateGatewayVolume(ctx context.Context, name, hostDir string, labels map[string]string) error {
	cli, err := newClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	v, err := cli.VolumeInspect(ctx, name)
	if err == nil {
		if v.Options["device"] != hostDir {
			return fmt.Errorf("volume %s exists and binds %q, not %q: remove it (docker volume rm %s)", name, v.Options["device"], hostDir, name)
		}
		return nil
	}
	if !errdefs.IsNotFound(err) {
		return fmt.Errorf("inspect volume %s: %w", name, err)
	}
	_, err = cli.VolumeCreate(ctx, volume.CreateOptions{Name: name, Driver: "local", Labels: labels,
		DriverOpts: map[string]string{"type": "none", "o": "bind", "device": hostDir}})
	if err != nil {
		return fmt.Errorf("create volume %s: %w", name, err)
	}
	return nil
}

// GatewayLabels label a worker's gateway volume as its own, with no expiry
// that matters: the reaper removes it only when the worker is dead.
func GatewayLabels(owner, fleet string) map[string]string {
	return runLabels(map[string]string{LabelRole: "gateway"}, "gateway", "gateway-"+owner,
		Config{Owner: owner, Fleet: fleet}, time.Now().AddDate(100, 0, 0))
}

// RemoveGatewayVolume removes a worker's gateway volume when it stops.
func RemoveGatewayVolume(ctx context.Context, name string) error {
	cli, err := newClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	if err := cli.VolumeRemove(ctx, name, true); err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("remove volume %s: %w", name, err)
	}
	return nil
}

// gatewayMounts are a step's mounts for model access: the shim and the
// socket, both read-only.
func (ss *session) gatewayMounts() []mount.Mount {
	return []mount.Mount{
		volumeMount(ss.tools, shimDir, true),
		volumeMount(ss.sb.cfg.Gateway.Volume, GatewayDir, true),
	}
}

// withGateway wraps a step's command in the shim and gives it the
// variables the OpenAI SDKs read.
func withGateway(cmd []string, g *grader.StepGateway) ([]string, []string) {
	argv := append([]string{shimPath, "-listen", shimListen, "-socket", GatewaySocket, "--"}, cmd...)
	env := []string{
		"OPENAI_BASE_URL=http://" + shimListen + "/v1",
		"OPENAI_API_KEY=" + g.Token,
		"TAKEHOME_MODELS=" + strings.Join(g.Models, ","),
	}
	return argv, env
}

// createTools makes the session's tools volume (exec allowed, unlike the
// others) and puts the shim in it, owned by root and not writable.
func (ss *session) createTools(ctx context.Context) (mount.Mount, error) {
	name, err := ss.sb.createVolume(ctx, ss.labels, int64(len(ss.sb.cfg.Gateway.Shim))+1<<20, false)
	if err != nil {
		return mount.Mount{}, err
	}
	ss.tools = name
	return volumeMount(name, "/tools", false), nil
}

func (ss *session) copyShim(ctx context.Context) error {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	shim := ss.sb.cfg.Gateway.Shim
	h := &tar.Header{Typeflag: tar.TypeReg, Name: "llm-shim", Mode: 0o555, Size: int64(len(shim)), ModTime: time.Now()}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	if _, err := tw.Write(shim); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := ss.sb.cli.CopyToContainer(ctx, ss.holder, "/tools", &buf, container.CopyToContainerOptions{}); err != nil {
		return fmt.Errorf("copy the llm shim: %w", err)
	}
	return nil
}
