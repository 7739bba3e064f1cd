package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// forwarded are the signals passed on to the child. Under Docker's init the
// shim is the only process that receives them.
var forwarded = []os.Signal{
	syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP,
	syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2,
}

// runChild runs argv with the shim's stdin, stdout, environment and working
// directory, forwarding signals, and returns its exit code as a shell would.
func runChild(argv []string, stderr io.Writer) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, stderr

	// Subscribe before the start: a signal that arrives meanwhile waits in
	// the channel and is forwarded once the child exists.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)

	if err := cmd.Start(); err != nil {
		return startFailed(argv[0], err, stderr)
	}
	done := make(chan struct{})
	go forward(cmd.Process, sigs, done)
	err := cmd.Wait()
	close(done)

	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		// The child ran but its output could not be copied to stderr.
		fmt.Fprintf(stderr, "llm-shim: %v\n", err)
	}
	return exitCode(cmd.ProcessState)
}

// forward sends every signal from sigs to p until done is closed.
func forward(p *os.Process, sigs <-chan os.Signal, done <-chan struct{}) {
	for {
		select {
		case s := <-sigs:
			_ = p.Signal(s)
		case <-done:
			return
		}
	}
}

// startFailed reports why name could not be started and returns the shell's
// code for it: 127 when there is no such command, 126 when it cannot run.
func startFailed(name string, err error, stderr io.Writer) int {
	if errors.Is(err, exec.ErrNotFound) {
		fmt.Fprintf(stderr, "llm-shim: %s: command not found\n", name)
		return 127
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err // drop the "fork/exec NAME" prefix
	}
	fmt.Fprintf(stderr, "llm-shim: %s: %v\n", name, err)
	if errors.Is(err, fs.ErrNotExist) {
		return 127
	}
	return 126
}

// exitCode is the child's exit status, or 128 plus the number of the signal
// that killed it.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
