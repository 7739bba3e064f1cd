package deploy

import (
	"context"
	"strings"

	"takehome/grader/docker"
)

// Leftovers lists the sandbox containers (running or not) and volumes on
// the engine whose owner runs in one of the containers with these
// hostnames: a runner's owner label is "HOSTNAME-PID-RANDOM".
func Leftovers(ctx context.Context, hostnames []string) ([]string, error) {
	var found []string
	label := "label=" + docker.LabelManaged + "=1"
	format := `{{.Label "` + docker.LabelOwner + `"}}`
	for kind, args := range map[string][]string{
		"container": {"ps", "-a", "--filter", label, "--format", "{{.Names}} " + format},
		"volume":    {"volume", "ls", "--filter", label, "--format", "{{.Name}} " + format},
	} {
		out, err := Docker(ctx, args...)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			name, owner, _ := strings.Cut(line, " ")
			if name != "" && ownedBy(owner, hostnames) {
				found = append(found, kind+" "+name)
			}
		}
	}
	return found, nil
}

// RemoveLeftovers force-removes what Leftovers finds.
func RemoveLeftovers(ctx context.Context, hostnames []string) error {
	found, err := Leftovers(ctx, hostnames)
	if err != nil {
		return err
	}
	for _, f := range found {
		kind, name, _ := strings.Cut(f, " ")
		if kind == "container" {
			_, err = Docker(ctx, "rm", "-f", "-v", name)
		} else {
			_, err = Docker(ctx, "volume", "rm", "-f", name)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func ownedBy(owner string, hostnames []string) bool {
	for _, h := range hostnames {
		if h != "" && strings.HasPrefix(owner, h+"-") {
			return true
		}
	}
	return false
}
