package tabular

import "math/rand/v2"

// Leak strengths, from the worked design in METRICS.md.
const (
	offerIfChurned = 0.85 // retention offers follow cancellation calls
	offerOtherwise = 0.03
	renumberShare  = 0.7 // closed accounts moved to the 9xxxxx range
	segmentSize    = 12  // mean accounts per micro-segment
)

// plantLeaks sets the leaky fields of every account. The segment churn rate
// is computed over all blocks at once, each row's own label included, like
// an analyst's aggregate over the whole export.
func plantLeaks(r *rand.Rand, blocks ...[]account) {
	n := 0
	for _, b := range blocks {
		n += len(b)
	}
	segments := max(1, n/segmentSize)
	churned := make([]int, segments)
	count := make([]int, segments)
	for _, b := range blocks {
		for i := range b {
			a := &b[i]
			p := offerOtherwise
			if a.churned {
				p = offerIfChurned
			}
			a.offer = r.Float64() < p
			a.offerNA = r.Float64() < 0.02
			a.segRateN = r.Float64() < 0.03
			a.acctNo = 100000 + r.IntN(800000)
			if a.churned && r.Float64() < renumberShare {
				a.acctNo = 900000 + r.IntN(100000)
			}
			a.segment = r.IntN(segments)
			count[a.segment]++
			if a.churned {
				churned[a.segment]++
			}
		}
	}
	for _, b := range blocks {
		for i := range b {
			a := &b[i]
			a.segRate = float64(churned[a.segment]) / float64(count[a.segment])
		}
	}
}

// decouple permutes each leaky field within the block: its distribution and
// missingness stay, its link to the label goes.
func decouple(r *rand.Rand, b []account) {
	r.Shuffle(len(b), func(i, j int) {
		b[i].offer, b[j].offer = b[j].offer, b[i].offer
		b[i].offerNA, b[j].offerNA = b[j].offerNA, b[i].offerNA
	})
	r.Shuffle(len(b), func(i, j int) {
		b[i].segRate, b[j].segRate = b[j].segRate, b[i].segRate
		b[i].segRateN, b[j].segRateN = b[j].segRateN, b[i].segRateN
	})
	r.Shuffle(len(b), func(i, j int) { b[i].acctNo, b[j].acctNo = b[j].acctNo, b[i].acctNo })
}
