package deploy

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Project is one compose project of the repository's docker-compose.yml.
// Its runner image is tagged with the project's name, so parallel projects
// do not retag each other's and Down can remove it.
type Project struct {
	Root  string   // the repository root
	Name  string   // the compose project name
	Files []string // compose files, relative to Root
	Env   []string // KEY=VALUE added to every command's environment

	db string // the database container, once known
}

// NewProject returns a project with a fresh name starting with prefix, a
// random database password and the web server on a free loopback port.
// root is the repository root; files are the compose files (default
// docker-compose.yml).
func NewProject(root, prefix string, files ...string) (*Project, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		files = []string{"docker-compose.yml"}
	}
	name := prefix + "-" + randomHex(4)
	return &Project{Root: abs, Name: name, Files: files, Env: []string{
		"POSTGRES_PASSWORD=" + randomHex(12),
		"RUNNER_IMAGE=takehome/runner:" + name,
		"RUNNER_WEB_PORT=127.0.0.1:0",
	}}, nil
}

// SetEnv sets a variable of the commands' environment.
func (p *Project) SetEnv(key, value string) {
	p.Env = slices.DeleteFunc(p.Env, func(kv string) bool { return strings.HasPrefix(kv, key+"=") })
	p.Env = append(p.Env, key+"="+value)
}

// Image is the project's runner image.
func (p *Project) Image() string { return "takehome/runner:" + p.Name }

// Compose runs scripts/compose.sh with the project's name and files and
// returns its standard output. The error carries the standard error.
func (p *Project) Compose(ctx context.Context, args ...string) (string, error) {
	full := []string{"-p", p.Name}
	for _, f := range p.Files {
		full = append(full, "-f", f)
	}
	cmd := exec.CommandContext(ctx, filepath.Join(p.Root, "scripts", "compose.sh"), append(full, args...)...)
	cmd.Dir = p.Root
	cmd.Env = append(os.Environ(), p.Env...)
	return output(cmd, "compose "+strings.Join(args, " "))
}

// Up builds the images and starts the project with n worker containers,
// each working workers jobs at once; it returns once the database is
// healthy, migrations and sandbox images are done and the services run.
func (p *Project) Up(ctx context.Context, n, workers int) error {
	p.SetEnv("RUNNER_WORKERS", fmt.Sprint(workers))
	_, err := p.Compose(ctx, "up", "-d", "--build", "--scale", fmt.Sprintf("worker=%d", n))
	return err
}

// Scale sets the number of worker containers, each working workers jobs at
// once (a changed setting recreates them).
func (p *Project) Scale(ctx context.Context, n, workers int) error {
	p.SetEnv("RUNNER_WORKERS", fmt.Sprint(workers))
	_, err := p.Compose(ctx, "up", "-d", "--no-build", "--no-deps", "--scale", fmt.Sprintf("worker=%d", n), "worker")
	return err
}

// Down removes the project's containers, networks and volumes and its
// runner image. Workers get timeout to drain.
func (p *Project) Down(ctx context.Context, timeout time.Duration) error {
	_, err := p.Compose(ctx, "down", "-v", "--remove-orphans", "-t", fmt.Sprint(int(timeout.Seconds())))
	if _, rerr := Docker(ctx, "image", "rm", p.Image()); rerr != nil && err == nil && !strings.Contains(rerr.Error(), "No such image") {
		err = rerr
	}
	return err
}

// Containers returns the ids of a service's containers, in compose's order.
func (p *Project) Containers(ctx context.Context, service string) ([]string, error) {
	out, err := p.Compose(ctx, "ps", "-q", service)
	if err != nil {
		return nil, err
	}
	return strings.Fields(out), nil
}

// Took returns how long a one-shot service's container ran.
func (p *Project) Took(ctx context.Context, service string) (time.Duration, error) {
	out, err := p.Compose(ctx, "ps", "-a", "-q", service)
	if err != nil {
		return 0, err
	}
	ids := strings.Fields(out)
	if len(ids) == 0 {
		return 0, fmt.Errorf("service %s has no container", service)
	}
	out, err = Docker(ctx, "inspect", "-f", "{{.State.StartedAt}} {{.State.FinishedAt}}", ids[0])
	if err != nil {
		return 0, err
	}
	var ts [2]time.Time
	f := strings.Fields(out)
	for i := range ts {
		if len(f) != 2 {
			return 0, fmt.Errorf("inspect %s: %q", service, out)
		}
		if ts[i], err = time.Parse(time.RFC3339Nano, f[i]); err != nil {
			return 0, fmt.Errorf("inspect %s: %w", service, err)
		}
	}
	return ts[1].Sub(ts[0]), nil
}

// Container returns the id of a service's only (or first) container.
func (p *Project) Container(ctx context.Context, service string) (string, error) {
	ids, err := p.Containers(ctx, service)
	if err != nil {
		return "", err
	}
	if len(ids) == 0 {
		return "", fmt.Errorf("service %s has no container", service)
	}
	return ids[0], nil
}

// Network returns the engine's name of one of the project's networks.
func (p *Project) Network(ctx context.Context, name string) (string, error) {
	out, err := Docker(ctx, "network", "ls", "-q", "--filter", "label=com.docker.compose.project="+p.Name,
		"--filter", "label=com.docker.compose.network="+name, "--format", "{{.Name}}")
	if err != nil {
		return "", err
	}
	if f := strings.Fields(out); len(f) == 1 {
		return f[0], nil
	}
	return "", fmt.Errorf("network %s of project %s: found %q", name, p.Name, out)
}

// Runner runs a runner command in the web container, with its settings.
func (p *Project) Runner(ctx context.Context, args ...string) (string, error) {
	return p.Compose(ctx, append([]string{"exec", "-T", "web", "runner"}, args...)...)
}

// SQL runs one query with psql in the database container and returns its
// rows unaligned, without headers. It calls docker, not compose: polling
// through compose v1 (a Python process each time) would take a good part
// of a core from what is measured.
func (p *Project) SQL(ctx context.Context, query string) (string, error) {
	if p.db == "" {
		id, err := p.Container(ctx, "db")
		if err != nil {
			return "", err
		}
		p.db = id // a restart keeps the id
	}
	out, err := Docker(ctx, "exec", p.db, "psql", "-U", "takehome", "-d", "takehome", "-v", "ON_ERROR_STOP=1", "-tAc", query)
	return strings.TrimSpace(out), err
}

var tokenRE = regexp.MustCompile(`api token: (\S+)`)

// CreateAdmin makes an admin with `runner user create` and returns its API token.
func (p *Project) CreateAdmin(ctx context.Context, email string) (string, error) {
	out, err := p.Runner(ctx, "user", "create", "--role", "admin", "--email", email)
	if err != nil {
		return "", err
	}
	m := tokenRE.FindStringSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("no api token in %q", out)
	}
	return m[1], nil
}

// HostAddr returns the loopback host:port on which a container publishes port.
func HostAddr(ctx context.Context, container string, port int) (string, error) {
	out, err := Docker(ctx, "port", container, fmt.Sprintf("%d/tcp", port))
	if err != nil {
		return "", err
	}
	for _, line := range strings.Fields(out) {
		if strings.HasPrefix(line, "127.0.0.1:") {
			return line, nil
		}
	}
	return "", fmt.Errorf("container %.12s publishes %d on no loopback port: %q", container, port, out)
}

// Hostname returns a container's hostname: the first part of the owner
// label of the sandbox objects a worker in it creates.
func Hostname(ctx context.Context, container string) (string, error) {
	out, err := Docker(ctx, "inspect", "-f", "{{.Config.Hostname}}", container)
	return strings.TrimSpace(out), err
}

// Health returns a container's health status ("healthy", "starting", ...).
func Health(ctx context.Context, container string) (string, error) {
	out, err := Docker(ctx, "inspect", "-f", "{{if .State.Health}}{{.State.Health.Status}}{{end}}", container)
	return strings.TrimSpace(out), err
}

// Docker runs the docker CLI and returns its standard output.
func Docker(ctx context.Context, args ...string) (string, error) {
	return output(exec.CommandContext(ctx, "docker", args...), "docker "+strings.Join(args, " "))
}

func output(cmd *exec.Cmd, what string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s: %w\n%s", what, err, lastLines(stderr.String(), 30))
	}
	return stdout.String(), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
