package similarity

// MinTokens is the short-solution threshold: below this many normalised
// tokens of its own (after template removal) a submission is too short for
// similarity to mean copying, and flags are suppressed.
const MinTokens = 150

// maxPairings bounds the work on repeated code: a hash occurring more than
// this many times on either side (a block pasted over and over) is left out
// of fragments, though it still counts for coverage.
const maxPairings = 64

// Span is a range of lines in one file, 1-based and inclusive.
type Span struct {
	File        string
	First, Last int
}

// Fragment is a stretch of code matching on both sides of a pair.
type Fragment struct {
	Left, Right Span
	// Kgrams is the number of matching fingerprints in the fragment.
	Kgrams int
	// Tokens is the number of normalised tokens the fragment spans on the
	// left side, from its first k-gram's start to its last one's end.
	Tokens int
}

// Pair scores two documents against each other. All counts are in
// fingerprints (winnowed k-grams) left after template removal and without
// the fingerprints ignored as common.
type Pair struct {
	// Similarity is Dolos's (LeftCovered + RightCovered) / (LeftTotal +
	// RightTotal): the share of both sides' fingerprints found on the other
	// side. It is symmetric, 1 for identical code and 0 for a pair with
	// nothing in common.
	Similarity float64
	// LeftCovered and RightCovered count each side's fingerprints whose
	// hash occurs on the other side.
	LeftCovered, RightCovered int
	// LeftTotal and RightTotal count each side's fingerprints.
	LeftTotal, RightTotal int
	// LeftIgnored and RightIgnored count the fingerprints left out as
	// common.
	LeftIgnored, RightIgnored int
	// Longest is the longest common fragment: the longest run of
	// fingerprints consecutive and in the same order on both sides (Dolos's
	// "longest fragment"), before merging.
	Longest Fragment
	// Fragments are the matching stretches, each fingerprint used at most
	// once per side, longest first when chosen, then merged where their
	// lines touch on both sides, in left file and line order.
	Fragments []Fragment
	// Short reports ShortSolution(left, right): flags should be suppressed.
	Short bool
}

// LeftContainment is the share of the left side found on the right.
func (p Pair) LeftContainment() float64 {
	return ratio(p.LeftCovered, p.LeftTotal)
}

// RightContainment is the share of the right side found on the left.
func (p Pair) RightContainment() float64 {
	return ratio(p.RightCovered, p.RightTotal)
}

// MaxContainment is the larger containment (JPlag's maximum similarity): 1
// when one side is wholly copied into the other, however large the other.
func (p Pair) MaxContainment() float64 {
	return max(p.LeftContainment(), p.RightContainment())
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ShortSolution reports whether either document has fewer than MinTokens
// normalised tokens of its own, so that a similarity flag would mostly
// reflect how little room the task leaves.
func ShortSolution(a, b Document) bool {
	return a.OwnTokens() < MinTokens || b.OwnTokens() < MinTokens
}

// Compare scores a pair of documents fingerprinted with the same Config.
// common reports the hashes to ignore (Index.IsCommon); nil ignores none.
// The cost is O(fingerprints) plus the pairings of repeated hashes, bounded
// by maxPairings.
func Compare(left, right Document, common func(hash uint64) bool) Pair {
	l, lIgnored := withoutCommon(left.Kgrams, common)
	r, rIgnored := withoutCommon(right.Kgrams, common)
	lpos, rpos := newPositions(l), newPositions(r)
	p := Pair{
		LeftCovered: covered(l, rpos), RightCovered: covered(r, lpos),
		LeftTotal: len(l), RightTotal: len(r),
		LeftIgnored: lIgnored, RightIgnored: rIgnored,
		Short: ShortSolution(left, right),
	}
	p.Similarity = ratio(p.LeftCovered+p.RightCovered, p.LeftTotal+p.RightTotal)
	m := matcher{left: left, right: right, l: l, r: r, lpos: lpos, rpos: rpos}
	runs := m.runs()
	if len(runs) > 0 {
		p.Longest = m.fragment(runs[0])
	}
	p.Fragments = m.fragments(runs)
	return p
}

func withoutCommon(kgrams []Kgram, common func(uint64) bool) ([]Kgram, int) {
	if common == nil {
		return kgrams, 0
	}
	out := make([]Kgram, 0, len(kgrams))
	for _, g := range kgrams {
		if !common(g.Hash) {
			out = append(out, g)
		}
	}
	return out, len(kgrams) - len(out)
}

// positions indexes fingerprints by hash in two allocations: per hash the
// first index and the count, and per index the next one with its hash.
type positions struct {
	head map[uint64]chain
	next []int32 // -1 ends a chain
}

type chain struct {
	first, n int32
}

func newPositions(kgrams []Kgram) positions {
	p := positions{head: make(map[uint64]chain, len(kgrams)), next: make([]int32, len(kgrams))}
	for i := len(kgrams) - 1; i >= 0; i-- { // backwards, so chains run forwards
		h := kgrams[i].Hash
		c, ok := p.head[h]
		p.next[i] = -1
		if ok {
			p.next[i] = c.first
		}
		p.head[h] = chain{first: int32(i), n: c.n + 1}
	}
	return p
}

// count is the number of fingerprints with hash h.
func (p positions) count(h uint64) int {
	return int(p.head[h].n)
}

// first is the first index of hash h, or -1.
func (p positions) first(h uint64) int32 {
	if c, ok := p.head[h]; ok {
		return c.first
	}
	return -1
}

// covered counts the fingerprints whose hash is in other.
func covered(kgrams []Kgram, other positions) int {
	n := 0
	for _, g := range kgrams {
		if other.count(g.Hash) > 0 {
			n++
		}
	}
	return n
}
