package docker

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/volume"
)

// Reap removes the containers, then the volumes, labelled by any sandbox
// whose expiry has passed, or labelled by this sandbox's fleet whose owner is
// not alive (alive nil: expiry only). alive must answer for every owner of
// the fleet, e.g. from the workers' heartbeats in the fleet's database. It
// is run at start-up, to clear what a killed runner left, and periodically.
// It returns how many objects it removed.
func (s *Sandbox) Reap(ctx context.Context, alive func(owner string) bool) (removed int, err error) {
	now := s.cfg.Now()
	keep := func(labels map[string]string) bool { return !stale(labels, now, s.cfg.Fleet, alive) }
	n, err := s.removeMatching(ctx, LabelManaged+"=1", keep)
	if n > 0 {
		s.log.Info("reaped sandbox leftovers", "removed", n)
	}
	return n, err
}

// Leftovers counts the containers and volumes still labelled with a run
// id; after Close it must be zero. Tests elsewhere use it to check cleanup.
func (s *Sandbox) Leftovers(ctx context.Context, runID string) (containers, volumes int, err error) {
	args := filters.NewArgs(filters.Arg("label", LabelRun+"="+runID))
	cs, err := s.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: args})
	if err != nil {
		return 0, 0, fmt.Errorf("list containers: %w", err)
	}
	vs, err := s.cli.VolumeList(ctx, volume.ListOptions{Filters: args})
	if err != nil {
		return 0, 0, fmt.Errorf("list volumes: %w", err)
	}
	return len(cs), len(vs.Volumes), nil
}
