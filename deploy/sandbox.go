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
	format := `{{.Label "` + docker.LabelOwner + `"}} {{.Label "` + docker.LabelRole + `"}}`
	for kind, args := range map[string][]string{
		"container": {"ps", "-a", "--filter", label, "--format", "{{.Names}} " + format},
		"volume":    {"volume", "ls", "--filter", label, "--format", "{{.Name}} " + format},
	} {
		out, err := Docker(ctx, args...)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && ownedBy(f[1], hostnames) {
				if len(f) == 3 && f[2] == "gateway" {
					kind = "gateway volume" // a worker's own while it lives
				}
				found = append(found, kind+" "+f[0])
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
		name := f[strings.LastIndex(f, " ")+1:]
		if strings.HasPrefix(f, "container ") {
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
