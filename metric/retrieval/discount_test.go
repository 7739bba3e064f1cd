package retrieval

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// TestDiscountTable compares every precomputed discount with log2 computed
// by Python's decimal module at 80 digits and with glibc's log2 (what
// trec_eval calls), both in testdata/log2.json.
func TestDiscountTable(t *testing.T) {
	var rows []struct {
		N     int    `json:"n"`
		Exact string `json:"exact"`
		Libm  string `json:"libm"`
	}
	readJSON(t, "testdata/log2.json", &rows)
	if len(rows) != tableRanks {
		t.Fatalf("%d reference rows, want %d", len(rows), tableRanks)
	}
	goDiffers := 0
	for _, r := range rows {
		exact, libm := parseHex(t, r.Exact), parseHex(t, r.Libm)
		if got := discount(r.N - 1); got != exact || got != libm {
			t.Errorf("discount(rank %d) = %x, want %s (glibc %s)", r.N-1, got, r.Exact, r.Libm)
		}
		if math.Log2(float64(r.N)) != exact {
			goDiffers++
		}
	}
	// METRICS.md: Go's math.Log2 is off at log2(3) and 27 more ranks up to 1000.
	if goDiffers != 28 {
		t.Errorf("math.Log2 differs from the correctly rounded value at %d ranks, want 28", goDiffers)
	}
	if math.Log2(3) == discount(2) {
		t.Error("math.Log2(3) is correctly rounded: the table would not be needed")
	}
}

func TestDiscountKnownValues(t *testing.T) {
	for rank, want := range map[int]float64{
		1: 1, 2: 1.584962500721156, 3: 2, 7: 3, 9: 3.3219280948873622, 1023: 10,
		// past the table: the slow path must agree with exact arithmetic
		1024: 10.001408194392809, 4095: 12,
	} {
		if got := discount(rank); got != want {
			t.Errorf("discount(%d) = %v, want %v", rank, got, want)
		}
	}
	if got := strconv.FormatFloat(discount(2), 'x', -1, 64); got != "0x1.95c01a39fbd68p+00" {
		t.Errorf("log2(3) bits = %s", got)
	}
}

func parseHex(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
