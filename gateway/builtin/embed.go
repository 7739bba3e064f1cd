package builtin

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Embed is the builtin-embed-hash-v1 vector of text, of dims dimensions
// (Dimensions when dims < 1). The text is NFKC-normalised and lowercased
// and split into words (runs of letters, digits and combining marks); its
// features are the words, the pairs of adjacent words and the character
// 3- to 5-grams of each word padded as "<word>" (fastText's subwords).
// Each feature is hashed with FNV-1a 64 into a signed dimension and
// weighted 1+ln(tf); the vector is L2-normalised. A text without words
// is the zero vector. It needs no corpus, so any caller (a test, the
// exercise grader) can reproduce the gateway's vectors.
func Embed(text string, dims int) []float32 {
	if dims < 1 {
		dims = Dimensions
	}
	return vector(words(text), dims)
}

// vector is the hashed, weighted, normalised vector of ws.
func vector(ws []string, dims int) []float32 {
	order, tf := features(ws)
	vec := make([]float64, dims)
	for _, f := range order { // first-seen order: float sums stay reproducible
		h := fnv1a(f)
		w := 1 + math.Log(float64(tf[f]))
		if h>>63 == 1 { // the top bit signs the feature, so collisions cancel on average
			w = -w
		}
		vec[(h&0xffffffff)%uint64(dims)] += w
	}
	return normalize(vec)
}

// words splits text into lowercase NFKC words.
func words(text string) []string {
	text = strings.ToLower(norm.NFKC.String(text))
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// features lists the distinct features of words in first-seen order with
// their counts. The prefixes keep a word, a word pair and a character
// n-gram with the same letters apart.
func features(words []string) ([]string, map[string]int) {
	var order []string
	tf := map[string]int{}
	add := func(f string) {
		if tf[f] == 0 {
			order = append(order, f)
		}
		tf[f]++
	}
	for i, w := range words {
		add("w:" + w)
		if i > 0 {
			add("b:" + words[i-1] + " " + w)
		}
		for _, g := range charGrams("<" + w + ">") {
			add("c:" + g)
		}
	}
	return order, tf
}

// charGrams is the 3- to 5-rune substrings of s.
func charGrams(s string) []string {
	r := []rune(s)
	var grams []string
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(r); i++ {
			grams = append(grams, string(r[i:i+n]))
		}
	}
	return grams
}

// fnv1a is the 64-bit FNV-1a hash of s (hash/fnv's, without the []byte copy).
func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// normalize scales v to unit length as float32; the zero vector stays zero.
func normalize(v []float64) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x * x) // the conversion forbids a fused multiply-add, which would differ by platform
	}
	out := make([]float32, len(v))
	if sum == 0 {
		return out
	}
	norm := math.Sqrt(sum)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

// cosine is the cosine of two vectors of Embed, which are unit length or zero.
func cosine(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(float64(a[i]) * float64(b[i]))
	}
	return dot
}
