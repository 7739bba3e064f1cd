package monitoring

import (
	"math"
	"math/rand/v2"
	"testing"

	"takehome/metric/classify"
)

func TestCBPEMatchesRealizedWhenCalibrated(t *testing.T) {
	tests := []struct {
		name string
		draw func(*rand.Rand) float64
	}{
		{"uniform", func(r *rand.Rand) float64 { return r.Float64() }},
		{"churn-like, mean 0.15", func(r *rand.Rand) float64 { u := r.Float64(); return 0.45 * u * u }},
		{"rounded to 2 decimals (ties)", func(r *rand.Rand) float64 { return math.Round(r.Float64()*100) / 100 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, y := calibrated(20000, 7, tt.draw, func(p float64) float64 { return p })
			est, ok := CBPE(p)
			real, rok := classify.ROCAUC(y, p)
			if !ok || !rok || math.Abs(est-real) >= 0.01 {
				t.Errorf("CBPE = %v (%v), realized %v (%v); want within 0.01", est, ok, real, rok)
			}
		})
	}
}

func TestCBPESeparable(t *testing.T) {
	p := []float64{1, 0, 0, 1, 0, 1, 0, 0}
	y := []bool{true, false, false, true, false, true, false, false}
	est, ok := CBPE(p)
	real, _ := classify.ROCAUC(y, p)
	if !ok || est != 1 || real != 1 {
		t.Errorf("CBPE = %v (%v), realized %v; want both 1", est, ok, real)
	}
}

// TestCBPEUnderLabelShift: labels drawn with probability 2p break
// calibration; CBPE keeps estimating the old AUC (NannyML's stated
// limitation). With p ~ U(0, 0.5) the expected CBPE is 13/18 ≈ 0.722 and
// the realized AUC 5/6 ≈ 0.833.
func TestCBPEUnderLabelShift(t *testing.T) {
	p, y := calibrated(20000, 11, func(r *rand.Rand) float64 { return r.Float64() / 2 },
		func(p float64) float64 { return min(2*p, 1) })
	est, _ := CBPE(p)
	real, _ := classify.ROCAUC(y, p)
	if math.Abs(est-13.0/18) > 0.01 || math.Abs(real-5.0/6) > 0.01 {
		t.Errorf("CBPE = %v (want ≈ %v), realized %v (want ≈ %v)", est, 13.0/18, real, 5.0/6)
	}
	if math.Abs(est-real) < 0.05 {
		t.Errorf("CBPE %v is within 0.05 of realized %v under label shift", est, real)
	}
}

// TestCBPEPairwise checks the documented closed form, ties counting 1/2
// and the i = j terms included, on tie-heavy scores.
func TestCBPEPairwise(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	p := make([]float64, 300)
	for i := range p {
		p[i] = math.Round(r.Float64()*10) / 10
	}
	var num, pos, neg float64
	for _, a := range p {
		pos += a
		neg += 1 - a
		for _, b := range p {
			switch {
			case a > b:
				num += a * (1 - b)
			case a == b:
				num += a * (1 - b) / 2
			}
		}
	}
	want := num / (pos * neg)
	if got, ok := CBPE(p); !ok || math.Abs(got-want) > 1e-12 {
		t.Errorf("CBPE = %v, pairwise %v", got, want)
	}
}

func TestCBPEHandAndUndefined(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		want   float64
		ok     bool
	}{
		// 0.8·0.8 for the ordered pair plus ½(0.8·0.2 + 0.2·0.8) for the
		// self pairs, over 1·1.
		{"two rows", []float64{0.2, 0.8}, 0.8, true},
		{"one tie group", []float64{0.3, 0.3, 0.3}, 0.5, true},
		{"empty", nil, 0, false},
		{"all zero", []float64{0, 0}, 0, false},
		{"all one", []float64{1, 1}, 0, false},
		{"NaN", []float64{0.2, math.NaN()}, 0, false},
		{"outside [0, 1]", []float64{0.2, 1.5}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CBPE(tt.scores)
			if ok != tt.ok || math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("CBPE = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestEstimationMAE(t *testing.T) {
	ws := []Week{
		{EstimatedAUC: ptr(0.80), RealizedAUC: ptr(0.75)},
		{EstimatedAUC: ptr(0.70), RealizedAUC: ptr(0.80)},
		{EstimatedAUC: ptr(0.70)}, // no labels yet: skipped
		{RealizedAUC: ptr(0.60)},  // no estimate: skipped by EstimationMAE
		{EstimatedAUC: ptr(0.90), RealizedAUC: ptr(0.90)},
	}
	tests := []struct {
		name  string
		mae   func() (float64, int)
		want  float64
		wantN int
	}{
		{"candidate", func() (float64, int) { return EstimationMAE(ws) }, 0.15 / 3, 3},
		{"constant 0.8", func() (float64, int) { return ConstantMAE(ws, 0.8) }, (0.05 + 0 + 0.2 + 0.1) / 4, 4},
		{"nothing to compare", func() (float64, int) { return EstimationMAE(ws[2:3]) }, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := tt.mae()
			if math.Abs(got-tt.want) > 1e-12 || n != tt.wantN {
				t.Errorf("got %v over %d, want %v over %d", got, n, tt.want, tt.wantN)
			}
		})
	}
}

func TestCBPEMAE(t *testing.T) {
	ws := []Week{
		{Scores: []float64{0.2, 0.8}, RealizedAUC: ptr(0.7)},      // CBPE 0.8
		{Scores: []float64{0, 0}, RealizedAUC: ptr(0.7)},          // CBPE undefined
		{Scores: []float64{0.3, 0.3, 0.3}, RealizedAUC: ptr(0.6)}, // CBPE 0.5
		{Scores: []float64{0.2, 0.8}},                             // no realized AUC
	}
	if got, n := CBPEMAE(ws); math.Abs(got-0.1) > 1e-12 || n != 2 {
		t.Errorf("CBPEMAE = %v over %d, want 0.1 over 2", got, n)
	}
}
