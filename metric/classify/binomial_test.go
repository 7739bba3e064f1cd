package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// binomialGrid covers inversion (np < 10), BTRS and, with p > 1/2, the
// symmetry of both.
var binomialGrid = struct {
	n []int
	p []float64
}{[]int{1, 7, 30, 1000, 1_000_000}, []float64{1e-6, 0.003, 0.2, 0.5, 0.93}}

func TestBinomialMoments(t *testing.T) {
	const draws = 200_000
	for _, n := range binomialGrid.n {
		for _, p := range binomialGrid.p {
			t.Run(fmt.Sprintf("n=%d,p=%g", n, p), func(t *testing.T) {
				src := rand.NewPCG(uint64(n), math.Float64bits(p))
				var sum, sumSq float64
				for range draws {
					k := binomial(src, n, p)
					if k < 0 || k > n {
						t.Fatalf("drew %d, outside [0, %d]", k, n)
					}
					sum += float64(k)
					sumSq += float64(k) * float64(k)
				}
				mean := sum / draws
				variance := (sumSq - sum*mean) / (draws - 1)
				nf, q := float64(n), 1-p
				wantMean, wantVar := nf*p, nf*p*q
				mu4 := nf * p * q * (1 + 3*p*q*(nf-2)) // central fourth moment
				// Five standard errors, plus a floor for counts so rare that
				// the normal approximation fails (n=1, p=1e-6: 0.2 expected).
				meanTol := 5*math.Sqrt(wantVar/draws) + 5.0/draws
				varTol := 5*math.Sqrt(max(mu4-wantVar*wantVar, 0)/draws) + 5.0/draws
				if math.Abs(mean-wantMean) > meanTol {
					t.Errorf("mean %.6g, want %.6g ± %.2g", mean, wantMean, meanTol)
				}
				if math.Abs(variance-wantVar) > varTol {
					t.Errorf("variance %.6g, want %.6g ± %.2g", variance, wantVar, varTol)
				}
			})
		}
	}
}

// TestBinomialPMF is a chi-square goodness-of-fit test of a million draws
// against the exact pmf, on cases of each branch.
func TestBinomialPMF(t *testing.T) {
	const draws = 1_000_000
	for _, tc := range []struct {
		n      int
		p      float64
		branch string
	}{
		{30, 0.2, "inversion"},
		{99, 0.1, "inversion"}, // np = 9.9, just below the switch
		{1_000_000, 3e-6, "inversion"},
		{7, 0.93, "inversion of failures"},
		{100, 0.1, "BTRS"}, // np = 10
		{1000, 0.2, "BTRS"},
		{1000, 0.5, "BTRS"},
		{1_000_000, 0.003, "BTRS"},
		{1000, 0.93, "BTRS of failures"},
	} {
		t.Run(fmt.Sprintf("%s n=%d p=%g", tc.branch, tc.n, tc.p), func(t *testing.T) {
			observed := make([]float64, tc.n+1)
			src := rand.NewPCG(uint64(tc.n), math.Float64bits(tc.p))
			for range draws {
				observed[binomial(src, tc.n, tc.p)]++
			}
			stat, df := chiSquare(observed, binomialPMF(tc.n, tc.p), draws)
			z := wilsonHilferty(stat, df)
			t.Logf("chi-square %.1f on %d degrees of freedom, z = %.2f", stat, df, z)
			if z > 4.5 {
				t.Errorf("chi-square %.1f on %d degrees of freedom (z = %.2f): draws do not follow the pmf", stat, df, z)
			}
		})
	}
}

func binomialPMF(n int, p float64) []float64 {
	pmf := make([]float64, n+1)
	ln, _ := math.Lgamma(float64(n + 1))
	for k := range pmf {
		lk, _ := math.Lgamma(float64(k + 1))
		lnk, _ := math.Lgamma(float64(n - k + 1))
		pmf[k] = math.Exp(ln - lk - lnk + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	}
	return pmf
}

// chiSquare pools consecutive values into bins expecting at least 20 draws
// each (a thinner upper tail joins the last bin) and returns the statistic
// and its degrees of freedom.
func chiSquare(observed, pmf []float64, draws float64) (float64, int) {
	var obs, exp []float64
	var o, e float64
	for k := range pmf {
		o, e = o+observed[k], e+pmf[k]*draws
		if e >= 20 {
			obs, exp = append(obs, o), append(exp, e)
			o, e = 0, 0
		}
	}
	obs[len(obs)-1] += o
	exp[len(exp)-1] += e
	var stat float64
	for i := range obs {
		stat += (obs[i] - exp[i]) * (obs[i] - exp[i]) / exp[i]
	}
	return stat, len(obs) - 1
}

// wilsonHilferty turns a chi-square statistic into an approximate standard
// normal deviate.
func wilsonHilferty(stat float64, df int) float64 {
	d := float64(df)
	return (math.Cbrt(stat/d) - (1 - 2/(9*d))) / math.Sqrt(2/(9*d))
}

// TestPMFRatio checks BTRS's acceptance test against log-gamma: log at
// any k, and accepts just below and just above f(k)/f(m) near the mode
// (product of ratios), at moderate distance (BTPE's bounds) and far out
// (Stirling's series).
func TestPMFRatio(t *testing.T) {
	for _, tc := range []struct {
		n int
		p float64
	}{{100, 0.1}, {1000, 0.2}, {1000, 0.5}, {1_000_000, 0.003}, {1_000_000, 0.4}} {
		l := newPMFRatio(tc.n, tc.p)
		logPMF := func(k int) float64 {
			lk, _ := math.Lgamma(float64(k + 1))
			lnk, _ := math.Lgamma(float64(tc.n - k + 1))
			return -lk - lnk + float64(k)*math.Log(tc.p) + float64(tc.n-k)*math.Log1p(-tc.p)
		}
		sd := math.Sqrt(float64(tc.n) * tc.p * (1 - tc.p))
		for _, z := range []float64{-8, -3, -1, 0, 0.5, 2, 8} {
			k := min(max(int(float64(tc.n)*tc.p+z*sd), 0), tc.n)
			want := logPMF(k) - logPMF(l.m)
			if got := l.log(k); math.Abs(got-want) > 1e-8*max(1, math.Abs(want)) {
				t.Errorf("n=%d p=%g k=%d: log f(k)/f(m) = %.12g, want %.12g", tc.n, tc.p, k, got, want)
			}
		}
		for _, d := range []int{-40, -16, -15, -3, 0, 1, 15, 16, 25, 60} {
			k := min(max(l.m+d, 0), tc.n)
			ratio := math.Exp(logPMF(k) - logPMF(l.m))
			if !l.accepts(ratio*(1-1e-6), k) || l.accepts(ratio*(1+1e-6), k) {
				t.Errorf("n=%d p=%g k=m%+d: accepts is wrong around f(k)/f(m) = %g", tc.n, tc.p, d, ratio)
			}
		}
	}
}

// TestBTPESqueezeBounds checks the bounds −d²/2npq ± ρ on log f(m±d)/f(m)
// that accepts relies on, for every d < npq/2 − 1, against the sum of the
// logs of the pmf's ratios.
func TestBTPESqueezeBounds(t *testing.T) {
	for _, n := range []int{100, 1000, 100_000, 10_000_000} {
		for _, p := range []float64{0.01, 0.1, 0.3, 0.5} {
			l := newPMFRatio(n, p)
			if float64(n)*p < 10 {
				continue
			}
			for _, sign := range []int{1, -1} {
				sum := 0.0 // log f(m±d)/f(m)
				for d := 1; float64(d) < l.npq/2-1 && d <= 5000; d++ {
					k := l.m + sign*d
					if k < 0 || k > n {
						break
					}
					if sign > 0 {
						sum += math.Log(l.r * float64(n+1-k) / float64(k))
					} else {
						sum -= math.Log(l.r * float64(n-k) / float64(k+1))
					}
					df := float64(d)
					rho := df / l.npq * ((df*(df/3+0.625)+1.0/6)/l.npq + 0.5)
					if mid := -df * df / (2 * l.npq); sum < mid-rho || sum > mid+rho {
						t.Fatalf("n=%d p=%g k=m%+d: log f(k)/f(m) = %g outside [%g, %g]", n, p, sign*d, sum, mid-rho, mid+rho)
					}
				}
			}
		}
	}
}

func TestStirlingTail(t *testing.T) {
	for k := range 2000 {
		lg, _ := math.Lgamma(float64(k + 1))
		want := lg - 0.5*math.Log(2*math.Pi) - (float64(k)+0.5)*math.Log(float64(k+1)) + float64(k+1)
		if got := stirlingTail(k); math.Abs(got-want) > 1e-10 {
			t.Fatalf("tail(%d) = %.15g, want %.15g", k, got, want)
		}
	}
}
