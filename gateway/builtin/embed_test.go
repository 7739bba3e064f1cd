package builtin

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"testing"
)

func norm2(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func TestEmbedUnitNorm(t *testing.T) {
	for _, text := range []string{"refund policy", "Ünïcödé ﬁle naïve café", "日本語のテキスト", "a"} {
		if v := Embed(text, Dimensions); len(v) != Dimensions || math.Abs(norm2(v)-1) > 1e-6 {
			t.Errorf("Embed(%q): %d dims, norm %v", text, len(v), norm2(v))
		}
	}
	if v := Embed("refund policy", 64); len(v) != 64 || math.Abs(norm2(v)-1) > 1e-6 {
		t.Errorf("64 dims: %d values, norm %v", len(v), norm2(v))
	}
	if v := Embed("?!", Dimensions); norm2(v) != 0 {
		t.Errorf("a text without words has norm %v, want the zero vector", norm2(v))
	}
}

func TestEmbedNormalises(t *testing.T) {
	// NFKC folds the "ﬁ" ligature and full-width letters; case is ignored.
	if a, b := Embed("ﬁle ＡＢＣ", Dimensions), Embed("FILE abc", Dimensions); !slices.Equal(a, b) {
		t.Error("NFKC and case variants embed differently")
	}
	if a, b := Embed("refund policy", Dimensions), Embed("refund policy", Dimensions); !slices.Equal(a, b) {
		t.Error("the same text embeds differently")
	}
}

func TestEmbedSimilarity(t *testing.T) {
	q := Embed("refund policy for annual plans", Dimensions)
	similar := cosine(q, Embed("annual plan refunds", Dimensions))
	unrelated := cosine(q, Embed("the weather in Berlin is sunny today", Dimensions))
	if similar <= unrelated || similar < 0.3 {
		t.Errorf("cosine similar %.3f, unrelated %.3f", similar, unrelated)
	}
}

// TestEmbedPinned pins the bytes of one vector: stored vectors and the
// grader rely on Embed never changing silently, on any platform.
func TestEmbedPinned(t *testing.T) {
	for dims, want := range map[int]string{Dimensions: pinned384, 64: pinned64} {
		sum := sha256.Sum256([]byte(encode(Embed("Refund policy for annual plans, naïve café!", dims), "base64").(string)))
		if got := hex.EncodeToString(sum[:8]); got != want {
			t.Errorf("Embed at %d dims changed: sha256 %s, want %s", dims, got, want)
		}
	}
}

const (
	pinned384 = "33e25b6322d4a3c3"
	pinned64  = "2f7ead06dd09bee1"
)
