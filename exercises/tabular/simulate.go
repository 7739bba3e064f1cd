package tabular

import (
	"math"
	"math/rand/v2"
	"time"
)

// account is one customer at one monthly snapshot, before any mess is added.
// Missing values are NaN (numbers) or "" (categories).
type account struct {
	month      int // 1..24: the snapshot is taken at the end of this month
	tenure     int // months since signup
	plan       string
	country    string
	seats      int
	fee        float64
	contract   string
	payment    string
	channel    string
	logins     float64 // logins in the last 30 days
	sinceLogin float64 // days since the last login; NaN when none in 90 days
	tickets    int
	failures   int
	nps        float64 // NaN when the customer skipped the survey
	discount   float64 // percent
	features   int
	churned    bool
	date       time.Time // a weekly monitor row's snapshot day; zero for the monthly history

	// planted leaks
	offer    bool    // retention offer sent (after a cancellation call)
	segment  int     // micro-segment, only its target encoding is exported
	segRate  float64 // target encoding of segment over the whole export
	acctNo   int     // billing account number, renumbered when closed
	offerNA  bool    // the offer flag is missing
	segRateN bool    // the segment rate is missing
}

// streams are the random streams of the generator, one per column family,
// so that changing how one family is drawn leaves the others' bytes alone.
type streams struct {
	profile, usage, billing, label, leak, mess, ids, split *rand.Rand
}

func newStreams(seed uint64) streams {
	s := func(family uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x7ab1e000+family)) }
	return streams{profile: s(1), usage: s(2), billing: s(3), label: s(4), leak: s(5), mess: s(6), ids: s(7), split: s(8)}
}

var (
	plans     = []string{"basic", "pro", "team", "enterprise"}
	planShare = []float64{0.45, 0.30, 0.17, 0.08}
	countries = []string{"US", "DE", "GB", "FR", "BR", "IN", "JP", "AU", "CA", "ES", "NL", "SG"}
	ctryShare = []float64{0.34, 0.12, 0.10, 0.07, 0.06, 0.06, 0.05, 0.05, 0.05, 0.04, 0.03, 0.03}
	channels  = []string{"organic", "paid", "referral", "partner"}
	chanShare = []float64{0.40, 0.30, 0.20, 0.10}
	// studio is the tier launched after the history (monitor_scenarios.go):
	// no history row has it.
	price     = map[string]float64{"basic": 12, "pro": 25, "team": 20, "enterprise": 18, "studio": 39}
	annual    = map[string]float64{"basic": 0.2, "pro": 0.35, "team": 0.5, "enterprise": 0.8, "studio": 0.1}
	seatRange = map[string][2]float64{"basic": {1, 3}, "pro": {1, 10}, "team": {5, 50}, "enterprise": {50, 500}, "studio": {2, 20}}
)

// mix is the customer mix profile draws from. historyMix is the two
// years'; monitor scenarios change it from some week on.
type mix struct {
	plans     []string
	planShare []float64
	chanShare []float64
	annual    map[string]float64 // share of annual contracts by plan
}

var historyMix = mix{plans: plans, planShare: planShare, chanShare: chanShare, annual: annual}

func pick(r *rand.Rand, names []string, share []float64) string {
	u := r.Float64()
	for i, p := range share {
		if u < p {
			return names[i]
		}
		u -= p
	}
	return names[len(names)-1]
}

func poisson(r *rand.Rand, mean float64) int {
	// Knuth's method is fine for the small means used here.
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// simulate draws an account at the given month and its churn outcome.
func simulate(st streams, month int, shocks []float64) account {
	a := account{month: month}
	profile(st.profile, historyMix, &a)
	engagement := usage(st.usage, &a)
	billing(st.billing, &a)
	a.churned = st.label.Float64() < sigmoid(churnLogit(a, engagement, shocks[month-1]))
	return a
}

func profile(r *rand.Rand, m mix, a *account) {
	a.tenure = 1 + int(math.Min(r.ExpFloat64()*18, 119))
	a.plan = pick(r, m.plans, m.planShare)
	a.country = pick(r, countries, ctryShare)
	a.channel = pick(r, channels, m.chanShare)
	lo, hi := seatRange[a.plan][0], seatRange[a.plan][1]
	a.seats = int(math.Round(lo * math.Pow(hi/lo, r.Float64())))
	a.contract = "monthly"
	if r.Float64() < m.annual[a.plan] {
		a.contract = "annual"
	}
}

// usage draws the product-usage columns from a hidden engagement level and
// returns it; the label depends on it only through noisy proxies.
func usage(r *rand.Rand, a *account) float64 {
	e := r.NormFloat64()
	a.logins = float64(poisson(r, math.Exp(2.1+0.7*e)))
	a.sinceLogin = math.NaN()
	if a.logins > 0 {
		a.sinceLogin = math.Min(29, math.Floor(r.ExpFloat64()*30/(a.logins+1)))
	} else if r.Float64() < 0.5 {
		a.sinceLogin = float64(30 + r.IntN(60))
	}
	n := 0
	for range 12 {
		if r.Float64() < sigmoid(-0.3+0.9*e) {
			n++
		}
	}
	a.features = n
	a.tickets = poisson(r, 0.5+0.5*math.Max(0, -e)+0.3*r.Float64())
	a.nps = math.NaN()
	if r.Float64() < sigmoid(-0.8+0.8*e) {
		a.nps = math.Max(0, math.Min(10, math.Round(7+1.4*e+1.6*r.NormFloat64())))
	}
	return e
}

func billing(r *rand.Rand, a *account) {
	a.payment = "card"
	switch u := r.Float64(); {
	case u < 0.15 || (a.plan == "enterprise" && u < 0.7) || (a.plan == "team" && u < 0.35):
		a.payment = "invoice"
	case u > 0.85:
		a.payment = "paypal"
	}
	if r.Float64() < 0.3 {
		a.discount = float64(5 * (2 + r.IntN(5)))
	}
	a.fee = float64(a.seats) * price[a.plan] * (1 - a.discount/100)
	rate := 0.08
	if a.payment == "card" {
		rate = 0.25
	}
	a.failures = poisson(r, rate)
}

// churnLogit is the true model. The tickets coefficient decays over the two
// years and each month has its own shock: a model that learns the month or
// validates on a random split looks better than it will be later.
func churnLogit(a account, engagement, shock float64) float64 {
	x := -3.05 + shock
	x -= 0.75 * engagement
	if a.contract == "monthly" {
		x += 0.9
	}
	x -= 0.35 * math.Log1p(float64(a.tenure))
	if a.tenure <= 3 {
		x += 0.5
	}
	x += ticketsCoef(a.month) * float64(a.tickets)
	x += 0.55 * float64(a.failures)
	if !math.IsNaN(a.nps) {
		x -= 0.18 * (a.nps - 7)
	}
	switch a.plan {
	case "basic":
		x += 0.35
	case "enterprise":
		x -= 0.5
	}
	if a.discount > 0 {
		x -= 0.2
	}
	return x
}

// ticketsCoef is the support-ticket coefficient of the churn logit in month
// m: it decays from 0.45 to 0.15 over the two years.
func ticketsCoef(m int) float64 {
	drift := float64(m-1) / 23
	return 0.45 - 0.3*drift
}
