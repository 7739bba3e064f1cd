package similarity

import (
	"cmp"
	"slices"
)

// matcher finds the fragments of a pair: runs of fingerprints that match
// consecutively and in order on both sides, within one file on each side.
type matcher struct {
	left, right Document
	l, r        []Kgram   // the fingerprints compared
	lpos, rpos  positions // hash -> indices in l and r
}

// run is a diagonal of matches: l[i+d] pairs with r[j+d] for d < n.
type run struct {
	i, j, n int
}

// match reports whether l[i] and r[j] pair up in a fragment.
func (m *matcher) match(i, j int) bool {
	h := m.l[i].Hash
	return h == m.r[j].Hash && m.lpos.count(h) <= maxPairings && m.rpos.count(h) <= maxPairings
}

// extends reports whether the match at (i, j) continues one at (i-1, j-1).
func (m *matcher) extends(i, j int) bool {
	return i > 0 && j > 0 && m.l[i-1].File == m.l[i].File && m.r[j-1].File == m.r[j].File &&
		m.match(i, j) && m.match(i-1, j-1)
}

// runs returns every maximal run, longest first. Ties go to the run
// nearest the start of either file, an order that does not depend on
// which document is on the left, so Compare is symmetric. Each matching
// position is visited once as a possible start and once while extending,
// so the cost is linear in the matches.
func (m *matcher) runs() []run {
	var out []run
	for i, g := range m.l {
		for j32 := m.rpos.first(g.Hash); j32 >= 0; j32 = m.rpos.next[j32] {
			j := int(j32)
			if !m.match(i, j) || m.extends(i, j) {
				continue
			}
			n := 1
			for i+n < len(m.l) && j+n < len(m.r) && m.extends(i+n, j+n) {
				n++
			}
			out = append(out, run{i: i, j: j, n: n})
		}
	}
	slices.SortFunc(out, func(a, b run) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(min(a.i, a.j), min(b.i, b.j)),
			cmp.Compare(max(a.i, a.j), max(b.i, b.j)), cmp.Compare(a.i, b.i))
	})
	return out
}

// tile is a fragment with what merging needs.
type tile struct {
	Fragment
	lfile, rfile int32
	start, end   int32 // left token offsets, end exclusive
}

func (m *matcher) tile(x run) tile {
	a, b := m.l[x.i], m.l[x.i+x.n-1]
	c, d := m.r[x.j], m.r[x.j+x.n-1]
	t := tile{
		Fragment: Fragment{
			Left:   Span{File: fileName(m.left, a.File), First: int(a.First), Last: int(b.Last)},
			Right:  Span{File: fileName(m.right, c.File), First: int(c.First), Last: int(d.Last)},
			Kgrams: x.n,
		},
		lfile: a.File, rfile: c.File,
		start: a.Offset, end: b.Offset + int32(m.left.K),
	}
	t.Tokens = int(t.end - t.start)
	return t
}

func (m *matcher) fragment(x run) Fragment {
	return m.tile(x).Fragment
}

// fragments tiles the runs, longest first, each fingerprint used at most
// once per side (a run overlapping a chosen one is dropped), then merges
// tiles whose lines touch or overlap on both sides.
func (m *matcher) fragments(runs []run) []Fragment {
	lused, rused := make([]bool, len(m.l)), make([]bool, len(m.r))
	var tiles []tile
	for _, x := range runs {
		if slices.Contains(lused[x.i:x.i+x.n], true) || slices.Contains(rused[x.j:x.j+x.n], true) {
			continue
		}
		for d := range x.n {
			lused[x.i+d], rused[x.j+d] = true, true
		}
		tiles = append(tiles, m.tile(x))
	}
	slices.SortFunc(tiles, func(a, b tile) int {
		return cmp.Or(cmp.Compare(a.lfile, b.lfile), cmp.Compare(a.Left.First, b.Left.First),
			cmp.Compare(a.rfile, b.rfile), cmp.Compare(a.Right.First, b.Right.First))
	})
	var out []Fragment
	for i := 0; i < len(tiles); {
		cur := tiles[i]
		for i++; i < len(tiles) && touches(cur, tiles[i]); i++ {
			cur = merge(cur, tiles[i])
		}
		out = append(out, cur.Fragment)
	}
	return out
}

// touches reports whether next, sorted after cur by left lines, continues
// cur on both sides: same files, and on each side it starts no earlier than
// cur and no later than the line after cur's end. Code moved elsewhere does
// not continue, so it stays a fragment of its own.
func touches(cur, next tile) bool {
	return cur.lfile == next.lfile && cur.rfile == next.rfile &&
		next.Left.First <= cur.Left.Last+1 &&
		next.Right.First >= cur.Right.First && next.Right.First <= cur.Right.Last+1
}

func merge(a, b tile) tile {
	a.Left.Last = max(a.Left.Last, b.Left.Last)
	a.Right.First = min(a.Right.First, b.Right.First)
	a.Right.Last = max(a.Right.Last, b.Right.Last)
	a.Kgrams += b.Kgrams
	a.start, a.end = min(a.start, b.start), max(a.end, b.end)
	a.Tokens = int(a.end - a.start)
	return a
}

func fileName(d Document, i int32) string {
	if i < 0 || int(i) >= len(d.Files) {
		return ""
	}
	return d.Files[i]
}
