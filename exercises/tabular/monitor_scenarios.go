package tabular

import (
	"math"
	"slices"
	"time"
)

// The scenarios of MONITORING.md E.1.2. Each changes the simulator's
// parameters (or the rendered cells) from its start week on.
const (
	BenignMix   Scenario = "benign-mix"   // S1: a promo shifts the customer mix inside the training support
	UnseenPlan  Scenario = "unseen-plan"  // S2: a new plan tier whose customers churn by another rule
	PriceRise   Scenario = "price-rise"   // S3: prior shift to 14 % churn in one week, P(X|Y) fixed
	Concept     Scenario = "concept"      // S4: the support-ticket coefficient changes sign, gradually
	FeeCents    Scenario = "fee-cents"    // S5a: monthly_fee arrives in cents for two weeks
	TenureNulls Scenario = "tenure-nulls" // S5b: tenure_months is blank in 40 % of rows for two weeks
	Seasonal    Scenario = "seasonal"     // S6: the calendar month whose churn peak recurs in train.csv
	LeakEmpty   Scenario = "leak-empty"   // S7: retention_offer_sent is blank, as before the outcome
)

// Scenario parameters.
const (
	priceRiseRate  = 0.14 // churn rate of a null week after the price rise
	conceptWeeks   = 6    // w: the concept change's width in weeks
	newTicketsCoef = -0.8 // the tickets coefficient under the new concept; month 24's is +0.15
	ticketsMean    = 0.85 // E[tickets]: the concept change keeps the churn rate
	studioShare    = 0.25 // of the rows from the tier's launch
	studioLift     = 1.8  // studio customers churn more ...
	studioEngage   = 1.5  // ... and their heavy users most: the history's −0.75 becomes +0.75
	tenureNullRate = 0.4  // of the rows while the incident lasts
	seasonWeeks    = 4    // weeks dated in the seasonal month: days 7, 14, 21, 28
)

// promoMix is the customer mix during a promo for small monthly plans:
// more basic plans, fewer annual basic contracts, more paid acquisition.
// Every value stays inside the training support.
var promoMix = mix{
	plans:     plans,
	planShare: []float64{0.65, 0.20, 0.10, 0.05},
	chanShare: []float64{0.30, 0.50, 0.13, 0.07},
	annual:    map[string]float64{"basic": 0.05, "pro": 0.35, "team": 0.5, "enterprise": 0.8, "studio": 0.1},
}

// withStudio adds the studio tier to a mix with studioShare of the rows.
func withStudio(m mix) mix {
	m.plans = append(slices.Clone(m.plans), "studio")
	m.planShare = append(slices.Clone(m.planShare), studioShare)
	for i := range len(m.planShare) - 1 {
		m.planShare[i] *= 1 - studioShare
	}
	return m
}

// baseline is what a seed's weeks take from its two-year history.
type baseline struct {
	// shock is the churn level of the last six months (19–24): their mean
	// shock. A single month's shock is that month's noise.
	shock float64
	// season and seasonExcess are the recurring churn peak train.csv
	// shows: of the calendar months it covers twice (January–June of 2023
	// and 2024), the one with the highest mean shock, and that mean less
	// the mean shock of all 18 training months. A model of the calendar
	// month fitted on train.csv expects this excess in that month.
	season       time.Month
	seasonExcess float64
	// keep is the share of non-churners a price-rise week keeps: it moves
	// a null week's churn rate to priceRiseRate.
	keep float64
}

func newBaseline(seed uint64) baseline {
	shocks := historyShocks(seed)
	b := baseline{shock: mean(shocks[trainMonths:allMonths])}
	all := mean(shocks[:trainMonths])
	b.seasonExcess = math.Inf(-1)
	for m := range 6 {
		if ex := (shocks[m]+shocks[m+12])/2 - all; ex > b.seasonExcess {
			b.season, b.seasonExcess = time.Month(m+1), ex
		}
	}
	p := nullChurnRate(seed, b)
	b.keep = p / (1 - p) * (1 - priceRiseRate) / priceRiseRate
	return b
}

// historyShocks are the monthly churn shocks of generate: the first draws
// of the seed's label stream.
func historyShocks(seed uint64) []float64 {
	r := newStreams(seed).label
	shocks := make([]float64, allMonths)
	for i := range shocks {
		shocks[i] = 0.3 * r.NormFloat64()
	}
	return shocks
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// calibrationRows is the sample nullChurnRate averages over: its standard
// error is under 0.1 points.
const calibrationRows = 20000

// nullChurnRate is a null week's expected churn rate: the mean churn
// probability of a sample drawn from streams of its own.
func nullChurnRate(seed uint64, b baseline) float64 {
	d := newWeekDraws(seed, calibrationIndex, 0)
	rg := nullRegime(b)
	s := 0.0
	for range calibrationRows {
		_, p := d.account(rg)
		s += p
	}
	return s / calibrationRows
}

// regime is the simulator's parameters for one week.
type regime struct {
	date        time.Time
	mix         mix
	shock       float64
	concept     float64 // share of rows under the new support concept
	keep        float64 // share of non-churners kept; 1 keeps all
	feeCents    bool
	tenureNulls bool
	offerEmpty  bool
}

// nullRegime is a null week: month 24's model at the last months' churn
// level, the history's mix.
func nullRegime(b baseline) regime {
	return regime{mix: historyMix, shock: b.shock, keep: 1}
}

// weekRegime is week k's regime under a schedule: every event in force
// that week applies, persistent ones from their start on.
func weekRegime(b baseline, events []StreamEvent, k int, date time.Time) regime {
	rg := nullRegime(b)
	rg.date = date
	for _, e := range events {
		if k < e.Start || (k > e.End && !e.Persists) {
			continue
		}
		switch e.Scenario {
		case BenignMix:
			rg.mix = promoMix
		case UnseenPlan:
			rg.mix = withStudio(rg.mix)
		case PriceRise:
			rg.keep = b.keep
		case Concept:
			rg.concept = conceptShare(e, k)
		case FeeCents:
			rg.feeCents = true
		case TenureNulls:
			rg.tenureNulls = true
		case Seasonal:
			rg.shock += b.seasonExcess
		case LeakEmpty:
			rg.offerEmpty = true
		}
	}
	return rg
}

// conceptShare is s(k), the share of week k's rows under the new concept:
// skmultiflow's 1/(1+exp(−4(k−p)/w)) with w = conceptWeeks centred on the
// event, rescaled to be 0 the week before Start and 1 the week after End,
// so that the weeks around the event are exactly null or exactly new
// (Start ≈ 9 %, End ≈ 91 %).
func conceptShare(e StreamEvent, k int) float64 {
	p := float64(e.Start+e.End) / 2
	s := func(k int) float64 { return sigmoid(4 * (float64(k) - p) / conceptWeeks) }
	lo, hi := s(e.Start-1), s(e.End+1)
	return math.Max(0, math.Min(1, (s(k)-lo)/(hi-lo)))
}

// account draws one account under a regime and returns it with its true
// churn probability.
func (d *weekDraws) account(rg regime) (account, float64) {
	a := account{month: allMonths, date: rg.date}
	profile(d.profile, rg.mix, &a)
	engagement := usage(d.usage, &a)
	billing(d.billing, &a)
	x := churnLogit(a, engagement, rg.shock)
	if a.plan == "studio" {
		// Agencies leave when their big project ends: the busiest churn.
		x += studioLift + studioEngage*engagement
	}
	if rg.concept >= 1 || (rg.concept > 0 && d.concept.Float64() < rg.concept) {
		// Support got better: tickets now mark customers who were helped.
		x += (newTicketsCoef - ticketsCoef(a.month)) * (float64(a.tickets) - ticketsMean)
	}
	p := sigmoid(x)
	a.churned = d.label.Float64() < p
	return a, p
}

// accounts draws a week's n accounts. A price rise is a prior shift:
// non-churners are kept with probability keep, churners always, so
// P(X|Y) stays that of the week without it.
func (d *weekDraws) accounts(rg regime, n int) []account {
	out := make([]account, 0, n)
	for len(out) < n {
		a, _ := d.account(rg)
		if !a.churned && rg.keep < 1 && d.keep.Float64() >= rg.keep {
			continue
		}
		if rg.feeCents {
			a.fee *= 100 // only the cell: the outcome was drawn above
		}
		out = append(out, a)
	}
	return out
}

// Cells the corruptions blank.
var (
	tenureCol = slices.Index(Columns, "tenure_months")
	offerCol  = slices.Index(Columns, "retention_offer_sent")
)

// corrupt applies a regime's cell-level changes to a rendered row: what
// the week's export gets wrong or, for the offer, cannot know yet.
func (d *weekDraws) corrupt(rg regime, c []string) {
	if rg.tenureNulls && d.incident.Float64() < tenureNullRate {
		c[tenureCol] = ""
	}
	if rg.offerEmpty {
		c[offerCol] = ""
	}
}
