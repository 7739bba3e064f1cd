package retrieval

import (
	"math/big"
	"sync"
)

// Go's math.Log2 is not correctly rounded: it is one ulp off glibc's log2,
// which trec_eval calls, at 28 of the ranks up to 1000, starting with
// log2(3). The discounts are therefore computed in 256-bit big.Float
// arithmetic and rounded once to the nearest float64; for an integer n that
// is not a power of two log2(n) is irrational, and no value this close to a
// rounding midpoint needs more than a fraction of those bits to settle.

const (
	tableRanks = 1000 // discounts of ranks 1..tableRanks are precomputed
	bigPrec    = 256
)

var (
	discountOnce  sync.Once
	discountTable []float64 // discountTable[rank] = log2(rank+1)
)

// discount returns log2(rank+1) correctly rounded, for rank >= 1.
func discount(rank int) float64 {
	discountOnce.Do(func() {
		discountTable = make([]float64, tableRanks+1)
		for r := 1; r <= tableRanks; r++ {
			discountTable[r] = log2Exact(uint64(r + 1))
		}
	})
	if rank <= tableRanks {
		return discountTable[rank]
	}
	return log2Exact(uint64(rank) + 1)
}

// log2Exact returns log2(n) correctly rounded to float64, n >= 1. With
// n = 2^k·m, m in [1, 2): log2(n) = k + ln(m)/ln(2).
func log2Exact(n uint64) float64 {
	k := 0
	for n>>uint(k+1) != 0 {
		k++
	}
	m := new(big.Float).SetPrec(bigPrec).SetUint64(n)
	m.SetMantExp(m, -k) // m /= 2^k
	ln2 := lnBig(new(big.Float).SetPrec(bigPrec).SetInt64(2))
	r := new(big.Float).SetPrec(bigPrec).Quo(lnBig(m), ln2)
	r.Add(r, new(big.Float).SetPrec(bigPrec).SetInt64(int64(k)))
	f, _ := r.Float64() // rounds to nearest even
	return f
}

// lnBig returns ln(x) for x in [1, 2] by the series ln(x) = 2·atanh(z),
// z = (x-1)/(x+1) <= 1/3, summed until the terms vanish at bigPrec bits.
func lnBig(x *big.Float) *big.Float {
	one := new(big.Float).SetPrec(bigPrec).SetInt64(1)
	num := new(big.Float).SetPrec(bigPrec).Sub(x, one)
	den := new(big.Float).SetPrec(bigPrec).Add(x, one)
	z := new(big.Float).SetPrec(bigPrec).Quo(num, den)
	z2 := new(big.Float).SetPrec(bigPrec).Mul(z, z)
	sum := new(big.Float).SetPrec(bigPrec)
	pow := new(big.Float).SetPrec(bigPrec).Set(z) // z^(2j+1)
	term := new(big.Float).SetPrec(bigPrec)
	for j := int64(0); pow.Sign() != 0; j++ {
		term.Quo(pow, new(big.Float).SetPrec(bigPrec).SetInt64(2*j+1))
		if term.MantExp(nil)-sum.MantExp(nil) < -bigPrec-8 && sum.Sign() != 0 {
			break
		}
		sum.Add(sum, term)
		pow.Mul(pow, z2)
	}
	return sum.Mul(sum, new(big.Float).SetPrec(bigPrec).SetInt64(2))
}
