package tabular

import (
	"math"
)

// The clean reference is a logistic regression on honest features of the
// accounts as generated (before any mess), fitted on the training block.
// It exists for every seed, so each version knows what a model without
// leaks scores on its public and hidden blocks.

// honest returns the features of an account known before the outcome.
func honest(a account) []float64 {
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	since, nps := a.sinceLogin, a.nps
	if math.IsNaN(since) {
		since = 90
	}
	if math.IsNaN(nps) {
		nps = 7
	}
	return []float64{
		1, math.Log1p(float64(a.tenure)), b(a.tenure <= 3), b(a.contract == "monthly"),
		math.Log1p(a.logins), since / 30, float64(a.tickets), float64(a.failures),
		nps - 7, b(math.IsNaN(a.nps)), b(a.plan == "basic"), b(a.plan == "enterprise"),
		b(a.discount > 0), float64(a.features) / 12,
	}
}

// fitLogistic fits weights by Newton's method with a small ridge.
func fitLogistic(x [][]float64, y []bool) []float64 {
	k := len(x[0])
	w := make([]float64, k)
	for range 12 {
		grad := make([]float64, k)
		hess := make([][]float64, k)
		for i := range hess {
			hess[i] = make([]float64, k)
			hess[i][i] = 1e-4
		}
		for i, xi := range x {
			p := sigmoid(dot(w, xi))
			r := p
			if y[i] {
				r = p - 1
			}
			for a := range k {
				grad[a] += r * xi[a]
				for b := 0; b <= a; b++ {
					hess[a][b] += p * (1 - p) * xi[a] * xi[b]
				}
			}
		}
		step := solveSPD(hess, grad)
		for a := range w {
			w[a] -= step[a]
		}
	}
	return w
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// solveSPD solves H s = g by Cholesky; only H's lower triangle is read.
func solveSPD(h [][]float64, g []float64) []float64 {
	k := len(g)
	l := make([][]float64, k)
	for i := range l {
		l[i] = make([]float64, k)
		for j := 0; j <= i; j++ {
			s := h[i][j]
			for m := range j {
				s -= l[i][m] * l[j][m]
			}
			if i == j {
				l[i][i] = math.Sqrt(math.Max(s, 1e-12))
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	z := make([]float64, k)
	for i := range k {
		s := g[i]
		for m := range i {
			s -= l[i][m] * z[m]
		}
		z[i] = s / l[i][i]
	}
	s := make([]float64, k)
	for i := k - 1; i >= 0; i-- {
		v := z[i]
		for m := i + 1; m < k; m++ {
			v -= l[m][i] * s[m]
		}
		s[i] = v / l[i][i]
	}
	return s
}

// cleanReference fits on the training rows (duplicates dropped) and returns
// a predictor.
func cleanReference(train []row) func(account) float64 {
	seen := map[string]bool{}
	var x [][]float64
	var y []bool
	for _, r := range train {
		if seen[r.customer] {
			continue
		}
		seen[r.customer] = true
		x = append(x, honest(r.a))
		y = append(y, r.a.churned)
	}
	w := fitLogistic(x, y)
	return func(a account) float64 { return sigmoid(dot(w, honest(a))) }
}
