package builtin

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"takehome/gateway/tokencount"
)

// NoAnswer is the chat model's whole answer when no context sentence is
// close enough to the question.
const NoAnswer = "I don't know based on the provided context."

// minScore is the cosine (of relevance vectors) a sentence needs to
// be an answer. Measured on 30 FAQ-style sentences against 34 questions:
// pairs that share no word or stem stay below it 99.5% of the time (p99
// 0.109), while pairs that share a single content word score 0.16 at the
// median and two shared words score higher still. A higher threshold
// would refuse about half of the single-word matches; a lower one lets
// subword coincidences ("export" / "support") answer.
const minScore = 0.12

// secondRatio is how close to the best a second sentence must score to be
// added: a sentence about as relevant usually completes the answer, a much
// weaker one dilutes it.
const secondRatio = 0.8

// answer is the extractive answer to the conversation: the one or two
// context sentences closest to the question, verbatim and in context
// order, or NoAnswer.
func answer(msgs []message) string {
	q, context := split(msgs)
	picked := pick(relevance(q), sentences(context))
	if len(picked) == 0 {
		return NoAnswer
	}
	return strings.Join(picked, " ")
}

type candidate struct {
	pos   int
	text  string
	score float64
}

// pick ranks sentences by the cosine of their relevance vectors to the
// question's, q, and returns the best one or two in their original order.
func pick(q []float32, sents []string) []string {
	var cands []candidate
	seen := map[string]bool{}
	for i, s := range sents {
		if !seen[s] { // a passage pasted twice is still one sentence
			seen[s] = true
			cands = append(cands, candidate{i, s, cosine(q, relevance(s))})
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(b.score, a.score) })
	if len(cands) == 0 || cands[0].score < minScore {
		return nil
	}
	top := cands[:1]
	if len(cands) > 1 && cands[1].score >= max(minScore, secondRatio*cands[0].score) {
		top = cands[:2]
	}
	slices.SortFunc(top, func(a, b candidate) int { return cmp.Compare(a.pos, b.pos) })
	var out []string
	for _, c := range top {
		out = append(out, c.text)
	}
	return out
}

// truncate keeps the longest prefix of words whose text is at most limit
// tokens, and says whether it cut. o200k_base splits text into pieces at
// word boundaries before merging, so the count only grows with the prefix
// and a binary search finds the cut; every word is at least one token, so
// the cut is within the first limit words however long the answer.
func truncate(words []string, limit int) ([]string, bool) {
	n := sort.Search(min(len(words), limit), func(n int) bool {
		return tokencount.Text(strings.Join(words[:n+1], " ")) > limit
	})
	return words[:n], n < len(words)
}
