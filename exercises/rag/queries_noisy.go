package rag

import (
	"math/rand/v2"
	"strings"
)

// noisy is a lexical or numeric query typed in a hurry: lower case, no
// question mark, two words with typos.
func noisy(c *corpus, rng *rand.Rand) draft {
	base := []drafter{lexPath, lexAdmin, lexRelease, numLimit, numPrice, numInterval}
	d := one(rng, base)(c, rng)
	words := strings.Fields(strings.TrimSuffix(strings.ToLower(d.text), "?"))
	hit := 0
	for _, i := range rng.Perm(len(words)) {
		if hit == 2 {
			break
		}
		if w := []rune(words[i]); len(w) >= 5 && isLetters(w) {
			j := 1 + rng.IntN(len(w)-3)
			if rng.IntN(2) == 0 {
				w[j], w[j+1] = w[j+1], w[j]
			} else {
				w = append(w[:j], w[j+1:]...)
			}
			words[i] = string(w)
			hit++
		}
	}
	d.text = strings.Join(words, " ")
	return d
}

func isLetters(w []rune) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
