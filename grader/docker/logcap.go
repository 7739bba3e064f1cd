package docker

import (
	"strings"
	"sync"

	"takehome/grader"
)

// logCap keeps the first and last bytes of a step's combined stdout and
// stderr and counts the rest, so its memory is fixed whatever the step
// prints. Once more than limit bytes have come it closes exceeded, and the
// caller kills the container; it still accepts (and discards) what arrives
// until then, because a stream left unread blocks the daemon, kill included.
type logCap struct {
	mu       sync.Mutex
	head     []byte
	headMax  int
	tail     ring
	total    int64
	limit    int64
	exceeded chan struct{}
}

func newLogCap(keep, limit int64) *logCap {
	headMax := int(keep / 2)
	return &logCap{
		head:     make([]byte, 0, headMax),
		headMax:  headMax,
		tail:     ring{buf: make([]byte, int(keep)-headMax)},
		limit:    limit,
		exceeded: make(chan struct{}),
	}
}

// Write implements io.Writer for stdcopy; it never fails.
func (c *logCap) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keep(p)
	c.total += int64(len(p))
	if c.total > c.limit {
		closeOnce(c.exceeded)
	}
	return len(p), nil
}

func (c *logCap) keep(p []byte) {
	if free := c.headMax - len(c.head); free > 0 {
		k := min(free, len(p))
		c.head = append(c.head, p[:k]...)
		p = p[k:]
	}
	c.tail.write(p)
}

// Log returns what was kept, valid UTF-8, and how many bytes were not.
func (c *logCap) Log() grader.Log {
	c.mu.Lock()
	defer c.mu.Unlock()
	tail := c.tail.bytes()
	return grader.Log{
		Head:    strings.ToValidUTF8(string(c.head), "\uFFFD"),
		Tail:    strings.ToValidUTF8(string(tail), "\uFFFD"),
		Dropped: c.total - int64(len(c.head)) - int64(len(tail)),
	}
}

func closeOnce(ch chan struct{}) {
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// ring keeps the last len(buf) bytes written to it.
type ring struct {
	buf  []byte
	next int  // where the next byte goes
	full bool // buf has wrapped at least once
}

func (r *ring) write(p []byte) {
	size := len(r.buf)
	if size == 0 || len(p) == 0 {
		return
	}
	if len(p) >= size {
		copy(r.buf, p[len(p)-size:])
		r.next, r.full = 0, true
		return
	}
	n := copy(r.buf[r.next:], p)
	if n < len(p) {
		copy(r.buf, p[n:])
		r.full = true
	}
	r.next = (r.next + len(p)) % size
	if r.next == 0 {
		r.full = true
	}
}

// bytes returns the kept bytes in order.
func (r *ring) bytes() []byte {
	if !r.full {
		return append([]byte(nil), r.buf[:r.next]...)
	}
	return append(append([]byte(nil), r.buf[r.next:]...), r.buf[:r.next]...)
}
