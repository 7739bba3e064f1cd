package classify

import "math"

// Eps is the clipping bound of LogLoss: float64 machine epsilon, which is
// what log_loss(eps="auto") uses for float64 predictions.
const Eps = 2.220446049250313e-16

// LogLoss is the mean negative log-likelihood with p clipped to
// [Eps, 1−Eps], natural log. It is NaN for no rows.
func LogLoss(y []bool, p []float64) float64 {
	checkLen(y, p)
	var sum float64
	for i, v := range p {
		v = min(max(v, Eps), 1-Eps)
		if y[i] {
			sum -= math.Log(v)
		} else {
			sum -= math.Log(1 - v)
		}
	}
	return sum / float64(len(p))
}

// Brier is the mean squared difference between label and probability. It
// is NaN for no rows.
func Brier(y []bool, p []float64) float64 {
	checkLen(y, p)
	var sum float64
	for i, v := range p {
		d := v
		if y[i] {
			d = 1 - v
		}
		sum += d * d
	}
	return sum / float64(len(p))
}

func checkLen(y []bool, p []float64) {
	if len(y) != len(p) {
		panic("classify: y and p have different lengths")
	}
}
