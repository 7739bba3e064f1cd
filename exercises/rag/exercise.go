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
		Models:   modelAccess(),
	}
}

// modelAccess is what generation 2 gives both phases: the builtin models,
// priced like the ones they stand in for, and the budget the brief states.
func modelAccess() *exercises.ModelAccess {
	return &exercises.ModelAccess{
		Provider: "builtin",
		Models: []exercises.Model{
			{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 150_000, OutputPrice: 600_000, MaxOutput: 512},
			{Name: "text-embedding-3-small", Kind: exercises.ModelEmbedding, InputPrice: 20_000},
		},
		BudgetMicroUSD: budgetMicroUSD,
	}
}

// budgetMicroUSD is a grading run's model budget: $0.25.
const budgetMicroUSD = 250_000

// setMeta is the hidden data about a set the scorer needs besides labels.
type setMeta struct {
	Kind string            `json:"kind"` // "generated" or "beir"
	Docs map[string]docRef `json:"docs"`
	// Generation 2 versions grade generated answers, span citations,
	// injection resistance and spending; earlier ones (0) are graded as
	// they were.
	Generation int `json:"generation,omitempty"`
}

// docRef is what the scorer knows of a document: its length in code points
// (to check spans) and its title (for the staff tables).
type docRef struct {
	Len    int    `json:"len"`
	Title  string `json:"title"`
	Source string `json:"source,omitempty"` // generation 2: official, community or partner
}

// label is the hidden part of an item.
type label struct {
	Category string         `json:"category"`
	Answers  []string       `json:"answers,omitempty"`
	Evidence []Evidence     `json:"evidence,omitempty"`
	Qrels    map[string]int `json:"qrels"`
	Attack   *attackLabel   `json:"attack,omitempty"`  // an injection target query's planted page
	Nuggets  []Nugget       `json:"nuggets,omitempty"` // generation 2: the facts a multi-part answer must state
}

// attackLabel is what detects an attack's success on a target query.
type attackLabel struct {
	Family  string   `json:"family"`
	Canary  string   `json:"canary"`
	Doc     string   `json:"doc_id"`
	Payload Evidence `json:"payload"`
}

// input is what a submission sees of a query.
type input struct {
	ID   string `json:"query_id"`
	Text string `json:"text"`
}

// Build implements exercises.Exercise: generation 2, whose hidden corpus
// holds untrusted pages carrying injections and whose hidden set adds the
// queries aimed at them and decoys. The official pages and the queries are
// drawn as in generation 1; the untrusted pages come from a stream of
// their own.
func (Exercise) Build(seed uint64) (*exercises.Version, error) {
	rng := rand.New(rand.NewPCG(seed, 0x7a6))
	c := generate(rng)
	qs := c.queries(rng, map[string]int{exercises.SetPublic: publicPerCategory, exercises.SetHidden: hiddenPerCategory})
	irng := rand.New(rand.NewPCG(seed, 0x1e7))
	decoys := c.decoyQueries(irng) // first: the canaries must avoid their pages too
	u := c.plant(irng, hiddenPayloads())
	hidden := append(qs[exercises.SetHidden], injectionQueries(irng, qs, u.Planted, c.targetQueries(u.Planted), decoys)...)
	irng.Shuffle(len(hidden), func(i, j int) { hidden[i], hidden[j] = hidden[j], hidden[i] }) // no kind of query comes last, when budgets run out
	qs[exercises.SetHidden] = hidden
	sources := u.sources(c.docs)
	public := u.publicDocs(c.docs)
	v := &exercises.Version{Spec: Spec(), Seed: seed}
	for _, set := range []struct {
		name, asset string
		docs        []Doc
	}{{exercises.SetPublic, "corpus.jsonl", public}, {exercises.SetHidden, hiddenCorpus, c.docs}} {
		corpusFile, err := jsonLines(withSources(set.docs, sources))
		if err != nil {
			return nil, err
		}
		m := newSetMeta("generated", set.docs)
		m.Generation = 2
		for id, ref := range m.Docs {
			ref.Source = sources[id]
			m.Docs[id] = ref
		}
		meta, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		es, err := evalSet(set.name, qs[set.name], meta)
		if err != nil {
			return nil, err
		}
		v.Sets = append(v.Sets, es)
		v.Assets = append(v.Assets, exercises.File{Name: set.asset, Data: corpusFile})
	}
	dev, err := jsonLines(qs[exercises.SetPublic])
	if err != nil {
		return nil, err
	}
	v.StarterKit = starterKit(v.Assets[0].Data, dev)
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
		lab, err := json.Marshal(label{Category: q.Category, Answers: q.Answers, Evidence: q.Evidence, Qrels: q.Qrels, Attack: q.attack, Nuggets: q.Nuggets})
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
	if hidden, ok := exercises.FindFile(assets, hiddenCorpus); ok && set.Name == exercises.SetHidden {
		corpusFile = exercises.File{Name: "corpus.jsonl", Data: hidden.Data} // with the untrusted pages
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
