package tabular

import (
	"crypto/sha256"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Golden hashes of seed 1's streams (every week's WeekCSV and LabelsCSV):
// the practice stream, then the hidden ones. A change means the monitor
// data changed: update them only on purpose.
var monitorGolden = []string{
	"bb3474a42772aec0bf7afd0f6c952afd428943ba0772d0d7a08da21a1bfd624f",
	"169121ce0eb0b732d20a730fd05a216b7f65ca34a84a787fea21c0baa4a290db",
	"3634e0580842057b44616326a4c3aa7b31d27bfec29c8d186550ac2b41eed16b",
	"6410f53951c7b22b60f351aede9edd06b74cfa1716ae796d6e53d689de034252",
}

// monitorFixture is seed 1's dataset and streams, generated once.
var monitorFixture = sync.OnceValues(func() (dataset, []Stream) {
	d := generate(1)
	return d, append([]Stream{practiceStream(1, d)}, hiddenStreams(1, d)...)
})

func monitorFixtureStreams(t *testing.T) (practice Stream, hidden []Stream) {
	t.Helper()
	_, all := monitorFixture()
	return all[0], all[1:]
}

func monitorStreamHash(s Stream) string {
	h := sha256.New()
	for _, w := range s.Weeks {
		h.Write(WeekCSV(w))
		h.Write(LabelsCSV(w))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func monitorStreamHashes(practice Stream, hidden []Stream) []string {
	out := []string{monitorStreamHash(practice)}
	for _, s := range hidden {
		out = append(out, monitorStreamHash(s))
	}
	return out
}

func TestMonitorStreamsGolden(t *testing.T) {
	practice, hidden := monitorFixtureStreams(t)
	got := monitorStreamHashes(practice, hidden)
	if !slices.Equal(got, monitorGolden) {
		t.Errorf("seed 1 stream hashes\n%q\nwant\n%q", got, monitorGolden)
	}
	if again := monitorStreamHashes(PracticeStream(1), HiddenStreamSet(1)); !slices.Equal(again, got) {
		t.Errorf("seed 1 twice: %q then %q", got, again)
	}
	other := monitorStreamHashes(PracticeStream(2), HiddenStreamSet(2))
	for i := range other {
		if other[i] == got[i] {
			t.Errorf("stream %d: seeds 1 and 2 gave the same bytes", i)
		}
	}
}

func TestHiddenStreamSetIsFast(t *testing.T) {
	start := time.Now()
	HiddenStreamSet(3)
	d := time.Since(start)
	t.Logf("HiddenStreamSet: %s", d)
	if d > 2*time.Second {
		t.Errorf("HiddenStreamSet took %s, want well under a second", d)
	}
}

// TestHistoryShocksMatchGenerate replays generate's draws with
// historyShocks: the hidden block's outcomes come out the same only if the
// shocks are generate's.
func TestHistoryShocksMatchGenerate(t *testing.T) {
	d, _ := monitorFixture()
	st := newStreams(1)
	shocks := historyShocks(1)
	for range allMonths {
		st.label.NormFloat64() // generate's shocks, replaced by historyShocks
	}
	for m := 1; m <= trainMonths; m++ {
		for range trainPerMonth + publicPerMonth {
			simulate(st, m, shocks)
		}
	}
	i := 0
	for m := trainMonths + 1; m <= allMonths; m++ {
		for range hiddenPerMonth {
			a, want := simulate(st, m, shocks), d.hidden[i].a
			if a.churned != want.churned || a.tickets != want.tickets {
				t.Fatalf("hidden row %d: replay differs from generate", i)
			}
			i++
		}
	}
}

// parseWeek parses a week as the candidate reads it.
func parseWeek(t *testing.T, rows []WeekRow) ([]string, [][]string) {
	t.Helper()
	return readCSV(t, WeekCSV(rows))
}

func streamWeeks(s Stream, weeks ...int) []WeekRow {
	var out []WeekRow
	for _, k := range weeks {
		out = append(out, s.Weeks[k-1]...)
	}
	return out
}

func weekSpan(from, to int) []int {
	var out []int
	for k := from; k <= to; k++ {
		out = append(out, k)
	}
	return out
}

func churnShare(rows []WeekRow) float64 {
	n := 0
	for _, r := range rows {
		if r.Churned {
			n++
		}
	}
	return float64(n) / float64(len(rows))
}

func TestStreamWeekFilesMatchTestCSV(t *testing.T) {
	d, all := monitorFixture()
	testHeader, _ := readCSV(t, renderCSV(nil, false))
	taken := map[string]bool{}
	for _, block := range [][]row{d.train, d.public, d.hidden} {
		for _, r := range block {
			taken[r.id], taken[r.customer] = true, true
		}
	}
	rowID, custID := regexp.MustCompile(`^r[0-9a-f]{8}$`), regexp.MustCompile(`^CUS-[0-9]{6}$`)
	seen := map[string]bool{}
	for _, s := range all {
		for k, w := range s.Weeks {
			if len(w) != WeekRows {
				t.Fatalf("%s week %d: %d rows", s.ID, k+1, len(w))
			}
			header, recs := parseWeek(t, w)
			if !slices.Equal(header, testHeader) {
				t.Fatalf("%s week %d: header %q, want test.csv's %q", s.ID, k+1, header, testHeader)
			}
			for i, rec := range recs {
				id, cust := rec[0], rec[1]
				switch {
				case len(rec) != len(header):
					t.Fatalf("%s week %d row %d: %d cells", s.ID, k+1, i, len(rec))
				case id != w[i].ID || !rowID.MatchString(id) || !custID.MatchString(cust):
					t.Fatalf("%s week %d row %d: ids %q %q (row %q)", s.ID, k+1, i, id, cust, w[i].ID)
				case seen[id] || seen[cust] || taken[id] || taken[cust]:
					t.Fatalf("%s week %d: id %s or customer %s used before", s.ID, k+1, id, cust)
				}
				seen[id], seen[cust] = true, true
			}
		}
	}
}

func TestStreamLabelsAndMeta(t *testing.T) {
	if got := string(LabelsCSV(nil)); got != "id,label\n" {
		t.Errorf("LabelsCSV(nil) = %q", got)
	}
	rows := []WeekRow{{ID: "r00000001", Churned: true}, {ID: "r00000002"}}
	if got := string(LabelsCSV(rows)); got != "id,label\nr00000001,1\nr00000002,0\n" {
		t.Errorf("LabelsCSV = %q", got)
	}
	s := Stream{ID: "st-0123abcd", Weeks: make([][]WeekRow, 16)}
	if got := string(WeekMeta(s, 7)); got != `{"week":7,"weeks":16,"label_delay_weeks":5,"stream":"st-0123abcd"}` {
		t.Errorf("WeekMeta = %s", got)
	}
}

// scheduledEvent finds the stream and event of a scenario.
func scheduledEvent(t *testing.T, streams []Stream, sc Scenario) (Stream, StreamEvent) {
	t.Helper()
	for _, s := range streams {
		for _, e := range s.Events {
			if e.Scenario == sc {
				return s, e
			}
		}
	}
	t.Fatalf("no stream has %s", sc)
	return Stream{}, StreamEvent{}
}

func TestHiddenScheduleComposition(t *testing.T) {
	practice, hidden := monitorFixtureStreams(t)
	if len(hidden) != HiddenStreams || len(practice.Weeks) != PracticeWeeks {
		t.Fatalf("%d hidden streams, practice %d weeks", len(hidden), len(practice.Weeks))
	}
	covered, ids, nulls, onsets := map[Scenario]bool{}, map[string]bool{practice.ID: true}, 0, map[int]bool{}
	idShape := regexp.MustCompile(`^st-[0-9a-f]{8}$`)
	for i, s := range hidden {
		if len(s.Weeks) != HiddenWeeks || !idShape.MatchString(s.ID) || ids[s.ID] {
			t.Errorf("stream %d: %d weeks, id %q", i, len(s.Weeks), s.ID)
		}
		ids[s.ID] = true
		checkEventSpacing(t, s, HiddenWeeks)
		for k := 1; k <= 4; k++ {
			if !s.nullWeek(k) {
				t.Errorf("%s: week %d is not null", s.ID, k)
			}
		}
		dq := 0
		for _, e := range s.Events {
			covered[e.Scenario], onsets[e.Start] = true, true
			if e.Scenario == FeeCents || e.Scenario == TenureNulls {
				dq++
			}
			if (e.Scenario == Concept || e.Scenario == PriceRise || e.Scenario == UnseenPlan) && e.Start+LabelDelay > HiddenWeeks-2 {
				t.Errorf("%s: %s starts in week %d, too late for its labels to show it", s.ID, e.Scenario, e.Start)
			}
		}
		if dq > 1 {
			t.Errorf("%s: %d data-quality incidents", s.ID, dq)
		}
		for k := 1; k <= HiddenWeeks; k++ {
			if judgedNull(s, k) {
				nulls++
			}
		}
	}
	for _, sc := range []Scenario{BenignMix, UnseenPlan, PriceRise, Concept, Seasonal, LeakEmpty} {
		if !covered[sc] {
			t.Errorf("no hidden stream has %s", sc)
		}
	}
	if !covered[FeeCents] && !covered[TenureNulls] {
		t.Error("no hidden data-quality incident")
	}
	if share := float64(nulls) / (HiddenStreams * HiddenWeeks); share < 0.3 || share > 0.5 {
		t.Errorf("null weeks %.2f of all, want about 40 %%", share)
	}
	t.Logf("%d of %d hidden weeks are judged without change", nulls, HiddenStreams*HiddenWeeks)
	checkEventSpacing(t, practice, PracticeWeeks)
	for _, e := range practice.Events {
		if onsets[e.Start] {
			t.Errorf("practice %s starts in week %d, as a hidden event does", e.Scenario, e.Start)
		}
	}
	if len(practice.Events) != 2 {
		t.Errorf("practice events %v", practice.Events)
	}
}

// judgedNull says whether the scorer judges week k free of change: outside
// every event's [Start, End + 4].
func judgedNull(s Stream, k int) bool {
	for _, e := range s.Events {
		if e.Start <= k && k <= e.End+4 {
			return false
		}
	}
	return true
}

// checkEventSpacing checks that a stream's events are in its weeks and apart:
// [Start, End+4] of two events never meet.
func checkEventSpacing(t *testing.T, s Stream, weeks int) {
	t.Helper()
	for i, e := range s.Events {
		if e.Start < 1 || e.End < e.Start || e.End > weeks {
			t.Errorf("%s: event %v outside weeks 1..%d", s.ID, e, weeks)
		}
		if i > 0 && e.Start <= s.Events[i-1].End+4 {
			t.Errorf("%s: %v starts within 4 weeks of %v", s.ID, e, s.Events[i-1])
		}
	}
}

func TestStreamConceptShare(t *testing.T) {
	e := StreamEvent{Scenario: Concept, Start: 6, End: 6 + conceptWeeks - 1, Persists: true}
	prev := 0.0
	for k := 1; k <= 16; k++ {
		s := conceptShare(e, k)
		t.Logf("week %d: s = %.3f", k, s)
		switch {
		case k < e.Start && s != 0, k > e.End && s != 1:
			t.Errorf("week %d: s = %.3f outside the event", k, s)
		case k == e.Start && (s < 0.05 || s > 0.15), k == e.End && (s < 0.85 || s > 0.95):
			t.Errorf("week %d: s = %.3f at the event's edge", k, s)
		case s < prev:
			t.Errorf("week %d: s = %.3f falls", k, s)
		}
		prev = s
	}
}

// hiddenBlockRate is the churn rate of months 19–24 (test.csv's rows).
func hiddenBlockRate(d dataset) float64 {
	n := 0
	for _, r := range d.hidden {
		if r.a.churned {
			n++
		}
	}
	return float64(n) / float64(len(d.hidden))
}

func TestStreamNullWeeksMatchLastMonths(t *testing.T) {
	d, all := monitorFixture()
	want := hiddenBlockRate(d)
	var null []WeekRow
	for _, s := range all {
		for k := 1; k <= len(s.Weeks); k++ {
			if s.nullWeek(k) {
				null = append(null, s.Weeks[k-1]...)
				if r := churnShare(s.Weeks[k-1]); math.Abs(r-want) > 0.025 {
					t.Errorf("%s null week %d: churn %.3f, months 19–24 %.3f", s.ID, k, r, want)
				}
			}
		}
	}
	got := churnShare(null)
	t.Logf("null weeks: churn %.4f over %d rows; months 19–24: %.4f", got, len(null), want)
	if math.Abs(got-want) > 0.02 {
		t.Errorf("null weeks churn %.3f, months 19–24 %.3f", got, want)
	}
}

// classMean is the mean of a numeric column over the rows where the outcome
// is churned (or not), blanks skipped.
func classMean(t *testing.T, rows []WeekRow, col string, churned bool) float64 {
	t.Helper()
	header, recs := parseWeek(t, rows)
	s, n := 0.0, 0
	for i, c := range column(header, recs, col) {
		if x, err := strconv.ParseFloat(c, 64); err == nil && rows[i].Churned == churned {
			s, n = s+x, n+1
		}
	}
	return s / float64(n)
}

func TestStreamPriceRiseIsPriorShift(t *testing.T) {
	d, all := monitorFixture()
	s, e := scheduledEvent(t, all, PriceRise)
	before := streamWeeks(s, weekSpan(e.Start-4, e.Start-1)...) // the regime the rise applies to
	after := s.Weeks[e.Start-1]
	rb, ra := churnShare(before), churnShare(after)
	t.Logf("%s: churn %.3f before, %.3f in week %d", s.ID, rb, ra, e.Start)
	if math.Abs(ra-priceRiseRate) > 0.02 || rb > 0.10 {
		t.Errorf("price rise: churn %.3f → %.3f, want about 8 %% → 14 %%", rb, ra)
	}
	for _, churned := range []bool{true, false} {
		mb, ma := classMean(t, before, "logins_30d", churned), classMean(t, after, "logins_30d", churned)
		t.Logf("churned=%v: mean logins %.2f before, %.2f after", churned, mb, ma)
		if math.Abs(ma-mb) > 0.12*mb {
			t.Errorf("churned=%v: mean logins %.2f before, %.2f after", churned, mb, ma)
		}
	}
	// P(X|Y) fixed, on large samples scored by the clean reference: within
	// each class the scores are as before, so all rows together score
	// higher, by the class gap times the rise in prevalence (an intercept
	// change would instead keep P(X) and move the class means).
	ref, b := cleanReference(d.train), newBaseline(1)
	rise := nullRegime(b)
	rise.keep = b.keep
	nullMeans, nullRate := scoreMeans(ref, newWeekDraws(1, 100, 1).accounts(nullRegime(b), 40000))
	riseMeans, riseRate := scoreMeans(ref, newWeekDraws(1, 100, 2).accounts(rise, 40000))
	gap := nullMeans[1] - nullMeans[0]
	t.Logf("churn %.4f → %.4f; mean score of churners %.4f → %.4f, of others %.4f → %.4f, of all %.4f → %.4f",
		nullRate, riseRate, nullMeans[1], riseMeans[1], nullMeans[0], riseMeans[0], nullMeans[2], riseMeans[2])
	for c := range 2 {
		if math.Abs(riseMeans[c]-nullMeans[c]) > 0.1*gap {
			t.Errorf("class %d: mean score %.4f → %.4f, want P(X|Y) fixed", c, nullMeans[c], riseMeans[c])
		}
	}
	if want := gap * (riseRate - nullRate); riseMeans[2]-nullMeans[2] < 0.7*want {
		t.Errorf("mean score %.4f → %.4f, want a rise of about %.4f", nullMeans[2], riseMeans[2], want)
	}
}

// scoreMeans are the mean scores of non-churners, churners and all, and
// the churn rate.
func scoreMeans(score func(account) float64, accts []account) (means [3]float64, rate float64) {
	var n [3]float64
	for _, a := range accts {
		c := int(b2f(a.churned))
		p := score(a)
		means[c], means[2], n[c], n[2] = means[c]+p, means[2]+p, n[c]+1, n[2]+1
	}
	for i := range means {
		means[i] /= n[i]
	}
	return means, n[1] / n[2]
}

// ticketsChurnGap is churn among rows with 2+ support tickets minus churn among
// rows with none.
func ticketsChurnGap(t *testing.T, rows []WeekRow) float64 {
	t.Helper()
	header, recs := parseWeek(t, rows)
	var many, none []WeekRow
	for i, c := range column(header, recs, "support_tickets_90d") {
		switch n, _ := strconv.Atoi(c); {
		case n == 0:
			none = append(none, rows[i])
		case n >= 2:
			many = append(many, rows[i])
		}
	}
	return churnShare(many) - churnShare(none)
}

func TestStreamConceptReversesTickets(t *testing.T) {
	_, hidden := monitorFixtureStreams(t)
	s, e := scheduledEvent(t, hidden, Concept)
	from := 1 // after the changes before it: the concept alone differs
	for _, o := range s.Events {
		if o.End < e.Start {
			from = max(from, o.End+1)
		}
	}
	null := streamWeeks(s, weekSpan(from, e.Start-1)...)
	after := weekSpan(e.End+1, nextEventStart(s, e)-1) // the new concept alone
	newer := streamWeeks(s, after...)
	gn, ga := ticketsChurnGap(t, null), ticketsChurnGap(t, newer)
	t.Logf("%s: churn(2+ tickets) − churn(0) = %+.3f in weeks %d–%d, %+.3f in weeks %v", s.ID, gn, from, e.Start-1, ga, after)
	if gn < 0.02 || ga > -0.01 {
		t.Errorf("tickets gap %+.3f before, %+.3f after the concept change: want a sign flip", gn, ga)
	}
	// P(X) unchanged, and the churn rate about the same.
	for _, col := range []string{"support_tickets_90d", "logins_30d"} {
		mb, ma := columnMean(t, null, col), columnMean(t, newer, col)
		if math.Abs(ma-mb) > 0.05*mb {
			t.Errorf("%s mean %.3f before, %.3f after", col, mb, ma)
		}
	}
	// 0.025: two standard errors of the difference over these weeks, plus
	// the studio rows of the unseen-plan change before it, whose tickets
	// the recentring does not see.
	if rn, ra := churnShare(null), churnShare(newer); math.Abs(rn-ra) > 0.025 {
		t.Errorf("churn %.3f before, %.3f after the concept change", rn, ra)
	}
}

// nextEventStart is the start of the event after e, or past the stream.
func nextEventStart(s Stream, e StreamEvent) int {
	for _, o := range s.Events {
		if o.Start > e.End {
			return o.Start
		}
	}
	return len(s.Weeks) + 1
}

func columnMean(t *testing.T, rows []WeekRow, col string) float64 {
	t.Helper()
	header, recs := parseWeek(t, rows)
	s, n := 0.0, 0
	for _, c := range column(header, recs, col) {
		if x, err := strconv.ParseFloat(c, 64); err == nil {
			s, n = s+x, n+1
		}
	}
	return s / float64(n)
}

// weekColumn is a column of the rows as the candidate reads it.
func weekColumn(t *testing.T, rows []WeekRow, col string) []string {
	t.Helper()
	header, recs := parseWeek(t, rows)
	return column(header, recs, col)
}

func blankShare(t *testing.T, rows []WeekRow, col string) float64 {
	t.Helper()
	n := 0
	for _, c := range weekColumn(t, rows, col) {
		if c == "" {
			n++
		}
	}
	return float64(n) / float64(len(rows))
}

func columnMedian(t *testing.T, rows []WeekRow, col string) float64 {
	t.Helper()
	var xs []float64
	for _, c := range weekColumn(t, rows, col) {
		if x, err := strconv.ParseFloat(c, 64); err == nil {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

func TestStreamDataQualityIncidents(t *testing.T) {
	practice, hidden := monitorFixtureStreams(t)
	all := append([]Stream{practice}, hidden...)
	s, e := scheduledEvent(t, all, FeeCents)
	null := streamWeeks(s, weekSpan(1, e.Start-1)...)
	for k := e.Start; k <= e.End+1; k++ {
		ratio := columnMedian(t, s.Weeks[k-1], "monthly_fee") / columnMedian(t, null, "monthly_fee")
		inside := k <= e.End
		t.Logf("fee-cents %s week %d: median fee ×%.1f of the null weeks'", s.ID, k, ratio)
		if inside && (ratio < 80 || ratio > 125) || !inside && (ratio < 0.8 || ratio > 1.25) {
			t.Errorf("%s week %d (incident %v): median fee ×%.1f", s.ID, k, inside, ratio)
		}
	}
	if rn, ri := churnShare(null), churnShare(streamWeeks(s, e.Start, e.End)); math.Abs(rn-ri) > 0.02 {
		t.Errorf("fee-cents changed the outcome: churn %.3f vs %.3f", rn, ri)
	}
	s, e = scheduledEvent(t, all, TenureNulls)
	for k := 1; k <= len(s.Weeks); k++ {
		share := blankShare(t, s.Weeks[k-1], "tenure_months")
		inside := k >= e.Start && k <= e.End
		t.Logf("tenure-nulls %s week %d: %.3f empty", s.ID, k, share)
		if inside && math.Abs(share-tenureNullRate) > 0.03 || !inside && share > 0 {
			t.Errorf("%s week %d (incident %v): tenure empty in %.3f", s.ID, k, inside, share)
		}
	}
}

// offerSentRates are the shares of churners and non-churners with a retention
// offer, and the share of rows where the field is empty.
func offerSentRates(t *testing.T, rows []WeekRow) (churned, stayed, empty float64) {
	t.Helper()
	var c, nc, sc, ns, e float64
	for i, v := range weekColumn(t, rows, "retention_offer_sent") {
		yes := strings.HasPrefix(strings.ToLower(v), "y")
		switch {
		case v == "":
			e++
		case rows[i].Churned:
			nc++
			if yes {
				c++
			}
		default:
			ns++
			if yes {
				sc++
			}
		}
	}
	return c / nc, sc / ns, e / float64(len(rows))
}

func TestStreamLeakEmpty(t *testing.T) {
	_, hidden := monitorFixtureStreams(t)
	s, e := scheduledEvent(t, hidden, LeakEmpty)
	for k := 1; k <= len(s.Weeks); k++ {
		c, st, empty := offerSentRates(t, s.Weeks[k-1])
		switch {
		case k >= e.Start && empty != 1:
			t.Errorf("%s week %d: offer empty in %.3f of rows, want all", s.ID, k, empty)
		case k < e.Start && (empty > 0.05 || c < 0.7 || st > 0.1):
			t.Errorf("%s week %d: offer empty %.3f, sent to %.2f of churners and %.2f of others", s.ID, k, empty, c, st)
		}
	}
	// Every other stream keeps the leak, coupled, in every week.
	for _, o := range hidden {
		if o.ID == s.ID {
			continue
		}
		c, st, empty := offerSentRates(t, streamWeeks(o, weekSpan(1, HiddenWeeks)...))
		t.Logf("%s: offer sent to %.2f of churners, %.2f of others; empty %.3f", o.ID, c, st, empty)
		if empty > 0.05 || c < 0.7 || st > 0.1 {
			t.Errorf("%s: offer empty %.3f, sent to %.2f of churners and %.2f of others", o.ID, empty, c, st)
		}
	}
}

// canonicalPlanShares counts the canonical plans of rows from their spellings.
func canonicalPlanShares(t *testing.T, rows []WeekRow) map[string]float64 {
	t.Helper()
	canon := map[string]string{}
	for _, p := range append(slices.Clone(plans), "studio") {
		for _, sp := range spellings[p] {
			canon[sp] = p
		}
	}
	out := map[string]float64{}
	for _, c := range weekColumn(t, rows, "plan") {
		out[canon[c]] += 1 / float64(len(rows))
	}
	return out
}

func TestStreamUnseenPlan(t *testing.T) {
	d, all := monitorFixture()
	_, hidden := monitorFixtureStreams(t)
	s, e := scheduledEvent(t, hidden, UnseenPlan)
	for _, o := range all {
		for k := 1; k <= len(o.Weeks); k++ {
			share := canonicalPlanShares(t, o.Weeks[k-1])["studio"]
			on := o.ID == s.ID && k >= e.Start
			if on && math.Abs(share-studioShare) > 0.03 || !on && share > 0 {
				t.Errorf("%s week %d: studio in %.3f of rows", o.ID, k, share)
			}
		}
	}
	for _, r := range d.train {
		if r.a.plan == "studio" {
			t.Fatal("a training row has the studio plan")
		}
	}
	// Studio customers churn much more than the others that week.
	week := s.Weeks[e.Start-1]
	var studio, other []WeekRow
	for i, c := range weekColumn(t, week, "plan") {
		if slices.Contains(spellings["studio"], c) {
			studio = append(studio, week[i])
		} else {
			other = append(other, week[i])
		}
	}
	t.Logf("week %d: churn %.3f studio, %.3f others", e.Start, churnShare(studio), churnShare(other))
	if churnShare(studio) < 2*churnShare(other) {
		t.Errorf("studio churn %.3f, others %.3f", churnShare(studio), churnShare(other))
	}
}

func TestStreamBenignMix(t *testing.T) {
	d, _ := monitorFixture()
	_, hidden := monitorFixtureStreams(t)
	s, e := scheduledEvent(t, hidden, BenignMix)
	before, after := streamWeeks(s, weekSpan(e.Start-4, e.Start-1)...), streamWeeks(s, weekSpan(e.Start, e.Start+3)...)
	share := func(rows []WeekRow, col string, values ...string) float64 {
		n := 0
		for _, c := range weekColumn(t, rows, col) {
			if slices.Contains(values, c) {
				n++
			}
		}
		return float64(n) / float64(len(rows))
	}
	for _, c := range []struct {
		col    string
		values []string
	}{{"plan", spellings["basic"]}, {"contract_type", spellings["monthly"]}, {"acquisition_channel", spellings["paid"]}} {
		b, a := share(before, c.col, c.values...), share(after, c.col, c.values...)
		t.Logf("%s %s: %.3f before, %.3f after", c.col, c.values[0], b, a)
		if a < b+0.1 {
			t.Errorf("%s %s: %.3f before, %.3f after the promo", c.col, c.values[0], b, a)
		}
	}
	// Inside the training support: every category seen in train.csv.
	trainHeader, trainRecs := readCSV(t, renderCSV(d.train, true))
	header, recs := parseWeek(t, after)
	for _, col := range []string{"plan", "contract_type", "acquisition_channel", "payment_method", "country"} {
		known := map[string]bool{}
		for _, c := range column(trainHeader, trainRecs, col) {
			known[c] = true
		}
		for _, c := range column(header, recs, col) {
			if !known[c] {
				t.Errorf("%s %q is not in train.csv", col, c)
			}
		}
	}
}

// snapshotLayouts are the formats dateCell writes.
var snapshotLayouts = []string{"2006-01-02", "01/02/2006", "02 Jan 2006", "2006/01/02", "Jan 2, 2006"}

func snapshotDay(t *testing.T, rows []WeekRow) time.Time {
	t.Helper()
	var day time.Time
	for _, c := range weekColumn(t, rows, "snapshot_date") {
		for _, l := range snapshotLayouts {
			if d, err := time.Parse(l, c); err == nil {
				if !day.IsZero() && !d.Equal(day) {
					t.Fatalf("week with dates %s and %s", day, d)
				}
				day = d
			}
		}
	}
	return day
}

func TestStreamSeasonalRecursTrainingMonth(t *testing.T) {
	d, all := monitorFixture()
	_, hidden := monitorFixtureStreams(t)
	s, e := scheduledEvent(t, hidden, Seasonal)
	season := newBaseline(1).season
	// The training history shows it: that calendar month churned more than
	// the average training month in both years of train.csv.
	var byMonth [trainMonths + 1][2]float64
	total := 0.0
	for _, r := range d.train {
		byMonth[r.a.month][0]++
		byMonth[r.a.month][1] += b2f(r.a.churned)
		total += b2f(r.a.churned)
	}
	avg := total / float64(len(d.train))
	for _, m := range []int{int(season), int(season) + 12} {
		rate := byMonth[m][1] / byMonth[m][0]
		t.Logf("train.csv month %d (%s): churn %.4f, average %.4f", m, season, rate, avg)
		if rate < avg+0.005 {
			t.Errorf("train.csv month %d: churn %.4f, average %.4f", m, rate, avg)
		}
	}
	// The event's weeks are exactly the weeks dated in that month, in any
	// stream.
	for _, o := range all {
		for k := 1; k <= len(o.Weeks); k++ {
			in := snapshotDay(t, o.Weeks[k-1]).Month() == season
			if want := o.ID == s.ID && k >= e.Start && k <= e.End; in != want {
				t.Errorf("%s week %d dated %s: in the season %v, scheduled %v", o.ID, k, snapshotDay(t, o.Weeks[k-1]), in, want)
			}
		}
	}
	around := streamWeeks(s, slices.Concat(weekSpan(e.Start-4, e.Start-1), weekSpan(e.End+1, len(s.Weeks)))...)
	rs, ra := churnShare(streamWeeks(s, weekSpan(e.Start, e.End)...)), churnShare(around)
	t.Logf("%s: churn %.4f in the season, %.4f around it", s.ID, rs, ra)
	if rs < ra+0.01 {
		t.Errorf("seasonal churn %.4f, around it %.4f", rs, ra)
	}
}

// without regenerates stream i of the fixture (0 the practice stream, then
// the hidden ones, as they are numbered in the seeding) with the same ids
// but without one of its events.
func without(t *testing.T, i int, sc Scenario) Stream {
	t.Helper()
	d, all := monitorFixture()
	s := all[i]
	var ids [][2]string
	for _, w := range s.Weeks {
		for _, r := range w {
			ids = append(ids, [2]string{r.ID, r.Cells[1]})
		}
	}
	events := slices.DeleteFunc(slices.Clone(s.Events), func(e StreamEvent) bool { return e.Scenario == sc })
	return newStreamGen(1, d).stream(i, len(s.Weeks), events, ids)
}

// TestStreamIncidentsTouchOnlyTheirCells compares each incident's stream
// with the same stream regenerated without it: the outcomes and every
// other cell are the same, the incident's column differs only while it is
// in force.
func TestStreamIncidentsTouchOnlyTheirCells(t *testing.T) {
	_, all := monitorFixture()
	for _, c := range []struct {
		sc  Scenario
		col string
	}{{FeeCents, "monthly_fee"}, {TenureNulls, "tenure_months"}, {LeakEmpty, "retention_offer_sent"}} {
		i := slices.IndexFunc(all, func(s Stream) bool {
			return slices.ContainsFunc(s.Events, func(e StreamEvent) bool { return e.Scenario == c.sc })
		})
		s, base := all[i], without(t, i, c.sc)
		_, e := scheduledEvent(t, all, c.sc)
		col := slices.Index(Columns, c.col)
		for k := range s.Weeks {
			changed := 0
			for j, r := range s.Weeks[k] {
				b := base.Weeks[k][j]
				if r.Churned != b.Churned {
					t.Fatalf("%s week %d: %s changed an outcome", s.ID, k+1, c.sc)
				}
				for x := range r.Cells {
					if r.Cells[x] != b.Cells[x] && x != col {
						t.Fatalf("%s week %d: %s changed %s", s.ID, k+1, c.sc, Columns[x])
					}
				}
				if r.Cells[col] != b.Cells[col] {
					changed++
				}
			}
			inForce := k+1 >= e.Start && (k+1 <= e.End || e.Persists)
			if inForce != (changed > WeekRows/4) || !inForce && changed > 0 {
				t.Errorf("%s week %d: %s changed %s in %d rows (in force %v)", s.ID, k+1, c.sc, c.col, changed, inForce)
			}
		}
	}
}

// TestStreamConceptKeepsFeatures draws one week's accounts under the old
// and the new concept: the customers are the same, some outcomes differ.
func TestStreamConceptKeepsFeatures(t *testing.T) {
	b := newBaseline(1)
	old, newer := nullRegime(b), nullRegime(b)
	newer.concept = 1
	x, y := newWeekDraws(1, 1, 9).accounts(old, WeekRows), newWeekDraws(1, 1, 9).accounts(newer, WeekRows)
	flipped := 0
	for i := range x {
		a, c := x[i], y[i]
		if a.churned != c.churned {
			flipped++
		}
		a.churned, c.churned = false, false
		if fmt.Sprint(a) != fmt.Sprint(c) {
			t.Fatalf("row %d: the concept change changed the customer", i)
		}
	}
	t.Logf("%d of %d outcomes differ", flipped, WeekRows)
	if flipped < WeekRows/50 {
		t.Errorf("only %d outcomes differ", flipped)
	}
}
