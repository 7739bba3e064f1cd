package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// startProxy serves a proxy to socket with limit slots on a loopback port and
// returns its address.
func startProxy(t *testing.T, socket string, limit int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go newProxy(socket, limit).serve(ln)
	return ln.Addr().String()
}

// startUpstream accepts connections on a Unix socket and hands each to h.
func startUpstream(t *testing.T, h func(net.Conn)) string {
	t.Helper()
	path := filepath.Join(socketDir(t), "up.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go h(c)
		}
	}()
	return path
}

func dial(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	return c.(*net.TCPConn)
}

func TestProxyPassesHalfClose(t *testing.T) {
	// The upstream answers only once the client has finished sending, then
	// closes: both half-closes must cross the proxy.
	socket := startUpstream(t, func(c net.Conn) {
		defer c.Close()
		req, _ := io.ReadAll(c)
		_, _ = c.Write(append([]byte("got "), req...))
	})
	c := dial(t, startProxy(t, socket, 4))
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "got hello" {
		t.Errorf("read %q, want %q", got, "got hello")
	}
}

func TestProxyLimit(t *testing.T) {
	held := make(chan struct{})
	socket := startUpstream(t, func(c net.Conn) {
		defer c.Close()
		_, _ = c.Read(make([]byte, 1))
		held <- struct{}{}
		_, _ = io.Copy(io.Discard, c)
	})
	addr := startProxy(t, socket, 1)

	first := dial(t, addr)
	if _, err := first.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-held:
	case <-time.After(5 * time.Second):
		t.Fatal("the first connection did not reach the upstream")
	}

	second := dial(t, addr)
	if _, err := second.Write([]byte("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(second), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != "application/json" ||
		!resp.Close {
		t.Errorf("got %s, %v, close %v; want 503, JSON, Connection: close", resp.Status, resp.Header, resp.Close)
	}
	checkEnvelope(t, string(body), "too_many_connections", "too many concurrent connections")
}
