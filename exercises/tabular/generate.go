package tabular

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
)

// Sizes of the blocks. Training and public rows come from months 1–18,
// hidden rows from months 19–24.
const (
	trainMonths    = 18
	allMonths      = 24
	trainPerMonth  = 1200
	publicPerMonth = 100
	hiddenPerMonth = 500
	duplicateShare = 0.015
)

// row is an account with its identifiers and the cells the export shows.
type row struct {
	id, customer string
	a            account
	cells        []string // without the label
}

// dataset is one seed's data: the training file's rows in file order
// (duplicates included) and the two eval blocks.
type dataset struct {
	train, public, hidden []row
}

// generate draws the whole dataset for a seed.
func generate(seed uint64) dataset {
	st := newStreams(seed)
	shocks := make([]float64, allMonths)
	for i := range shocks {
		shocks[i] = 0.3 * st.label.NormFloat64()
	}
	block := func(from, to, perMonth int) []account {
		var b []account
		for m := from; m <= to; m++ {
			for range perMonth {
				b = append(b, simulate(st, m, shocks))
			}
		}
		return b
	}
	train := block(1, trainMonths, trainPerMonth)
	public := block(1, trainMonths, publicPerMonth)
	hidden := block(trainMonths+1, allMonths, hiddenPerMonth)
	plantLeaks(st.leak, train, public, hidden)
	decouple(st.leak, hidden)

	ids := newIDs(st.ids)
	d := dataset{train: ids.rows(st.mess, train), public: ids.rows(st.mess, public), hidden: ids.rows(st.mess, hidden)}
	d.train = withDuplicates(st.split, st.mess, ids, d.train)
	return d
}

// ids hands out unique row ids and customer ids. Row ids are random, so
// neither their value nor their sort order says anything about the label.
type ids struct {
	r    *rand.Rand
	seen map[string]bool
}

func newIDs(r *rand.Rand) *ids { return &ids{r: r, seen: map[string]bool{}} }

func (g *ids) unique(format string, n int) string {
	for {
		s := fmt.Sprintf(format, g.r.IntN(n))
		if !g.seen[s] {
			g.seen[s] = true
			return s
		}
	}
}

func (g *ids) rows(mess *rand.Rand, accounts []account) []row {
	rows := make([]row, len(accounts))
	for i, a := range accounts {
		id, cust := g.unique("r%08x", 1<<32), g.unique("CUS-%06d", 1000000)
		rows[i] = row{id: id, customer: cust, a: a, cells: cells(mess, id, cust, a)}
	}
	return rows
}

// withDuplicates shuffles the rows within each month and copies some of
// them again under a new row id, sometimes with the date written another
// way, as a botched re-import would.
func withDuplicates(r, mess *rand.Rand, g *ids, rows []row) []row {
	byMonth := make([][]row, trainMonths+1)
	for _, x := range rows {
		byMonth[x.a.month] = append(byMonth[x.a.month], x)
		if r.Float64() < duplicateShare {
			dup := x
			dup.id = g.unique("r%08x", 1<<32)
			dup.cells = append([]string{dup.id}, x.cells[1:]...)
			dup.cells[2] = snapshotDate(mess, x.a.month)
			byMonth[x.a.month] = append(byMonth[x.a.month], dup)
		}
	}
	var out []row
	for _, m := range byMonth {
		r.Shuffle(len(m), func(i, j int) { m[i], m[j] = m[j], m[i] })
		out = append(out, m...)
	}
	return out
}

// renderCSV writes the header and rows; withLabel adds the churned column.
func renderCSV(rows []row, withLabel bool) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := Columns
	if !withLabel {
		header = Columns[:len(Columns)-1]
	}
	_ = w.Write(header) // a bytes.Buffer does not fail
	for _, x := range rows {
		rec := x.cells
		if withLabel {
			rec = append(rec[:len(rec):len(rec)], label(x.a.churned))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

func label(churned bool) string {
	if churned {
		return "1"
	}
	return "0"
}
