package similarity

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Defaults of the common-fingerprint filter: a fingerprint in more than
// half of an exercise's submissions is boilerplate (Dolos -M 0.5; Submitty
// uses 0.6), but only once there are enough submissions for the share to
// mean something.
const (
	DefaultMaxShare = 0.5
	MinCommonDocs   = 10
)

// ErrDuplicate is returned by Index.Add for an id already indexed.
var ErrDuplicate = errors.New("document already indexed")

// Index is an in-memory inverted index from fingerprint hash to the
// documents containing it. Checking a document costs O(its fingerprints
// plus the postings of their hashes), not O(documents indexed). An Index is
// not safe for concurrent use.
type Index struct {
	maxShare float64
	ids      []int64          // dense document number -> caller's id
	kgrams   []uint32         // dense document number -> fingerprints
	known    map[int64]uint32 // caller's id -> dense document number
	// post holds, per hash, either its only posting inline (inlineFlag set:
	// document number in the low 32 bits, count above) or an index into
	// lists. Most hashes occur in one document, and an inline posting costs
	// no slice header and no allocation.
	post     map[uint64]uint64
	lists    [][]posting
	postings int
	// shared and touched are Candidates' scratch space, kept between calls
	// so that a call costs nothing per document it does not touch.
	shared  []int32
	touched []uint32
}

// posting is one document containing a hash, and how many times.
type posting struct {
	doc, count uint32
}

const inlineFlag = 1 << 63

// NewIndex returns an empty index that ignores fingerprints present in more
// than maxShare of the indexed documents, once there are MinCommonDocs of
// them. maxShare <= 0 means DefaultMaxShare; maxShare >= 1 never ignores.
func NewIndex(maxShare float64) *Index {
	if maxShare <= 0 {
		maxShare = DefaultMaxShare
	}
	return &Index{maxShare: maxShare, known: map[int64]uint32{}, post: map[uint64]uint64{}}
}

// Match is an indexed document sharing fingerprints with a checked one.
type Match struct {
	ID int64
	// Shared is the number of fingerprints in common, counting a hash
	// present a times on one side and b on the other min(a, b) times.
	Shared int
	// Kgrams is the number of fingerprints the indexed document has.
	Kgrams int
}

// Estimate approximates the similarity of the match with a document of own
// fingerprints, 2*Shared/(Kgrams+own), without loading the indexed
// document: use it to choose which candidates to Compare. It is not a
// bound: Compare also drops common fingerprints and counts repeats.
func (m Match) Estimate(own int) float64 {
	return ratio(2*m.Shared, m.Kgrams+own)
}

// IndexStats describes the size of an index.
type IndexStats struct {
	Docs     int // documents added
	Hashes   int // distinct fingerprint hashes
	Postings int // (hash, document) entries
	Lists    int // hashes held in a posting list rather than inline
}

// Stats returns the size of the index.
func (ix *Index) Stats() IndexStats {
	return IndexStats{Docs: len(ix.ids), Hashes: len(ix.post), Postings: ix.postings, Lists: len(ix.lists)}
}

// Add indexes doc under id. Add it after checking it with Candidates, so
// that a document is compared with earlier ones only.
func (ix *Index) Add(id int64, doc Document) error {
	if _, ok := ix.known[id]; ok {
		return fmt.Errorf("add document %d: %w", id, ErrDuplicate)
	}
	n := uint32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.kgrams = append(ix.kgrams, uint32(len(doc.Kgrams)))
	ix.known[id] = n
	for h, c := range hashCounts(doc.Kgrams) {
		ix.insert(h, posting{doc: n, count: c})
	}
	return nil
}

func (ix *Index) insert(h uint64, p posting) {
	ix.postings++
	v, ok := ix.post[h]
	switch {
	case !ok:
		ix.post[h] = inlineFlag | uint64(p.count)<<32 | uint64(p.doc)
	case v&inlineFlag != 0:
		ix.post[h] = uint64(len(ix.lists))
		ix.lists = append(ix.lists, []posting{decodeInline(v), p})
	default:
		ix.lists[v] = append(ix.lists[v], p)
	}
}

func decodeInline(v uint64) posting {
	return posting{doc: uint32(v), count: uint32(v>>32) &^ (1 << 31)}
}

// lookup returns the postings of h, using one for an inline posting.
func (ix *Index) lookup(h uint64, one *[1]posting) []posting {
	v, ok := ix.post[h]
	switch {
	case !ok:
		return nil
	case v&inlineFlag != 0:
		one[0] = decodeInline(v)
		return one[:]
	default:
		return ix.lists[v]
	}
}

// IsCommon reports whether a hash is in more than the index's maximum share
// of the indexed documents and there are at least MinCommonDocs of them.
// Pass it to Compare so that pair scores ignore what Candidates ignores.
func (ix *Index) IsCommon(hash uint64) bool {
	var one [1]posting
	return ix.common(len(ix.lookup(hash, &one)))
}

func (ix *Index) common(docs int) bool {
	n := len(ix.ids)
	return n >= MinCommonDocs && float64(docs) > ix.maxShare*float64(n)
}

// Candidates returns the indexed documents sharing fingerprints with doc,
// most shared first (then by id), and the number of doc's fingerprints
// ignored as common. Its cost is O(doc's fingerprints + their postings +
// candidates·log candidates), whatever the size of the index.
func (ix *Index) Candidates(doc Document) ([]Match, int) {
	if len(ix.shared) < len(ix.ids) {
		ix.shared = make([]int32, len(ix.ids))
	}
	ignored := 0
	var one [1]posting
	for h, c := range hashCounts(doc.Kgrams) {
		ps := ix.lookup(h, &one)
		if ix.common(len(ps)) {
			ignored += int(c)
			continue
		}
		for _, p := range ps {
			if ix.shared[p.doc] == 0 {
				ix.touched = append(ix.touched, p.doc)
			}
			ix.shared[p.doc] += int32(min(c, p.count))
		}
	}
	out := make([]Match, 0, len(ix.touched))
	for _, d := range ix.touched {
		out = append(out, Match{ID: ix.ids[d], Shared: int(ix.shared[d]), Kgrams: int(ix.kgrams[d])})
		ix.shared[d] = 0
	}
	ix.touched = ix.touched[:0]
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(b.Shared, a.Shared), cmp.Compare(a.ID, b.ID))
	})
	return out, ignored
}

// hashCounts counts the occurrences of each hash.
func hashCounts(kgrams []Kgram) map[uint64]uint32 {
	out := make(map[uint64]uint32, len(kgrams))
	for _, g := range kgrams {
		out[g.Hash]++
	}
	return out
}
