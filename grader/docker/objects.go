package docker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/volume"
)

// create creates a hardened container; it does not start it.
func (s *Sandbox) create(ctx context.Context, b box) (string, error) {
	resp, err := s.cli.ContainerCreate(ctx, containerConfig(b), hostConfig(b), nil, nil, "")
	if err != nil {
		return "", fmt.Errorf("create container: %w", err)
	}
	return resp.ID, nil
}

// checkRuntime verifies that a configured runtime is really the one the
// engine used for the container.
func (s *Sandbox) checkRuntime(ctx context.Context, id string) error {
	want := s.runtime.requested()
	if want == "" {
		return nil
	}
	c, err := s.cli.ContainerInspect(ctx, id)
	if err != nil {
		return fmt.Errorf("inspect container: %w", err)
	}
	if c.HostConfig == nil || c.HostConfig.Runtime != want {
		return fmt.Errorf("container runs with runtime %q, want %q", c.HostConfig.Runtime, want)
	}
	return nil
}

// remove force-removes a container on a context that survives cancellation:
// it is what a defer calls.
func (s *Sandbox) remove(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	err := s.cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !errdefs.IsNotFound(err) {
		s.log.Warn("remove container", "container", id, "err", err)
	}
}

// createVolume creates a labelled local volume: tmpfs capped at size bytes
// and owned by the sandbox user when size > 0, on disk otherwise.
func (s *Sandbox) createVolume(ctx context.Context, labels map[string]string, size int64, noexec bool) (string, error) {
	opts := volume.CreateOptions{Driver: "local", Labels: labels}
	if size > 0 {
		o := fmt.Sprintf("size=%d,uid=65534,gid=65534,mode=0755,nosuid,nodev", size)
		if noexec {
			o += ",noexec"
		}
		opts.DriverOpts = map[string]string{"type": "tmpfs", "device": "tmpfs", "o": o}
	}
	v, err := s.cli.VolumeCreate(ctx, opts)
	if err != nil {
		return "", fmt.Errorf("create volume: %w", err)
	}
	return v.Name, nil
}

// removeMatching removes the containers, then the volumes, that carry the
// label filter (key=value) and for which keep returns false (nil keeps
// none). It returns how many objects it removed.
func (s *Sandbox) removeMatching(ctx context.Context, label string, keep func(map[string]string) bool) (int, error) {
	args := filters.NewArgs(filters.Arg("label", label))
	cs, err := s.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: args})
	if err != nil {
		return 0, fmt.Errorf("list containers: %w", err)
	}
	n, errs := 0, []error{}
	for _, c := range cs {
		if keep != nil && keep(c.Labels) {
			continue
		}
		err := s.cli.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
		if err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove container %.12s: %w", c.ID, err))
			continue
		}
		n++
	}
	m, err := s.removeVolumes(ctx, args, keep)
	return n + m, errors.Join(append(errs, err)...)
}

func (s *Sandbox) removeVolumes(ctx context.Context, args filters.Args, keep func(map[string]string) bool) (int, error) {
	vs, err := s.cli.VolumeList(ctx, volume.ListOptions{Filters: args})
	if err != nil {
		return 0, fmt.Errorf("list volumes: %w", err)
	}
	n, errs := 0, []error{}
	for _, v := range vs.Volumes {
		if keep != nil && keep(v.Labels) {
			continue
		}
		if err := s.removeVolume(ctx, v.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// removeVolume retries briefly: right after its last container is removed
// the engine may still count a volume as in use.
func (s *Sandbox) removeVolume(ctx context.Context, name string) error {
	var err error
	for range 5 {
		err = s.cli.VolumeRemove(ctx, name, true)
		if err == nil || errdefs.IsNotFound(err) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("remove volume %.12s: %w", name, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("remove volume %.12s: %w", name, err)
}
