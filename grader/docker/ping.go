package docker

import (
	"context"

	"takehome/grader"
)

// Ping reports whether the engine answers, for readiness checks.
func (s *Sandbox) Ping(ctx context.Context) error {
	if _, err := s.cli.Ping(ctx); err != nil {
		return grader.Errorf(grader.CodeUnavailable, "docker engine unreachable: %v", err)
	}
	return nil
}
