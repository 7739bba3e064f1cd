package classify

import (
	"fmt"
	"runtime"
	"sync"
)

// indexIDs maps each expected id to its position.
func indexIDs(ids []string) (map[string]int, error) {
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
		if len(index) != i+1 {
			return nil, fmt.Errorf("read predictions: expected id %q is listed twice", clip(id))
		}
	}
	return index, nil
}

// join places each row's probability at its id's position; seen[i] is the
// line of ids[i], 0 if no row has it. Rows are checked in file order.
func join(rows []predRow, ids []string, index map[string]int) (p []float64, seen []int, err error) {
	pos := lookup(rows, index)
	p = make([]float64, len(ids))
	seen = make([]int, len(ids))
	for k, r := range rows {
		i := pos[k]
		if i < 0 {
			return nil, nil, predErr(r.line, "id %q is not in the evaluation set", clip(r.id))
		}
		if seen[i] != 0 {
			return nil, nil, predErr(r.line, "id %q appears again (first on line %d)", clip(r.id), seen[i])
		}
		seen[i] = r.line
		p[i] = r.p
	}
	return p, seen, nil
}

// lookup finds every row's position, -1 for unknown ids. With a million
// rows in random order each lookup is a cache miss, so the lookups run on
// all cores (the map is only read).
func lookup(rows []predRow, index map[string]int) []int {
	pos := make([]int, len(rows))
	size := max(len(rows)/runtime.GOMAXPROCS(0)+1, 4096)
	var wg sync.WaitGroup
	for start := 0; start < len(rows); start += size {
		end := min(start+size, len(rows))
		wg.Go(func() {
			for k := start; k < end; k++ {
				i, ok := index[rows[k].id]
				if !ok {
					i = -1
				}
				pos[k] = i
			}
		})
	}
	wg.Wait()
	return pos
}
