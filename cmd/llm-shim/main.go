// Command llm-shim runs inside a grading sandbox around the candidate's
// command. It listens on a loopback TCP port, relays every connection to the
// model gateway's Unix socket, and runs the command as its child: signals go
// to the child and the child's exit status becomes the shim's.
//
//	llm-shim [-listen 127.0.0.1:8765] [-socket /run/takehome/llm.sock] -- CMD ARGS...
//
// The shim writes nothing to stdout, which belongs to the candidate; its own
// errors go to stderr prefixed "llm-shim: ".
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
)

// maxConns caps the connections relayed at once, so the candidate cannot make
// the shim exhaust the sandbox's memory or file descriptors.
const maxConns = 64

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run parses args, starts the relay and runs the command; it returns the exit
// code. The child's stdin and stdout are the process's own; its stderr is
// stderr.
func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("llm-shim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8765", "TCP `address` the candidate's code calls")
	socket := fs.String("socket", "/run/takehome/llm.sock", "Unix socket `path` of the model gateway")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: llm-shim [-listen addr] [-socket path] -- CMD ARGS...")
		fs.PrintDefaults()
	}
	// GATEWAY.md spells the argv "llm-shim run -- CMD"; accept that too.
	if len(args) > 0 && args[0] == "run" {
		args = args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fs.Usage()
		return 2
	}

	// Listen before the child starts, so its first request finds the port.
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		// The candidate's code still runs; only its model calls fail.
		fmt.Fprintf(stderr, "llm-shim: %v; model access is disabled\n", err)
	} else {
		defer func() { _ = ln.Close() }()
		p := newProxy(*socket, maxConns)
		go p.serve(ln)
	}
	return runChild(argv, stderr)
}
