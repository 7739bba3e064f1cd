package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

const (
	// dialTimeout bounds the wait for a gateway whose accept queue is full.
	dialTimeout = 5 * time.Second
	// lingerTimeout bounds how long a refused client may keep sending
	// before its connection is closed.
	lingerTimeout = 2 * time.Second
	// maxHead is as much of a refused request as is read before answering.
	maxHead = 64 << 10
)

// proxy relays TCP connections to the gateway's Unix socket, byte for byte,
// so HTTP keep-alive and server-sent events pass unchanged.
type proxy struct {
	socket string
	slots  chan struct{} // one per relayed connection
	refuse chan struct{} // one per connection being answered 503
}

func newProxy(socket string, limit int) *proxy {
	return &proxy{
		socket: socket,
		slots:  make(chan struct{}, limit),
		refuse: make(chan struct{}, limit),
	}
}

// serve accepts connections until ln is closed.
func (p *proxy) serve(ln net.Listener) {
	var backoff time.Duration
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			// Out of file descriptors, most likely: wait for some to free up.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		p.dispatch(c.(*net.TCPConn))
	}
}

// dispatch relays c if a slot is free, else answers 503; past both limits it
// drops c, so the shim's memory stays bounded whatever the client does.
func (p *proxy) dispatch(c *net.TCPConn) {
	select {
	case p.slots <- struct{}{}:
		go func() {
			defer func() { <-p.slots }()
			p.relay(c)
		}()
		return
	default:
	}
	select {
	case p.refuse <- struct{}{}:
		go func() {
			defer func() { <-p.refuse }()
			msg := fmt.Sprintf("too many concurrent connections to the model gateway (limit %d)", cap(p.slots))
			unavailable(c, "too_many_connections", msg)
		}()
	default:
		_ = c.Close()
	}
}

// relay dials the gateway for c and copies bytes both ways until both sides
// are done.
func (p *proxy) relay(c *net.TCPConn) {
	u, err := net.DialTimeout("unix", p.socket, dialTimeout)
	if err != nil {
		unavailable(c, "gateway_unavailable", "the model gateway is not reachable: "+err.Error())
		return
	}
	done := make(chan struct{})
	go func() {
		pipe(u.(*net.UnixConn), c)
		close(done)
	}()
	pipe(c, u.(*net.UnixConn))
	<-done
	_ = c.Close()
	_ = u.Close()
}

// halfCloser is a connection whose sending side can be shut on its own.
type halfCloser interface {
	io.ReadWriteCloser
	CloseWrite() error
}

// pipe copies src to dst. At src's end of stream it passes the half-close on
// to dst; on an error it closes both, which also ends the opposite pipe.
func pipe(dst, src halfCloser) {
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		_ = src.Close()
		return
	}
	_ = dst.CloseWrite()
}

// unavailable answers c with an HTTP 503 carrying OpenAI's error envelope,
// then closes it.
func unavailable(c *net.TCPConn, code, msg string) {
	defer func() { _ = c.Close() }()
	// Answer after the request: Go's HTTP client discards a response that
	// arrives on a connection before it has written its request.
	_ = c.SetDeadline(time.Now().Add(lingerTimeout))
	skipHead(c)
	body := errorBody(code, msg)
	_ = c.SetDeadline(time.Now().Add(lingerTimeout))
	_, err := fmt.Fprintf(c, "HTTP/1.1 503 Service Unavailable\r\n"+
		"Content-Type: application/json\r\n"+
		"Content-Length: %d\r\n"+
		"Connection: close\r\n\r\n%s", len(body), body)
	if err != nil {
		return
	}
	// Closing with a request body still unread would send a reset, which
	// can destroy the response before the client reads it. Send FIN and
	// drain until the client closes instead.
	_ = c.CloseWrite()
	_, _ = io.Copy(io.Discard, c)
}

// skipHead reads r up to the blank line that ends an HTTP request head, or
// until maxHead bytes, an error or the deadline.
func skipHead(r io.Reader) {
	br := bufio.NewReaderSize(r, 4096)
	for n := 0; n < maxHead; {
		line, err := br.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
		if string(line) == "\r\n" || string(line) == "\n" {
			return
		}
		n += len(line)
	}
}

// apiError is the inner object of OpenAI's error envelope.
type apiError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    string  `json:"code"`
}

func errorBody(code, msg string) []byte {
	b, _ := json.Marshal(struct {
		Error apiError `json:"error"`
	}{apiError{Message: msg, Type: "api_error", Code: code}})
	return append(b, '\n')
}
