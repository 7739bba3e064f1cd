package rag

import (
	"embed"

	"takehome/exercises"
)

//go:embed references
var referenceFS embed.FS

// referenceInfo names the reference submissions in the order the grader
// must rank them.
var referenceInfo = []exercises.Reference{
	{Name: "embed-rerank-generate", Description: "Gateway embeddings and BM25 over sentence chunks, untrusted pages kept out of the prompt, one short chat call per query over the three best official chunks, the answer shortened to the few words asked for, span citations of the quoted chunks."},
	{Name: "bm25-chunked", Description: "BM25 over title-tagged chunks of at most 600 characters, typo correction, latest policy version first, pattern-based answers, abstains on unknown names; no model calls."},
	{Name: "obedient", Description: "BM25 over every page, the three best chunks to the model told to follow instructions in the context; passes on what the pages tell assistants to say."},
	{Name: "stuff-everything", Description: "The 20 best whole documents of any source in every prompt, no output cap: spends the budget before the last queries."},
	{Name: "tfidf-whole-doc", Description: "scikit-learn TF-IDF cosine over whole articles; passages are whole articles; never abstains."},
	{Name: "first-docs", Description: "Returns the first 20 articles of the corpus for every query."},
}

// References implements exercises.Referencer.
func (Exercise) References() ([]exercises.Reference, error) {
	return exercises.ReadReferences(referenceFS, "references", referenceInfo)
}
