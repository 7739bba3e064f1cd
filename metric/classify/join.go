package classify

import "fmt"

// indexIDs indexes the expected ids.
func indexIDs(ids []string) (*idIndex, error) {
	index, dup, _ := newIDIndex(ids)
	if dup >= 0 {
		return nil, fmt.Errorf("read predictions: expected id %q is listed twice", clip(ids[dup]))
	}
	return index, nil
}

// join places each row's probability at its id's position; seen[i] is the
// line of ids[i], 0 if no row has it. Rows are checked in file order.
func join(rows []predRow, ids []string, index *idIndex) (p []float64, seen []int, err error) {
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

// lookup finds every row's position, -1 for unknown ids.
func lookup(rows []predRow, index *idIndex) []int {
	pos := make([]int, len(rows))
	index.findAll(pos, func(k int) string { return rows[k].id })
	return pos
}
