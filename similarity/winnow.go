package similarity

// Default winnowing parameters. A shared run of fewer than K normalised
// tokens is never detected (the noise threshold) and every shared run of at
// least K+W-1 = 24 tokens is (the guarantee threshold t). 15 tokens is a
// little above JPlag's 12-token minimum match for Python, and 24 tokens is
// about two or three lines of Python: enough that the boilerplate every
// solution shares (imports, a train/test split) rarely reaches it alone,
// small enough that one copied function does. Dolos's generic 23/17 (t = 39)
// would miss copied functions of three or four lines. Expected density is
// 2/(W+1), about 18 % of k-grams.
const (
	DefaultK = 15
	DefaultW = 10
)

// Config sets the winnowing parameters. Zero or negative fields take the
// defaults.
type Config struct {
	K int // k-gram length in normalised tokens (noise threshold)
	W int // window length in k-grams; the guarantee threshold is K+W-1
}

func (c Config) withDefaults() Config {
	if c.K <= 0 {
		c.K = DefaultK
	}
	if c.W <= 0 {
		c.W = DefaultW
	}
	return c
}

// Kgram is one fingerprint: a k-gram selected by winnowing. The fields are
// 32-bit to keep documents compact when many are held in memory.
type Kgram struct {
	Hash   uint64 // hash of the k normalised tokens
	Offset int32  // index of the first token in the document's token stream
	File   int32  // index into Document.Files
	First  int32  // line of the first token in that file
	Last   int32  // line of the last token's end in that file
}

// Constants of the k-gram hash: an odd multiplier for the polynomial
// (Rabin-Karp) hash modulo 2^64, and the splitmix64 finaliser that spreads
// its value so that the window minimum is a fair sample.
const (
	hashBase = 0x100000001b3 // the 64-bit FNV prime
	mix1     = 0xbf58476d1ce4e5b9
	mix2     = 0x94d049bb133111eb
)

// symbolHash maps a normalised token to a 64-bit value (FNV-1a, inlined to
// avoid an allocation per token).
func symbolHash(text string) uint64 {
	var h uint64 = 0xcbf29ce484222325 // the FNV-1a offset basis
	for i := range len(text) {
		h ^= uint64(text[i])
		h *= hashBase
	}
	return h
}

func mix(x uint64) uint64 {
	x = (x ^ (x >> 30)) * mix1
	x = (x ^ (x >> 27)) * mix2
	return x ^ (x >> 31)
}

// kgramHashes returns the hash of every k-gram of syms, computed with a
// rolling polynomial hash: O(len(syms)) whatever k.
func kgramHashes(syms []uint64, k int) []uint64 {
	if k <= 0 || len(syms) < k {
		return nil
	}
	var top uint64 = 1 // hashBase^(k-1): the weight of the token leaving the window
	for range k - 1 {
		top *= hashBase
	}
	out := make([]uint64, 0, len(syms)-k+1)
	var h uint64
	for i, s := range syms {
		if i >= k {
			h -= syms[i-k] * top
		}
		h = h*hashBase + s
		if i >= k-1 {
			out = append(out, mix(h))
		}
	}
	return out
}

// winnow returns the positions selected by robust winnowing (Schleimer,
// Wilkerson and Aiken 2003, section 4): in each window of w consecutive
// hashes select the minimum; on a tie keep the previous window's selection
// if it is still in the window, else take the rightmost minimum; record a
// position only when the selection changes. Keeping the previous selection
// stops a low-entropy run (a long list of numbers, repeated lines) from
// yielding a fingerprint at every position. A sequence shorter than w is one
// window, so any file of at least k tokens yields a fingerprint.
//
// The window minimum is kept in a monotone deque, so the cost is O(n).
func winnow(hashes []uint64, w int) []int {
	n := len(hashes)
	if n == 0 || w <= 0 {
		return nil
	}
	w = min(w, n)
	var out []int
	deque := make([]int, 0, w) // increasing hashes; front is the rightmost minimum
	last := -1
	for i, h := range hashes {
		for len(deque) > 0 && hashes[deque[len(deque)-1]] >= h {
			deque = deque[:len(deque)-1]
		}
		deque = append(deque, i)
		lo := i - w + 1 // the window is [lo, i]
		for deque[0] < lo {
			deque = deque[1:]
		}
		if lo < 0 {
			continue
		}
		sel := deque[0]
		if last >= lo && hashes[last] == hashes[sel] {
			sel = last
		}
		if sel != last {
			out = append(out, sel)
			last = sel
		}
	}
	return out
}
