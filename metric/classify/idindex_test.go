package classify

import (
	"fmt"
	"hash/maphash"
	"testing"
)

// TestIDIndex checks positions, unknown ids and the first duplicate, with
// the real hash and with poor ones that make ids share tags, slots and
// partitions.
func TestIDIndex(t *testing.T) {
	seed := maphash.MakeSeed()
	hashes := map[string]func(string) uint64{
		"maphash":        func(s string) uint64 { return maphash.String(seed, s) },
		"length only":    func(s string) uint64 { return uint64(len(s)) * 0x9e3779b97f4a7c15 },
		"same tag":       func(s string) uint64 { return maphash.String(seed, s) &^ (0xffffffff << 16) },
		"one hash":       func(string) uint64 { return 42 },
		"low bits equal": func(s string) uint64 { return maphash.String(seed, s) << 20 },
	}
	for name, hash := range hashes {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{0, 1, 7, 300, 5000} {
				ids := make([]string, n)
				for i := range ids {
					ids[i] = fmt.Sprintf("id%d", i)
				}
				x, dup, _ := newIDIndexHash(ids, hash)
				if dup >= 0 {
					t.Fatalf("n=%d: duplicate %d among distinct ids", n, dup)
				}
				queries := append([]string{"", "nope", fmt.Sprintf("id%d", n)}, ids...)
				pos := make([]int, len(queries))
				x.findAll(pos, func(k int) string { return queries[k] })
				for k, q := range queries {
					want := -1
					if k >= 3 {
						want = k - 3
					}
					if pos[k] != want || x.find(q) != want {
						t.Fatalf("n=%d: %q found at %d (findAll) and %d (find), want %d", n, q, pos[k], x.find(q), want)
					}
				}
			}
			ids := []string{"a", "b", "c", "b", "d", "a", "c"}
			if _, dup, first := newIDIndexHash(ids, hash); dup != 3 || first != 1 {
				t.Errorf("%q: first duplicate %d of %d, want 3 of 1", ids, dup, first)
			}
		})
	}
}
