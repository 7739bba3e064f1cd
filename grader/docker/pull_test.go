package docker

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// TestPullImageGivesUpOnASilentRegistry points a pull at a registry that
// accepts connections and never answers: the pull is abandoned after the
// answer timeout, not the engine's own much longer ones.
func TestPullImageGivesUpOnASilentRegistry(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold the connection open, say nothing
		}
	}()
	ref := ln.Addr().String() + "/takehome-test/silent:1"
	start := time.Now()
	err = PullImage(context.Background(), ref, time.Second)
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "no answer from its registry within 1s") {
		t.Errorf("pull from a silent registry = %v, want no answer within 1s", err)
	}
	if took > 5*time.Second {
		t.Errorf("the pull gave up after %s, want about 1s", took)
	}
}

// TestPullImageReportsAFailingRegistry checks that a registry that fails at
// once (nothing listens) is an error right away, not a timeout.
func TestPullImageReportsAFailingRegistry(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = PullImage(context.Background(), addr+"/takehome-test/refused:1", 10*time.Second)
	if err == nil || strings.Contains(err.Error(), "no answer") {
		t.Errorf("pull from a closed port = %v, want the engine's error", err)
	}
}
