package rag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
	"unicode/utf8"

	"takehome/exercises"
)

// Slug names the exercise; imported BEIR versions name it as their engine.
const Slug = "rag-support"

// Set sizes: queries per category in the dev and hidden sets.
const (
	publicPerCategory = 8
	hiddenPerCategory = 46
)

// Exercise implements exercises.Exercise and exercises.Referencer.
type Exercise struct{}

// New returns the RAG exercise.
func New() Exercise { return Exercise{} }

// Slug implements exercises.Exercise.
func (Exercise) Slug() string { return Slug }

// Spec returns what the exercise declares; BEIR imports reuse it.
func Spec() exercises.Spec {
	lim := exercises.DefaultLimits()
	lim.MemoryBytes = 2 << 30
	lim.Timeout = 10 * time.Minute
	lim.OutputBytes = maxResultsBytes + 1<<20
	return exercises.Spec{
		Slug:  Slug,
		Kind:  exercises.KindRAG,
		Title: "Support-center retrieval and answering",
		Brief: brief,
		Image: exercises.PythonImage,
		Phases: []exercises.Phase{
			{Name: "index", Inputs: []string{"corpus.jsonl"}, Limits: lim},
			{Name: "query", Inputs: []string{"queries.jsonl"}, Outputs: []string{"results.jsonl"}, Limits: lim},
		},
		Headline: "ndcg@10",
	}
}

// setMeta is the hidden data about a set the scorer needs besides labels.
type setMeta struct {
	Kind string            `json:"kind"` // "generated" or "beir"
	Docs map[string]docRef `json:"docs"`
}

// docRef is what the scorer knows of a document: its length in code points
// (to check spans) and its title (for the staff tables).
type docRef struct {
	Len   int    `json:"len"`
	Title string `json:"title"`
}

// label is the hidden part of an item.
type label struct {
	Category string         `json:"category"`
	Answers  []string       `json:"answers,omitempty"`
	Evidence []Evidence     `json:"evidence,omitempty"`
	Qrels    map[string]int `json:"qrels"`
}

// input is what a submission sees of a query.
type input struct {
	ID   string `json:"query_id"`
	Text string `json:"text"`
}

// Build implements exercises.Exercise.
func (Exercise) Build(seed uint64) (*exercises.Version, error) {
	rng := rand.New(rand.NewPCG(seed, 0x7a6))
	c := generate(rng)
	qs := c.queries(rng, map[string]int{exercises.SetPublic: publicPerCategory, exercises.SetHidden: hiddenPerCategory})
	corpusFile, err := jsonLines(c.docs)
	if err != nil {
		return nil, err
	}
	meta, err := json.Marshal(newSetMeta("generated", c.docs))
	if err != nil {
		return nil, err
	}
	v := &exercises.Version{Spec: Spec(), Seed: seed, Assets: []exercises.File{{Name: "corpus.jsonl", Data: corpusFile}}}
	for _, name := range []string{exercises.SetPublic, exercises.SetHidden} {
		set, err := evalSet(name, qs[name], meta)
		if err != nil {
			return nil, err
		}
		v.Sets = append(v.Sets, set)
	}
	dev, err := jsonLines(qs[exercises.SetPublic])
	if err != nil {
		return nil, err
	}
	v.StarterKit = starterKit(corpusFile, dev)
	return v, nil
}

func newSetMeta(kind string, docs []Doc) setMeta {
	m := setMeta{Kind: kind, Docs: make(map[string]docRef, len(docs))}
	for _, d := range docs {
		m.Docs[d.ID] = docRef{Len: utf8.RuneCountInString(d.Text), Title: d.Title}
	}
	return m
}

// evalSet turns labelled queries into an eval set whose inputs carry only
// the id and text.
func evalSet(name string, qs []Query, meta []byte) (exercises.EvalSet, error) {
	set := exercises.EvalSet{Name: name, Meta: meta}
	for _, q := range qs {
		in, err := json.Marshal(input{q.ID, q.Text})
		if err != nil {
			return set, err
		}
		lab, err := json.Marshal(label{Category: q.Category, Answers: q.Answers, Evidence: q.Evidence, Qrels: q.Qrels})
		if err != nil {
			return set, err
		}
		set.Items = append(set.Items, exercises.Item{Key: q.ID, Input: in, Label: lab})
	}
	return set, nil
}

// jsonLines encodes one JSON value per line.
func jsonLines[T any](xs []T) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, x := range xs {
		if err := enc.Encode(x); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// Steps implements exercises.Exercise: index the corpus, then answer the
// set's queries. Query inputs carry the id and text only.
func (Exercise) Steps(spec exercises.Spec, assets []exercises.File, set exercises.EvalSet) ([]exercises.Step, error) {
	corpusFile, ok := exercises.FindFile(assets, "corpus.jsonl")
	if !ok {
		return nil, fmt.Errorf("%s: asset corpus.jsonl missing", spec.Slug)
	}
	var qs bytes.Buffer
	for _, it := range set.Items {
		qs.Write(it.Input)
		qs.WriteByte('\n')
	}
	return []exercises.Step{
		{Name: "index", Phase: "index", Inputs: []exercises.File{corpusFile}},
		{Name: "query", Phase: "query", Inputs: []exercises.File{{Name: "queries.jsonl", Data: qs.Bytes()}}},
	}, nil
}
