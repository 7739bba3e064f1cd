package classify

import (
	"hash/maphash"
	"math/bits"
	"runtime"
	"sync"
)

// idIndex finds the position of an id among distinct ids. It does the job
// of a map[string]int at a fraction of the cost for a million ids: each id
// is hashed once, the ids are spread over partitions by hash, and each
// partition's open-addressing table, built from its ids in one go, stays in
// cache while it is filled. A slot holds 32 bits of the hash beside the
// position, so that a probe compares strings only on a likely match.
type idIndex struct {
	ids   []string
	hash  func(string) uint64
	shift uint     // the partition of hash h is h >> shift
	start []int    // partition q's table is slots[start[q]:start[q+1]], a power of two long
	slots []uint64 // tag<<32 | position+1; 0 is empty
}

// idsPerPartition sizes the partitions: tables of 4 to 8 KiB, loaded 1/4
// to 1/2.
const idsPerPartition = 256

// newIDIndex indexes ids. If an id repeats, dup is the first position
// that repeats an earlier id (in order) and first that earlier position;
// otherwise dup is -1.
func newIDIndex(ids []string) (x *idIndex, dup, first int) {
	seed := maphash.MakeSeed()
	return newIDIndexHash(ids, func(id string) uint64 { return maphash.String(seed, id) })
}

// newIDIndexHash is newIDIndex with the hash function given (tests force
// collisions with a poor one).
func newIDIndexHash(ids []string, hash func(string) uint64) (x *idIndex, dup, first int) {
	if len(ids) >= 1<<32-1 {
		panic("classify: too many ids to index")
	}
	x = &idIndex{ids: ids, hash: hash}
	parts := 1 << bits.Len(uint(len(ids)/idsPerPartition))
	x.shift = uint(64 - bits.TrailingZeros(uint(parts)))
	if parts == 1 {
		x.shift = 64
	}
	hashes := x.hashAll(ids)
	order, bounds := x.partition(hashes, parts)
	x.start = make([]int, parts+1)
	for q := range parts {
		n := bounds[q+1] - bounds[q]
		x.start[q+1] = x.start[q] + 1<<bits.Len(uint(2*n)) // load at most 1/2, at least one empty slot
	}
	x.slots = make([]uint64, x.start[parts])
	dup, first = -1, -1
	var mu sync.Mutex
	forChunks(parts, 16, func(lo, hi int) {
		d, f := -1, -1
		for q := lo; q < hi; q++ {
			for _, i := range order[bounds[q]:bounds[q+1]] {
				if j := x.insert(hashes[i], int(i)); j >= 0 && (d < 0 || int(i) < d) {
					d, f = int(i), j
				}
			}
		}
		mu.Lock()
		if d >= 0 && (dup < 0 || d < dup) {
			dup, first = d, f
		}
		mu.Unlock()
	})
	return x, dup, first
}

func (x *idIndex) hashAll(ids []string) []uint64 {
	hashes := make([]uint64, len(ids))
	forChunks(len(ids), 4096, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			hashes[i] = x.hash(ids[i])
		}
	})
	return hashes
}

// partition orders the positions by partition (stably), returning them
// and where each partition starts.
func (x *idIndex) partition(hashes []uint64, parts int) (order []int32, bounds []int) {
	bounds = make([]int, parts+1)
	for _, h := range hashes {
		bounds[x.part(h)+1]++
	}
	for q := range parts {
		bounds[q+1] += bounds[q]
	}
	next := append([]int(nil), bounds[:parts]...)
	order = make([]int32, len(hashes))
	for i, h := range hashes {
		q := x.part(h)
		order[next[q]] = int32(i)
		next[q]++
	}
	return order, bounds
}

func (x *idIndex) part(h uint64) int {
	if x.shift == 64 {
		return 0
	}
	return int(h >> x.shift)
}

// insert adds position i, of hash h, to its table, unless its id is there
// already: then it returns that earlier position, else -1.
func (x *idIndex) insert(h uint64, i int) int {
	table, s := x.table(h)
	mask, tag := uint64(len(table)-1), h>>16<<32
	for ; ; s = (s + 1) & mask {
		v := table[s]
		if v == 0 {
			table[s] = tag | uint64(i+1)
			return -1
		}
		if v&^0xffffffff == tag && x.ids[int(uint32(v))-1] == x.ids[i] {
			return int(uint32(v)) - 1
		}
	}
}

// find returns the position of id, -1 if it is not indexed.
func (x *idIndex) find(id string) int {
	h := x.hash(id)
	table, s := x.table(h)
	mask, tag := uint64(len(table)-1), h>>16<<32
	for ; ; s = (s + 1) & mask {
		v := table[s]
		if v == 0 {
			return -1
		}
		if v&^0xffffffff == tag && x.ids[int(uint32(v))-1] == id {
			return int(uint32(v)) - 1
		}
	}
}

// findAll sets pos[k] to the position of id(k), -1 if it is not indexed,
// on all cores. It takes every k's first slot with a matching tag, then
// compares the strings in a second pass: each pass is a run of independent
// loads that the processor overlaps, where find waits for one cache miss
// after another. A tag shared by two ids (rare) is left to find.
func (x *idIndex) findAll(pos []int, id func(int) string) {
	forChunks(len(pos), 4096, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			pos[k] = x.candidate(x.hash(id(k)))
		}
		for k := lo; k < hi; k++ {
			if i := pos[k]; i >= 0 && x.ids[i] != id(k) {
				pos[k] = x.find(id(k))
			}
		}
	})
}

// candidate is the position in the first slot whose tag matches h, -1
// when there is none, so no id of hash h is indexed.
func (x *idIndex) candidate(h uint64) int {
	table, s := x.table(h)
	mask, tag := uint64(len(table)-1), h>>16<<32
	for ; ; s = (s + 1) & mask {
		v := table[s]
		if v == 0 {
			return -1
		}
		if v&^0xffffffff == tag {
			return int(uint32(v)) - 1
		}
	}
}

// table is the partition table for hash h and h's first slot in it.
func (x *idIndex) table(h uint64) ([]uint64, uint64) {
	q := x.part(h)
	table := x.slots[x.start[q]:x.start[q+1]]
	return table, h & uint64(len(table)-1)
}

// forChunks calls f on up to GOMAXPROCS consecutive ranges of [0, n) at
// once, none shorter than minChunk unless n is.
func forChunks(n, minChunk int, f func(lo, hi int)) {
	workers := max(min(runtime.GOMAXPROCS(0), n/minChunk), 1)
	size := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += size {
		wg.Go(func() { f(lo, min(lo+size, n)) })
	}
	wg.Wait()
}
