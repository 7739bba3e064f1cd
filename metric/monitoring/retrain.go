package monitoring

// Retrains counts one stream's retrain decisions against its ground
// truth. Each retrain week falls in exactly one class, checked in this
// order: OnCorrupt (inside a Corrupt event's [Start, End], even if a
// retrain-worthy window also covers it: training on corrupted weeks is
// never right), Right (inside a retrain-worthy window), Unneeded
// (anywhere else).
type Retrains struct {
	Right, Unneeded, OnCorrupt int
	Windows                    int // retrain-worthy windows
	Hit                        int // windows holding at least one Right retrain
}

// Precision is Right / all retrains; ok is false with no retrain. Several
// retrains in one window are all Right (as CapyMOA counts later alerts in
// a window as true positives).
func (r Retrains) Precision() (precision float64, ok bool) {
	all := r.Right + r.Unneeded + r.OnCorrupt
	if all == 0 {
		return 0, false
	}
	return float64(r.Right) / float64(all), true
}

// Recall is Hit / Windows, the share of retrain-worthy windows in which
// the candidate retrained; ok is false with no window.
func (r Retrains) Recall() (recall float64, ok bool) {
	if r.Windows == 0 {
		return 0, false
	}
	return float64(r.Hit) / float64(r.Windows), true
}

// RetrainDecisions classifies the retrain weeks of s (see Retrains).
func RetrainDecisions(s Stream) Retrains {
	r := Retrains{Windows: len(s.RetrainWorthy)}
	hit := make([]bool, len(s.RetrainWorthy))
	for _, w := range s.Weeks {
		if !w.Retrain {
			continue
		}
		switch k := retrainClass(s, w.N); {
		case k == onCorrupt:
			r.OnCorrupt++
		case k >= 0:
			r.Right++
			hit[k] = true
		default:
			r.Unneeded++
		}
	}
	for _, h := range hit {
		if h {
			r.Hit++
		}
	}
	return r
}

// onCorrupt is retrainClass's answer for a week inside a corrupt event.
const onCorrupt = -2

// retrainClass is onCorrupt for a week inside a corrupt event, else the
// index of the first retrain-worthy window holding week n, else -1.
func retrainClass(s Stream, n int) int {
	for _, e := range s.Events {
		if e.Corrupt && (Window{e.Start, e.End}).contains(n) {
			return onCorrupt
		}
	}
	for k, win := range s.RetrainWorthy {
		if win.contains(n) {
			return k
		}
	}
	return -1
}
