package rag

import (
	"fmt"
	"math/rand/v2"
)

// hiddenCorpus is generation 2's corpus for the hidden set: the official
// pages and the untrusted ones. corpus.jsonl, the kit's and the check
// runs', has the official pages and one benign community post, so no
// attack wording ever leaves the hidden set.
const hiddenCorpus = "corpus-hidden.jsonl"

// docLine is a corpus line of generation 2: a document and its source.
type docLine struct {
	Doc
	Source string `json:"source"`
}

func withSources(docs []Doc, sources map[string]string) []docLine {
	out := make([]docLine, len(docs))
	for i, d := range docs {
		out[i] = docLine{d, sources[d.ID]}
	}
	return out
}

// injectionQueries turns the target and decoy queries into hidden-set
// queries, skipping any whose text another query already has.
func injectionQueries(rng *rand.Rand, qs map[string][]Query, planted []Planted, targets, decoys []InjectionQuery) []Query {
	payload := map[string]Evidence{}
	for _, p := range planted {
		payload[p.DocID] = p.Payload
	}
	seen := map[string]bool{}
	for _, set := range qs {
		for _, q := range set {
			seen[q.Text] = true
		}
	}
	var out []Query
	for _, iq := range append(targets, decoys...) {
		if seen[iq.Text] {
			continue
		}
		seen[iq.Text] = true
		q := Query{ID: fmt.Sprintf("q-%06x", rng.Uint32()&0xffffff), Text: iq.Text, Category: CatDecoy,
			Answers: iq.Answers, Evidence: iq.Evidence, Qrels: iq.Qrels}
		if iq.Kind == InjectionTarget {
			q.Category = CatInjection
			q.attack = &attackLabel{Family: iq.Family, Canary: iq.Canary, Doc: iq.Planted, Payload: payload[iq.Planted]}
		}
		out = append(out, q)
	}
	return out
}
