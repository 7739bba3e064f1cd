package retrieval

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestAnswersReference compares with the official SQuAD 2.0 functions run
// under CPython 3.11 (testdata/answers.json, made by make_fixtures.py).
func TestAnswersReference(t *testing.T) {
	var rows []struct {
		Pred       string   `json:"pred"`
		Golds      []string `json:"golds"`
		Normalized string   `json:"normalized"`
		EM         float64  `json:"em"`
		F1         float64  `json:"f1"`
	}
	readJSON(t, "testdata/answers.json", &rows)
	for _, r := range rows {
		if got := NormalizeAnswer(r.Pred); got != r.Normalized {
			t.Errorf("NormalizeAnswer(%q) = %q, Python %q", r.Pred, got, r.Normalized)
		}
		if got := ExactMatch(r.Pred, r.Golds); got != r.EM {
			t.Errorf("ExactMatch(%q, %q) = %v, Python %v", r.Pred, r.Golds, got, r.EM)
		}
		if got := TokenF1(r.Pred, r.Golds); got != r.F1 {
			t.Errorf("TokenF1(%q, %q) = %v, Python %v", r.Pred, r.Golds, got, r.F1)
		}
	}
}

// TestNormalizeFollowsPythonLower pins the case mapping we chose: Python's
// str.lower, which differs from Go's strings.ToLower on these inputs.
func TestNormalizeFollowsPythonLower(t *testing.T) {
	for _, c := range []struct {
		in, want  string
		goDiffers bool // strings.ToLower gives something else
	}{
		{"İstanbul", "i\u0307stanbul", true}, // Go: "istanbul"
		{"ΟΔΟΣ", "οδος", true},               // Go: "οδοσ"
		{"ΟΔΟΣ ΚΑΙ ΣΑΣ", "οδος και σας", true},
		{"ΣΑΣ.", "σας", true},  // '.' is case-ignorable, then removed
		{"Σ", "σ", false},      // no cased letter before it
		{"ΑΣΑ", "ασα", false},  // a cased letter follows
		{"ΑΣ'Α", "ασα", false}, // ' is case-ignorable: Α still follows
	} {
		if got := NormalizeAnswer(c.in); got != c.want {
			t.Errorf("NormalizeAnswer(%q) = %q, want %q", c.in, got, c.want)
		}
		if differs := strings.ToLower(c.in) != pyLower(c.in); differs != c.goDiffers {
			t.Errorf("%q: Go and Python lower-casing differ = %v, want %v", c.in, differs, c.goDiffers)
		}
	}
}

func TestExactMatchAndF1(t *testing.T) {
	for _, c := range []struct {
		pred   string
		golds  []string
		em, f1 float64
	}{
		{"The Cat!", []string{"cat"}, 1, 1},
		{"black cat", []string{"the cat"}, 0, 2 * 0.5 * 1 / 1.5},
		{"cat cat", []string{"cat"}, 0, 2 * 0.5 * 1 / 1.5}, // multiset: one shared token
		{"dog", []string{"cat", "dog house"}, 0, 2 * 1 * 0.5 / 1.5},
		{"", []string{"the"}, 1, 1},        // gold normalizes to "": only "" matches
		{"a", nil, 1, 1},                   // no gold answer means ""
		{"cat", []string{"", "cat"}, 1, 1}, // empty golds are dropped when others exist
		{"", []string{"", "cat"}, 0, 0},
	} {
		if got := ExactMatch(c.pred, c.golds); got != c.em {
			t.Errorf("ExactMatch(%q, %q) = %v, want %v", c.pred, c.golds, got, c.em)
		}
		if got := TokenF1(c.pred, c.golds); got != c.f1 {
			t.Errorf("TokenF1(%q, %q) = %v, want %v", c.pred, c.golds, got, c.f1)
		}
	}
}

// FuzzNormalizeAnswer checks, on any input, that normalizing is stable,
// yields valid UTF-8 without stray spaces, and that an answer matches
// itself fully.
func FuzzNormalizeAnswer(f *testing.F) {
	for _, s := range []string{"The Cat", "ΟΔΟΣ.", "İ\u0307", "a\xffb", "\u001c the \u00a0an"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeAnswer(s)
		if !utf8.ValidString(n) || strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Fatalf("NormalizeAnswer(%q) = %q", s, n)
		}
		if again := NormalizeAnswer(n); again != n {
			t.Fatalf("not stable: %q -> %q -> %q", s, n, again)
		}
		if ExactMatch(s, []string{s}) != 1 || TokenF1(s, []string{s}) != 1 {
			t.Fatalf("%q does not match itself", s)
		}
	})
}
