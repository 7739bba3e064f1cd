package classify

import (
	"math"
	"math/rand/v2"
)

// binomial draws from Binomial(n, p) with the randomness of src only, so a
// resample's counts depend on its PCG stream alone.
func binomial(src *rand.PCG, n int, p float64) int {
	return newBinomialP(p).draw(src, n)
}

// binomialP is what a binomial draw needs of p alone, computed once for
// all the draws of one cell. Draws sample for p ≤ 1/2; a larger p draws
// the failures instead.
type binomialP struct {
	p      float64 // min(p, 1−p)
	flip   bool    // p > 1/2: the draw counts failures
	log1mp float64 // log(1−p), for inversion
}

func newBinomialP(p float64) binomialP {
	switch {
	case !(p > 0): // NaN too
		return binomialP{}
	case p >= 1:
		return binomialP{flip: true}
	case p > 0.5:
		return binomialP{p: 1 - p, flip: true, log1mp: math.Log(p)} // 1−p is exact here
	}
	return binomialP{p: p, log1mp: math.Log1p(-p)}
}

// draw is one Binomial(n, p) variate. Small means use inversion, larger
// ones Hörmann's BTRS (transformed rejection with squeeze; W. Hörmann,
// "The generation of binomial random variates", J. Statist. Comput.
// Simul. 46, 1993), which takes O(1) uniforms per draw.
func (b binomialP) draw(src *rand.PCG, n int) int {
	k := 0
	switch {
	case n <= 0 || b.p == 0:
	case float64(n)*b.p < 10: // BTRS needs np ≥ 10 for its hat to cover the pmf
		k = b.inversion(src, n)
	default:
		k = b.btrs(src, n)
	}
	if b.flip {
		return max(n, 0) - k
	}
	return k
}

// unit maps a PCG output to a float64 in [0, 1) by its top 53 bits. Call
// it as unit(src.Uint64()): a helper taking src would be too big to inline.
func unit(x uint64) float64 {
	return float64(int64(x>>11)) * 0x1p-53 // via int64: one instruction on amd64
}

// inversionLimit bounds the sequential search: with np < 10, P(X > 110) is
// below 1e-60, far under the rounding of the pmf's running sum, so a
// search that runs past it (u fell in that rounding gap) starts over.
const inversionLimit = 110

// inversion walks the pmf from f(0) = (1−p)^n with
// f(x+1) = f(x)·(n−x)/(x+1)·p/(1−p) until the uniform is used up: about
// np+1 steps.
func (b binomialP) inversion(src *rand.PCG, n int) int {
	s := b.p / (1 - b.p)
	a := float64(n+1) * s // f(x+1)/f(x) = a/(x+1) − s
	f0 := math.Exp(float64(n) * b.log1mp)
	limit := min(n, inversionLimit)
	for {
		u, f := unit(src.Uint64()), f0
		for x := 0; x <= limit; x++ {
			if u < f {
				return x
			}
			u -= f
			f *= a/float64(x+1) - s
		}
	}
}

// btrs is Hörmann's algorithm BTRS for np ≥ 10: k is drawn from a hat
// built on a Cauchy-like transform of a uniform pair (u, v). Most draws
// fall inside the squeeze and are accepted at once; the others are tested
// against f(k)/f(m), m the mode (see pmfRatio).
func (b binomialP) btrs(src *rand.PCG, n int) int {
	nf, p := float64(n), b.p
	spq := math.Sqrt(nf * p * (1 - p))
	hb := 1.15 + 2.53*spq
	ha := -0.0873 + 0.0248*hb + 0.01*p
	c := nf*p + 0.5
	vrB := 0.92*hb - 4.2 // v_r = 0.92 − 4.2/b, times b
	var ratio pmfRatio   // set up on the first draw outside the squeeze
	for {
		u := unit(src.Uint64()) - 0.5
		v := unit(src.Uint64())
		us := 0.5 - math.Abs(u)
		inv := 1 / us // independent of n: overlaps the square root above
		x := (2*ha*inv+hb)*u + c
		if !(x >= 0 && x < nf+1) { // outside [0, n] once floored (x may be −Inf)
			continue
		}
		k := int(x) // x ≥ 0: truncation is the floor
		if us >= 0.07 && v*hb <= vrB {
			return k
		}
		if ratio.n == 0 {
			ratio = newPMFRatio(n, p)
		}
		v *= (2.83 + 5.1/hb) * spq / (ha*inv*inv + hb)
		if ratio.accepts(v, k) {
			return k
		}
	}
}

// pmfRatio compares a hat value v with f(k)/f(m) for Binomial(n, p),
// m = ⌊(n+1)p⌋ its mode, d = |k−m|. Near the mode, as in the paper,
// f(k)/f(m) is the product of the ratios f(i)/f(i−1) = r(n+1−i)/i,
// r = p/(1−p). Farther, log v is first held against the bounds
// −d²/2npq ± ρ of log f(k)/f(m) that BTPE uses (Kachitvichyanukul and
// Schmeiser, "Binomial random variate generation", Comm. ACM 31, 1988),
// valid for d < npq/2 − 1, and only when it falls between them is
// log f(k)/f(m) computed, by Stirling's series (see log).
type pmfRatio struct {
	n, m       int
	r, npq, hm float64
	hmReady    bool // hm is computed for the first k that needs it
}

// recursiveSpan is how far from the mode the product of ratios is used.
const recursiveSpan = 15

func newPMFRatio(n int, p float64) pmfRatio {
	return pmfRatio{n: n, m: int(float64(n+1) * p), r: p / (1 - p), npq: float64(n) * p * (1 - p)}
}

// accepts reports whether v ≤ f(k)/f(m).
func (l *pmfRatio) accepts(v float64, k int) bool {
	lo, hi := min(k, l.m), max(k, l.m)
	if hi-lo <= recursiveSpan {
		up, down := 1.0, 1.0 // f(hi)/f(lo) = up/down
		for i := lo + 1; i <= hi; i++ {
			up *= l.r * float64(l.n+1-i)
			down *= float64(i)
		}
		if k < l.m {
			up, down = down, up
		}
		return v*down <= up
	}
	logV := math.Log(v)
	if d := float64(hi - lo); d < l.npq/2-1 {
		rho := d / l.npq * ((d*(d/3+0.625)+1.0/6)/l.npq + 0.5)
		t := -d * d / (2 * l.npq)
		switch {
		case logV < t-rho:
			return true
		case logV > t+rho:
			return false
		}
	}
	return logV <= l.log(k)
}

// log is log f(k)/f(m) by Stirling's series.
func (l *pmfRatio) log(k int) float64 {
	if !l.hmReady {
		l.hm = (float64(l.m)+0.5)*math.Log(float64(l.m+1)/(l.r*float64(l.n-l.m+1))) + stirlingTail(l.m) + stirlingTail(l.n-l.m)
		l.hmReady = true
	}
	nk := float64(l.n - k + 1)
	return l.hm + float64(l.n+1)*math.Log1p(float64(k-l.m)/nk) +
		(float64(k)+0.5)*math.Log(l.r*nk/float64(k+1)) - stirlingTail(k) - stirlingTail(l.n-k)
}

// stirlingTails holds tail(k) = log k! − ½log 2π − (k+½)log(k+1) + (k+1)
// exactly for k ≤ 9, where the series below is not yet accurate.
var stirlingTails = func() (t [10]float64) {
	for k := range t {
		lg, _ := math.Lgamma(float64(k + 1))
		t[k] = lg - 0.5*math.Log(2*math.Pi) - (float64(k)+0.5)*math.Log(float64(k+1)) + float64(k+1)
	}
	return t
}()

// stirlingTail is tail(k): from the table, else the Stirling series
// 1/12x − 1/360x³ + 1/1260x⁵ with x = k+1 (error below 1e-10 for k ≥ 10).
func stirlingTail(k int) float64 {
	if k < len(stirlingTails) {
		return stirlingTails[k]
	}
	x := float64(k + 1)
	x2 := x * x
	return (1.0/12 - (1.0/360-1.0/1260/x2)/x2) / x
}
