package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// shimBin is the static binary under test, built once by TestMain.
var shimBin string

// childEnv names the variable that makes the test binary act as the
// candidate's command (see actAsChild) instead of running the tests.
const childEnv = "LLM_SHIM_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(actAsChild(mode))
	}
	dir, err := os.MkdirTemp("", "llm-shim-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shimBin = filepath.Join(dir, "llm-shim")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", shimBin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build llm-shim: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// actAsChild is the candidate's code in the tests. "get" fetches
// $LLM_SHIM_TEST_URL and prints the status, the content type and then the
// body as it arrives; "trap" prints "ready" and exits 42 on SIGTERM.
func actAsChild(mode string) int {
	switch mode {
	case "get":
		resp, err := http.Get(os.Getenv("LLM_SHIM_TEST_URL"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer resp.Body.Close()
		fmt.Printf("status=%d type=%s\n", resp.StatusCode, resp.Header.Get("Content-Type"))
		if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	case "trap":
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM)
		fmt.Println("ready")
		select {
		case <-sigs:
			return 42
		case <-time.After(10 * time.Second):
			return 1
		}
	}
	fmt.Fprintln(os.Stderr, "unknown child mode", mode)
	return 2
}

func TestStaticBinary(t *testing.T) {
	f, err := elf.Open(shimBin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("program header %v: the binary is dynamically linked", p.Type)
		}
	}
	if f.Section(".dynamic") != nil {
		t.Error("the binary has a .dynamic section")
	}
	if fi, err := os.Stat(shimBin); err == nil {
		t.Logf("static binary: %d bytes", fi.Size())
	}
}

func TestExitCode(t *testing.T) {
	notExec := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		argv       []string
		want       int
		wantStderr string
	}{
		{"exit status", []string{"sh", "-c", "exit 7"}, 7, ""},
		{"killed by a signal", []string{"sh", "-c", "kill -KILL $$"}, 137, ""},
		{"not found", []string{"llm-shim-no-such-command"}, 127, "llm-shim: llm-shim-no-such-command: command not found\n"},
		{"no such file", []string{"/nonexistent/cmd"}, 127, "llm-shim: /nonexistent/cmd: no such file or directory\n"},
		{"not executable", []string{notExec}, 126, "llm-shim: " + notExec + ": permission denied\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := startShim(t, nil, shimArgs(freePort(t), missingSocket(t), tt.argv...)...)
			code, stdout := r.wait(t)
			if code != tt.want {
				t.Errorf("exit code %d, want %d", code, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if got := r.stderr.String(); got != tt.wantStderr {
				t.Errorf("stderr %q, want %q", got, tt.wantStderr)
			}
		})
	}
}

func TestRunSubcommandSpelling(t *testing.T) {
	r := startShim(t, nil, "run", "-listen", freePort(t), "--", "sh", "-c", "exit 5")
	if code, _ := r.wait(t); code != 5 {
		t.Errorf("exit code %d, want 5", code)
	}
}

func TestListenFailsChildStillRuns(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := startShim(t, nil, shimArgs(ln.Addr().String(), missingSocket(t), "sh", "-c", "echo hi; exit 3")...)
	code, stdout := r.wait(t)
	if code != 3 || stdout != "hi\n" {
		t.Errorf("exit code %d, stdout %q; want 3, %q", code, stdout, "hi\n")
	}
	stderr := r.stderr.String()
	if !strings.HasPrefix(stderr, "llm-shim: ") || strings.Count(stderr, "\n") != 1 ||
		!strings.Contains(stderr, "address already in use") {
		t.Errorf("stderr %q, want one llm-shim line about the port in use", stderr)
	}
}

func TestSignalReachesChild(t *testing.T) {
	r := startShim(t, []string{childEnv + "=trap"}, shimArgs(freePort(t), missingSocket(t), testBinary(t))...)
	if line := r.next(t); line != "ready" {
		t.Fatalf("child said %q, want ready", line)
	}
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code, _ := r.wait(t); code != 42 {
		t.Errorf("exit code %d, want 42 (the child's answer to SIGTERM); stderr %q", code, r.stderr.String())
	}
}

// shimArgs is the shim's argv for listen, socket and the child's argv.
func shimArgs(listen, socket string, argv ...string) []string {
	return append([]string{"-listen", listen, "-socket", socket, "--"}, argv...)
}

// shimRun is a running shim whose stdout is read line by line.
type shimRun struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *bytes.Buffer
}

// startShim starts the shim with args and the test's environment plus env.
func startShim(t *testing.T, env []string, args ...string) *shimRun {
	t.Helper()
	r := &shimRun{
		cmd:    exec.Command(shimBin, args...),
		lines:  make(chan string, 100),
		stderr: new(bytes.Buffer),
	}
	r.cmd.Env = append(os.Environ(), env...)
	r.cmd.Stderr = r.stderr
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	go func() {
		defer close(r.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
	}()
	return r
}

// next returns the next line of stdout.
func (r *shimRun) next(t *testing.T) string {
	t.Helper()
	select {
	case line, ok := <-r.lines:
		if !ok {
			t.Fatalf("stdout ended; stderr %q", r.stderr.String())
		}
		return line
	case <-time.After(5 * time.Second):
		t.Fatalf("no line on stdout after 5s; stderr %q", r.stderr.String())
	}
	return ""
}

// wait returns the shim's exit code and the rest of its stdout.
func (r *shimRun) wait(t *testing.T) (int, string) {
	t.Helper()
	var rest strings.Builder
	timeout := time.After(10 * time.Second)
	for done := false; !done; {
		select {
		case line, ok := <-r.lines:
			if !ok {
				done = true
				continue
			}
			rest.WriteString(line + "\n")
		case <-timeout:
			t.Fatalf("shim still running after 10s; stderr %q", r.stderr.String())
		}
	}
	err := r.cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatal(err)
	}
	return r.cmd.ProcessState.ExitCode(), rest.String()
}

// freePort returns a loopback address nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// socketDir is a short temporary directory: a Unix socket path must fit in
// 108 bytes, which t.TempDir's long names can exceed.
func socketDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "shim")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func missingSocket(t *testing.T) string {
	return filepath.Join(socketDir(t), "missing.sock")
}

func testBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}
