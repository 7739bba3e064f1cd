package tabular

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Sizes of the monitor phase's weekly streams.
const (
	LabelDelay    = 5    // labels of week k arrive in week k+LabelDelay
	WeekRows      = 2000 // rows per week: weekly AUC SE ≈ 0.02 at 8 % churn
	HiddenStreams = 3
	HiddenWeeks   = 20
	PracticeWeeks = 10
)

// Scenario names a scheduled change in a stream (MONITORING.md E.1.2).
type Scenario string

// StreamEvent is one scheduled change: the ground truth of a stream.
type StreamEvent struct {
	Scenario Scenario `json:"scenario"`
	Start    int      `json:"start"`    // first week affected; weeks are numbered 1..K
	End      int      `json:"end"`      // last week of the change itself, inclusive
	Persists bool     `json:"persists"` // the new regime stays after End
}

// WeekRow is one row of a week: its id, its test.csv cells (the id first,
// no label) and its outcome.
type WeekRow struct {
	ID      string
	Cells   []string
	Churned bool
}

// Stream is one monitored deployment: an opaque id, its schedule and its
// weeks' rows (Weeks[k-1] is week k, in shuffled order).
type Stream struct {
	ID     string
	Events []StreamEvent
	Weeks  [][]WeekRow
}

// nullWeek says whether week k is null in the schedule's terms: outside
// every event and before every persistent change. The weeks after a
// persistent change are a new normal, neither null nor changing.
func (s Stream) nullWeek(k int) bool {
	for _, e := range s.Events {
		if k >= e.Start && (k <= e.End || e.Persists) {
			return false
		}
	}
	return true
}

// The schedules. Weeks 1–4 of a hidden stream are null (the candidate's
// baseline); the events of a stream are apart by more than the four weeks
// after each one's end, so each is judged on its own, with unchanged weeks
// between them; every change that calls for a retrain starts early enough
// for its labels (LabelDelay weeks later) to arrive inside the stream.
// Twenty weeks a stream, three streams: two harmful changes in each of the
// first two, an incident and two harmless changes in the third; across
// them every scenario but tenure-nulls, which the practice stream has. The
// careful reference's 60 weeks stay inside the 3-minute budget of a final
// run's monitor part (README, make bench). The concept change does not
// follow the price rise: the rise keeps churners (P(X|Y) fixed), which
// would let a change of P(Y|X) move P(X).
var (
	practiceSchedule = []StreamEvent{
		{Scenario: BenignMix, Start: 4, End: 4, Persists: true},
		{Scenario: TenureNulls, Start: 9, End: 10},
	}
	hiddenSchedules = [HiddenStreams][]StreamEvent{
		{
			{Scenario: UnseenPlan, Start: 5, End: 5, Persists: true},
			{Scenario: Concept, Start: 12, End: 12 + conceptWeeks - 1, Persists: true},
		},
		{
			{Scenario: PriceRise, Start: 6, End: 6, Persists: true},
			{Scenario: LeakEmpty, Start: 13, End: 13, Persists: true},
		},
		{
			{Scenario: FeeCents, Start: 5, End: 6},
			{Scenario: BenignMix, Start: 11, End: 11, Persists: true},
			{Scenario: Seasonal, Start: 17, End: 17 + seasonWeeks - 1},
		},
	}
)

// Stream numbers in the seeding of the random streams; hidden streams are
// 1..HiddenStreams.
const (
	practiceIndex    = 0
	calibrationIndex = -1
)

// PracticeStream is the kit's stream for a seed: PracticeWeeks weeks, a
// promo mix change and a tenure incident.
func PracticeStream(seed uint64) Stream { return practiceStream(seed, generate(seed)) }

// HiddenStreamSet is the final runs' HiddenStreams streams for a seed.
func HiddenStreamSet(seed uint64) []Stream { return hiddenStreams(seed, generate(seed)) }

// practiceStream and hiddenStreams take the seed's dataset, for a caller
// that has generated it already.
func practiceStream(seed uint64, d dataset) Stream {
	g := newStreamGen(seed, d)
	return g.stream(practiceIndex, PracticeWeeks, practiceSchedule, g.ids(practiceIndex, PracticeWeeks))
}

func hiddenStreams(seed uint64, d dataset) []Stream {
	g := newStreamGen(seed, d)
	g.ids(practiceIndex, PracticeWeeks) // taken by the practice stream
	ids := make([][][2]string, HiddenStreams)
	for i := range ids {
		ids[i] = g.ids(i+1, HiddenWeeks)
	}
	out := make([]Stream, HiddenStreams)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() { out[i] = g.stream(i+1, HiddenWeeks, hiddenSchedules[i], ids[i]) })
	}
	wg.Wait()
	return out
}

// streamGen generates a seed's streams.
type streamGen struct {
	seed      uint64
	base      baseline
	rowIDs    map[uint32]bool // row ids taken, r%08x
	customers []bool          // customer numbers taken, CUS-%06d
}

func newStreamGen(seed uint64, d dataset) *streamGen {
	g := &streamGen{seed: seed, base: newBaseline(seed), customers: make([]bool, customerIDs)}
	// Room for the version's ids and every stream's, so the set never grows.
	g.rowIDs = make(map[uint32]bool, len(d.train)+len(d.public)+len(d.hidden)+(PracticeWeeks+HiddenStreams*HiddenWeeks)*WeekRows)
	for _, block := range [][]row{d.train, d.public, d.hidden} {
		for _, r := range block {
			id, _ := strconv.ParseUint(r.id[1:], 16, 32)      // r%08x
			cust, _ := strconv.Atoi(r.customer[len("CUS-"):]) // CUS-%06d
			g.rowIDs[uint32(id)], g.customers[cust] = true, true
		}
	}
	return g
}

// customerIDs is the size of the CUS-%06d space.
const customerIDs = 1000000

// ids draws a stream's row and customer ids, week by week and row by row,
// in the version's formats and the way its ids are drawn, never one the
// version or an earlier stream took.
func (g *streamGen) ids(stream, weeks int) [][2]string {
	r := monitorRand(g.seed, stream, 0, "ids")
	out := make([][2]string, weeks*WeekRows)
	for i := range out {
		id := uint32(r.IntN(1 << 32))
		for g.rowIDs[id] {
			id = uint32(r.IntN(1 << 32))
		}
		cust := r.IntN(customerIDs)
		for g.customers[cust] {
			cust = r.IntN(customerIDs)
		}
		g.rowIDs[id], g.customers[cust] = true, true
		out[i] = [2]string{fmt.Sprintf("r%08x", id), fmt.Sprintf("CUS-%06d", cust)}
	}
	return out
}

func (g *streamGen) stream(stream, weeks int, events []StreamEvent, ids [][2]string) Stream {
	s := Stream{ID: fmt.Sprintf("st-%08x", monitorRand(g.seed, stream, 0, "stream-id").Uint32()), Events: slices.Clone(events)}
	for k, date := range weekDates(g.base, events, weeks) {
		rg := weekRegime(g.base, events, k+1, date)
		s.Weeks = append(s.Weeks, g.week(stream, k+1, rg, ids[k*WeekRows:(k+1)*WeekRows]))
	}
	return s
}

// week draws week k's rows: the accounts, their leaks planted within the
// week and coupled to the label as in training, shuffled, then rendered
// with test.csv's mess.
func (g *streamGen) week(stream, k int, rg regime, ids [][2]string) []WeekRow {
	d := newWeekDraws(g.seed, stream, k)
	accts := d.accounts(rg, len(ids))
	plantLeaks(d.leak, accts)
	d.split.Shuffle(len(accts), func(i, j int) { accts[i], accts[j] = accts[j], accts[i] })
	rows := make([]WeekRow, len(accts))
	for i := range accts {
		c := cells(d.mess, ids[i][0], ids[i][1], accts[i])
		d.corrupt(rg, c)
		rows[i] = WeekRow{ID: ids[i][0], Cells: c, Churned: accts[i].churned}
	}
	return rows
}

// weekDates are a stream's snapshot days, a week apart, after the history.
// A stream with a seasonal event is placed so that the event's weeks are
// the ones dated in the seasonal month (its 7th, 14th, 21st and 28th); any
// other starts on the 7th of the month after, so none of its weeks is.
func weekDates(b baseline, events []StreamEvent, weeks int) []time.Time {
	first := time.Date(2025, b.season+1, 7, 0, 0, 0, 0, time.UTC)
	for _, e := range events {
		if e.Scenario == Seasonal {
			first = seasonFirst(b.season, e.Start)
		}
	}
	out := make([]time.Time, weeks)
	for k := range out {
		out[k] = first.AddDate(0, 0, 7*k)
	}
	return out
}

// seasonFirst is week 1's day when week start falls on the 7th of month m,
// in the first year that keeps week 1 after the history.
func seasonFirst(m time.Month, start int) time.Time {
	for y := 2025; ; y++ {
		if d := time.Date(y, m, 7, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -7*(start-1)); d.Year() >= 2025 {
			return d
		}
	}
}

// weekDraws are the random streams of one week of one stream, one per
// column family, so that a scenario that changes how one family is drawn
// leaves the others' draws alone.
type weekDraws struct {
	streams
	concept, keep, incident *rand.Rand
}

func newWeekDraws(seed uint64, stream, week int) *weekDraws {
	r := func(family string) *rand.Rand { return monitorRand(seed, stream, week, family) }
	return &weekDraws{
		streams: streams{profile: r("profile"), usage: r("usage"), billing: r("billing"), label: r("label"),
			leak: r("leak"), mess: r("mess"), split: r("split")},
		concept: r("concept"), keep: r("keep"), incident: r("incident"),
	}
}

// monitorRand is a PCG seeded by a hash of (seed, stream, week, family):
// same seed, same bytes; other streams or weeks, independent draws.
func monitorRand(seed uint64, stream, week int, family string) *rand.Rand {
	h := sha256.Sum256(fmt.Appendf(nil, "%s/monitor/v1 %d %d %d %s", Slug, seed, stream, week, family))
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(h[:8]), binary.LittleEndian.Uint64(h[8:16])))
}

// WeekCSV renders a week's rows with test.csv's header.
func WeekCSV(rows []WeekRow) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(Columns[:len(Columns)-1]) // a bytes.Buffer does not fail
	for _, r := range rows {
		_ = w.Write(r.Cells)
	}
	w.Flush()
	return buf.Bytes()
}

// LabelsCSV renders the labels of a week's rows as id,label.
func LabelsCSV(rows []WeekRow) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "label"})
	for _, r := range rows {
		_ = w.Write([]string{r.ID, label(r.Churned)})
	}
	w.Flush()
	return buf.Bytes()
}

// weekMeta is /data/meta.json of a monitor week.
type weekMeta struct {
	Week       int    `json:"week"`
	Weeks      int    `json:"weeks"`
	LabelDelay int    `json:"label_delay_weeks"`
	Stream     string `json:"stream"`
}

// WeekMeta renders /data/meta.json for a stream's week k.
func WeekMeta(s Stream, week int) []byte {
	b, _ := json.Marshal(weekMeta{Week: week, Weeks: len(s.Weeks), LabelDelay: LabelDelay, Stream: s.ID}) // plain fields cannot fail
	return b
}
