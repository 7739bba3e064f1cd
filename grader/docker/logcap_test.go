package docker

import (
	"bytes"
	"strings"
	"testing"
)

func TestLogCap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		keep       int64
		limit      int64
		writes     []string
		head, tail string
		dropped    int64
		exceeded   bool
	}{
		{"fits", 10, 100, []string{"abc", "de"}, "abcde", "", 0, false},
		{"head then tail", 6, 100, []string{"abc", "defgh"}, "abc", "fgh", 2, false},
		{"big write keeps its end", 6, 100, []string{"0123456789"}, "012", "789", 4, false},
		{"wraps", 6, 100, []string{"abc", "d", "e", "f", "g", "h"}, "abc", "fgh", 2, false},
		{"past the limit", 6, 8, []string{"abcdef", "ghijkl"}, "abc", "jkl", 6, true},
		{"at the limit", 6, 8, []string{"abcdefgh"}, "abc", "fgh", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLogCap(tt.keep, tt.limit)
			for _, w := range tt.writes {
				if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("write = %d, %v", n, err)
				}
			}
			l := c.Log()
			if l.Head != tt.head || l.Tail != tt.tail || l.Dropped != tt.dropped {
				t.Errorf("got %q %q %d, want %q %q %d", l.Head, l.Tail, l.Dropped, tt.head, tt.tail, tt.dropped)
			}
			select {
			case <-c.exceeded:
				if !tt.exceeded {
					t.Error("exceeded closed")
				}
			default:
				if tt.exceeded {
					t.Error("exceeded not closed")
				}
			}
		})
	}
}

// TestLogCapMemory writes a gigabyte through the cap without growing it.
func TestLogCapMemory(t *testing.T) {
	t.Parallel()
	c := newLogCap(1024, 1<<40)
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	for range 1024 {
		if _, err := c.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	l := c.Log()
	if cap(c.head) != 512 || len(c.tail.buf) != 512 {
		t.Errorf("buffers grew: head %d tail %d", cap(c.head), len(c.tail.buf))
	}
	if l.Dropped != 1<<30-1024 || !strings.HasPrefix(l.String(), strings.Repeat("x", 512)+"\n[... ") {
		t.Errorf("dropped %d, log starts %.600q", l.Dropped, l.String())
	}
}
