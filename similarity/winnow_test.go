package similarity

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomSyms returns n random symbol hashes drawn from an alphabet.
func randomSyms(rng *rand.Rand, n, alphabet int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = symbolHash(string(rune('a' + rng.IntN(alphabet))))
	}
	return out
}

// fingerprintSet winnows syms and returns the selected hashes.
func fingerprintSet(syms []uint64, cfg Config) map[uint64]bool {
	hashes := kgramHashes(syms, cfg.K)
	out := map[uint64]bool{}
	for _, p := range winnow(hashes, cfg.W) {
		out[hashes[p]] = true
	}
	return out
}

func TestKgramHashesRolling(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	syms := randomSyms(rng, 200, 30)
	for _, k := range []int{1, 2, 15, 200} {
		got := kgramHashes(syms, k)
		if len(got) != len(syms)-k+1 {
			t.Fatalf("k=%d: %d hashes, want %d", k, len(got), len(syms)-k+1)
		}
		for i, h := range got {
			var direct uint64
			for _, s := range syms[i : i+k] {
				direct = direct*hashBase + s
			}
			if h != mix(direct) {
				t.Fatalf("k=%d: hash %d differs from the direct computation", k, i)
			}
		}
	}
	if kgramHashes(syms[:14], 15) != nil {
		t.Error("fewer than k tokens yield k-grams")
	}
}

// referenceWinnow is robust winnowing written from the paper's prose, at
// O(n*w): per window, the minimum; on a tie the previous selection if still
// in the window, else the rightmost minimum; record changes of position.
func referenceWinnow(h []uint64, w int) []int {
	w = min(w, len(h))
	var out []int
	last := -1
	for lo := 0; lo+w <= len(h) && w > 0; lo++ {
		sel := lo
		for i := lo; i < lo+w; i++ {
			if h[i] <= h[sel] {
				sel = i
			}
		}
		if last >= lo && h[last] == h[sel] {
			sel = last
		}
		if sel != last {
			out = append(out, sel)
			last = sel
		}
	}
	return out
}

func TestWinnowMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n, w := rng.IntN(120), 1+rng.IntN(20)
		h := make([]uint64, n)
		for i := range h {
			h[i] = uint64(rng.IntN(1 + trial%12)) // small ranges force ties
		}
		got, want := winnow(h, w), referenceWinnow(h, w)
		if !slices.Equal(got, want) {
			t.Fatalf("winnow(%v, %d) = %v, want %v", h, w, got, want)
		}
		// Every window holds a selected position.
		for lo := 0; lo+min(w, n) <= n && n > 0; lo++ {
			if !slices.ContainsFunc(got, func(p int) bool { return p >= lo && p < lo+min(w, n) }) {
				t.Fatalf("window at %d of %v (w=%d) has no fingerprint", lo, h, w)
			}
		}
	}
}

// TestWinnowGuarantee: any run of at least t = K+W-1 tokens shared by two
// random token sequences yields a shared fingerprint, at the default and
// other parameters, on alphabets small enough to repeat k-grams.
func TestWinnowGuarantee(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, cfg := range []Config{{K: DefaultK, W: DefaultW}, {K: 5, W: 4}, {K: 23, W: 17}, {K: 3, W: 12}} {
		tt := cfg.K + cfg.W - 1
		for trial := range 400 {
			alphabet := 2 + trial%40
			shared := randomSyms(rng, tt+rng.IntN(3), alphabet)
			a := slices.Concat(randomSyms(rng, rng.IntN(200), alphabet), shared, randomSyms(rng, rng.IntN(200), alphabet))
			b := slices.Concat(randomSyms(rng, rng.IntN(200), alphabet), shared, randomSyms(rng, rng.IntN(200), alphabet))
			fa, fb := fingerprintSet(a, cfg), fingerprintSet(b, cfg)
			found := false
			for h := range fa {
				found = found || fb[h]
			}
			if !found {
				t.Fatalf("%+v: a shared run of %d tokens yields no shared fingerprint (alphabet %d)", cfg, len(shared), alphabet)
			}
		}
	}
}

// TestWinnowNoiseThreshold: sequences that share only runs shorter than K
// share no fingerprint.
func TestWinnowNoiseThreshold(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cfg := Config{}.withDefaults()
	a := randomSyms(rng, 5000, 1<<20)
	b := slices.Clone(a)
	for i := cfg.K - 1; i < len(b); i += cfg.K - 1 {
		b[i] = ^b[i] // break every run at K-1 tokens
	}
	fa, fb := fingerprintSet(a, cfg), fingerprintSet(b, cfg)
	for h := range fa {
		if fb[h] {
			t.Fatal("runs shorter than K share a fingerprint")
		}
	}
}

// TestWinnowDensity: on random tokens about 2/(w+1) of the k-grams are
// selected, which also checks that the k-gram hashes are well spread.
func TestWinnowDensity(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	h := kgramHashes(randomSyms(rng, 200_000, 1<<16), DefaultK)
	n := float64(len(h))
	for _, w := range []int{4, DefaultW, 17, 40} {
		got := float64(len(winnow(h, w))) / n
		want := 2 / float64(w+1)
		if math.Abs(got-want) > 0.15*want {
			t.Errorf("w=%d: density %.4f, want %.4f ± 15%%", w, got, want)
		}
		t.Logf("w=%d: density %.4f (2/(w+1) = %.4f)", w, got, want)
	}
}

// TestWinnowLowEntropy: a repeated token run does not flood the output, as
// plain rightmost-minimum winnowing would.
func TestWinnowLowEntropy(t *testing.T) {
	h := make([]uint64, 1000) // all equal: one k-gram repeated
	got := len(winnow(h, DefaultW))
	if want := 1000 / DefaultW; got > want+1 {
		t.Errorf("constant input: %d fingerprints, want at most %d", got, want+1)
	}
}

func TestWinnowShortInput(t *testing.T) {
	if got := winnow([]uint64{5, 3, 4}, 10); !slices.Equal(got, []int{1}) {
		t.Errorf("winnow of 3 hashes with w=10 = %v, want the minimum [1]", got)
	}
	if got := winnow(nil, 10); got != nil {
		t.Errorf("winnow(nil) = %v", got)
	}
}
