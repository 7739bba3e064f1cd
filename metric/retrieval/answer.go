package retrieval

import (
	"strings"
	"unicode"
)

// NormalizeAnswer is the SQuAD script's normalize_answer: lower-case, drop
// ASCII punctuation (Python's string.punctuation; other Unicode punctuation
// stays, as it does there), replace the words a, an and the by a space, and
// collapse whitespace. Lower-casing follows Python's str.lower, not Go's
// strings.ToLower: "İ" becomes "i̇" (i plus U+0307) and a capital sigma at
// the end of a word becomes "ς". Words and spaces are those of Python's re
// (\w: letters, numbers, underscore) and str.split (Go's unicode.IsSpace
// plus U+001C..U+001F).
func NormalizeAnswer(s string) string {
	return strings.Join(strings.FieldsFunc(removeArticles(removePunct(pyLower(s))), pySpace), " ")
}

// ExactMatch is 1 when pred normalizes to the same string as one of golds,
// else 0. As in the SQuAD 2.0 script, golds that normalize to nothing are
// dropped unless all do, and no golds means the one gold answer "".
func ExactMatch(pred string, golds []string) float64 {
	p := NormalizeAnswer(pred)
	best := 0.0
	for _, g := range usableGolds(golds) {
		if g == p {
			best = 1
		}
	}
	return best
}

// TokenF1 is the SQuAD 2.0 script's compute_f1, the best over golds (chosen
// as in ExactMatch): the harmonic mean of precision and recall of the
// normalized tokens shared as a multiset; 1 or 0 when either side is empty,
// by whether both are.
func TokenF1(pred string, golds []string) float64 {
	p := strings.Fields(NormalizeAnswer(pred))
	best := 0.0
	for _, g := range usableGolds(golds) {
		best = max(best, tokenF1(p, strings.Fields(g)))
	}
	return best
}

func tokenF1(pred, gold []string) float64 {
	if len(pred) == 0 || len(gold) == 0 {
		if len(pred) == len(gold) {
			return 1
		}
		return 0
	}
	count := map[string]int{}
	for _, t := range gold {
		count[t]++
	}
	same := 0
	for _, t := range pred {
		if count[t] > 0 {
			count[t]--
			same++
		}
	}
	if same == 0 {
		return 0
	}
	precision := 1.0 * float64(same) / float64(len(pred))
	recall := 1.0 * float64(same) / float64(len(gold))
	return (2 * precision * recall) / (precision + recall)
}

// usableGolds normalizes golds, keeping the non-empty ones, or [""] if none.
func usableGolds(golds []string) []string {
	var out []string
	for _, g := range golds {
		if n := NormalizeAnswer(g); n != "" {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// removePunct drops the characters of Python's string.punctuation.
func removePunct(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r) {
			return -1
		}
		return r
	}, s)
}

// removeArticles replaces every maximal run of word characters that is "a",
// "an" or "the" by a space, which is what re.sub(r'\b(a|an|the)\b', ' ')
// does.
func removeArticles(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !pyWord(rs[i]) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && pyWord(rs[j]) {
			j++
		}
		switch w := string(rs[i:j]); w {
		case "a", "an", "the":
			b.WriteByte(' ')
		default:
			b.WriteString(w)
		}
		i = j
	}
	return b.String()
}

// pyWord is Python re's \w on str patterns: alphanumeric or underscore.
func pyWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// pySpace is Python's str.isspace.
func pySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// AnswerConventions states in one line how answers are scored, for reports.
const AnswerConventions = "SQuAD 2.0 official script: lower-case as Python str.lower (İ -> i̇, final sigma), " +
	"drop ASCII punctuation, drop the words a/an/the, collapse whitespace; exact match and token F1 " +
	"(multiset overlap), best over gold answers; empty golds dropped unless all are empty"
