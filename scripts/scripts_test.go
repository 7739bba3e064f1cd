// Package scripts tests the shell scripts `make run` and `make test` use,
// by running them: PostgreSQL clusters in temporary directories on free
// ports, and the dependency installer in a fresh Debian container.
package scripts

import (
	"bytes"
	"database/sql"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"takehome/images"
)

// cluster is a pg.sh cluster of one test: its directory and port.
type cluster struct {
	t    *testing.T
	dir  string
	port int
}

// newCluster picks a directory and a free port; the cluster is stopped
// when the test ends, before its directory is removed.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	parent := t.TempDir()
	// As root, pg.sh runs PostgreSQL as the postgres user, who must reach
	// the directory.
	if err := os.Chmod(filepath.Dir(parent), 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c := &cluster{t: t, dir: filepath.Join(parent, "pg"), port: port}
	t.Cleanup(func() { c.script("pg.sh", "stop") })
	return c
}

// script runs a script of this directory (or testdata/) on the cluster and
// returns its stdout.
func (c *cluster) script(name string, args ...string) string {
	c.t.Helper()
	cmd := exec.Command("./"+name, args...)
	cmd.Env = append(os.Environ(), "PGDATA_DIR="+c.dir, "PGPORT_TAKEHOME="+strconv.Itoa(c.port))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		c.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// start runs a pg.sh and checks the DATABASE_URL it prints.
func (c *cluster) start(name string, args ...string) {
	c.t.Helper()
	want := "export DATABASE_URL='" + c.url() + "'\n"
	if out := c.script(name, args...); out != want {
		c.t.Fatalf("%s printed %q, want %q", name, out, want)
	}
}

func (c *cluster) url() string {
	return "postgres://takehome@127.0.0.1:" + strconv.Itoa(c.port) + "/takehome?sslmode=disable"
}

// wantDurability fails unless a new session sees fsync, synchronous_commit
// and full_page_writes all set to want.
func (c *cluster) wantDurability(want string) {
	c.t.Helper()
	db, err := sql.Open("pgx", c.url())
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		var got string
		if err := db.QueryRow("SHOW " + name).Scan(&got); err != nil {
			c.t.Fatalf("SHOW %s: %v", name, err)
		}
		if got != want {
			c.t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
}

// TestRunClusterIsDurable starts the cluster `make run` uses: durability on.
func TestRunClusterIsDurable(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	c.start("pg.sh")
	c.wantDurability("on")
	c.start("pg.sh") // already running: nothing changes
	c.wantDurability("on")
}

// TestFastClusterIsNotDurable starts a test cluster: durability off.
func TestFastClusterIsNotDurable(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	c.start("pg.sh", "--fast")
	c.wantDurability("off")
}

// TestOldClusterIsRepaired makes a cluster with the script from before
// issue 9 (durability off) and starts it with pg.sh: running, it is
// reloaded; stopped, it starts durable; and it stays so on later starts.
func TestOldClusterIsRepaired(t *testing.T) {
	t.Parallel()
	c := newCluster(t)
	c.start("testdata/pg_old.sh")
	c.wantDurability("off")
	c.start("pg.sh") // still running: reloaded
	c.wantDurability("on")

	c.script("pg.sh", "stop")
	c.start("testdata/pg_old.sh") // the old script starts it as it is
	c.wantDurability("on")

	d := newCluster(t)
	d.start("testdata/pg_old.sh")
	d.script("pg.sh", "stop")
	d.start("pg.sh") // stopped: starts durable
	d.wantDurability("on")
	conf, err := os.ReadFile(filepath.Join(d.dir, "postgresql.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(conf), "\n") {
		if strings.HasSuffix(line, " = off") && !strings.HasPrefix(line, "#") {
			t.Errorf("postgresql.conf still has %q", line)
		}
	}
}

// debianImage returns a Debian bookworm image the engine has: the offline
// base, or the online one.
func debianImage(t *testing.T) string {
	t.Helper()
	for _, img := range []string{images.OfflineBase, images.OnlineBase} {
		if exec.Command("docker", "image", "inspect", img).Run() == nil {
			return img
		}
	}
	t.Fatalf("neither %s nor %s is present: run scripts/offline-base.sh", images.OfflineBase, images.OnlineBase)
	return ""
}

// inDebian runs deps.sh with args in a fresh container of image as user,
// then `command -v debootstrap`, and returns the exit code and output.
func inDebian(t *testing.T, image, user string, args ...string) (int, string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	script := `/scripts/deps.sh "$@"; rc=$?; command -v debootstrap; exit $rc`
	cmd := exec.Command("docker", append([]string{"run", "--rm", "--user", user, "-v", dir + ":/scripts:ro",
		image, "bash", "-c", script, "deps"}, args...)...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatalf("docker run: %v\n%s", err, out)
	}
	return 0, string(out)
}

// TestDepsOnAFreshMachine runs deps.sh in a fresh Debian container that
// lacks debootstrap, as the package lists are after debootstrap or in a
// slim image: empty. As root it updates and installs it; as another user
// it stops with the exact command to run.
func TestDepsOnAFreshMachine(t *testing.T) {
	t.Parallel()
	image := debianImage(t)

	code, out := inDebian(t, image, "65534", "debootstrap", "chromium")
	if code != 1 || !strings.Contains(out, "sudo apt-get update && sudo apt-get install -y debootstrap chromium") {
		t.Errorf("as nobody: exit %d, want 1 with the install command:\n%s", code, out)
	}
	if code, out := inDebian(t, image, "65534", "nonsense"); code != 2 {
		t.Errorf("an unknown need: exit %d, want 2:\n%s", code, out)
	}

	code, out = inDebian(t, image, "0", "debootstrap")
	if code != 0 || !strings.Contains(out, "installing debootstrap") || !strings.HasSuffix(strings.TrimSpace(out), "/usr/sbin/debootstrap") {
		t.Errorf("as root: exit %d, want debootstrap installed:\n%s", code, out)
	}
}

// TestDepsWithNothingMissing checks that deps.sh does nothing, quietly,
// when what is asked for is installed (PostgreSQL: the tests need it).
func TestDepsWithNothingMissing(t *testing.T) {
	out, err := exec.Command("./deps.sh", "postgresql").CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Errorf("deps.sh postgresql with PostgreSQL installed: %v %q", err, out)
	}
}

// TestScriptsUseDeps checks the wiring a fresh machine relies on: every
// entry point installs what it needs through deps.sh, `make run` starts the
// durable cluster and `make test` a fast one of its own, and all of them
// parse.
func TestScriptsUseDeps(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for name, want := range map[string][]string{
		"../.ci/run": {"scripts/deps.sh debootstrap chromium postgresql"},
		"run.sh":     {"scripts/deps.sh postgresql", `eval "$(scripts/pg.sh)"`},
		"test.sh":    {"scripts/deps.sh chromium", `eval "$(scripts/pg.sh --fast)"`, "PGDATA_DIR=${PGDATA_DIR:-$PWD/.data/test-pg}"},
		"images.sh":  {`"$here/deps.sh" debootstrap`, `"$runner" images build --dry-run`},
	} {
		text := read(name)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %s", name, w)
			}
		}
		if strings.Contains(text, "apt-get install") {
			t.Errorf("%s installs packages itself; deps.sh is the one place", name)
		}
	}
	if strings.Contains(read("run.sh"), "--fast") {
		t.Error("run.sh starts a cluster without durability")
	}
	scripts, _ := filepath.Glob("*.sh")
	for _, s := range append(scripts, "../.ci/run", "testdata/pg_old.sh") {
		if out, err := exec.Command("bash", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
	}
}
