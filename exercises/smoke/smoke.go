// Package smoke is a tiny exercise that proves the pipeline end to end: a
// "learn" phase reads labelled examples, a "solve" phase answers unlabelled
// items, and the scorer checks the answers against hidden labels. It is
// registered like a real exercise so a fresh install has something to run.
package smoke

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"takehome/exercises"
)

// Slug names the exercise.
const Slug = "smoke-sum"

const (
	publicItems = 20
	hiddenItems = 50
	maxAnswers  = 1 << 20 // bytes of answers.jsonl accepted
)

// Exercise implements exercises.Exercise.
type Exercise struct{}

// New returns the smoke exercise.
func New() Exercise { return Exercise{} }

// Slug implements exercises.Exercise.
func (Exercise) Slug() string { return Slug }

// Spec returns what the exercise declares.
func Spec() exercises.Spec {
	lim := exercises.DefaultLimits()
	lim.MemoryBytes = 256 << 20
	lim.Timeout = 60 * time.Second
	return exercises.Spec{
		Slug:  Slug,
		Kind:  exercises.KindTest,
		Title: "Smoke test: add two numbers",
		Brief: brief,
		Image: exercises.PythonImage,
		Phases: []exercises.Phase{
			{Name: "learn", Inputs: []string{"examples.jsonl"}, Limits: lim},
			{Name: "solve", Inputs: []string{"items.jsonl"}, Outputs: []string{"answers.jsonl"}, Limits: lim},
		},
		Headline: "accuracy",
	}
}

const brief = `# Add two numbers

A tiny exercise that checks the runner works.

- **learn** gets ` + "`/data/examples.jsonl`" + ` (lines of ` + "`{\"key\", \"a\", \"b\", \"sum\"}`" + `).
- **solve** gets ` + "`/data/items.jsonl`" + ` (lines of ` + "`{\"key\", \"a\", \"b\"}`" + `) and writes
  ` + "`/output/answers.jsonl`" + `, one ` + "`{\"key\", \"value\"}`" + ` line per item.

Score: 100 × the share of items whose value is within 1e-6 of the true sum.
`

type item struct {
	Key string  `json:"key"`
	A   float64 `json:"a"`
	B   float64 `json:"b"`
}

// Build implements exercises.Exercise.
func (Exercise) Build(seed uint64) (*exercises.Version, error) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	examples := genItems(rng, "ex", 10)
	var kit bytes.Buffer
	for _, it := range examples {
		line, _ := json.Marshal(map[string]any{"key": it.Key, "a": it.A, "b": it.B, "sum": it.A + it.B})
		kit.Write(append(line, '\n'))
	}
	v := &exercises.Version{
		Spec: Spec(),
		Seed: seed,
		StarterKit: []exercises.File{
			{Name: "README.md", Data: []byte(brief)},
			{Name: "examples.jsonl", Data: kit.Bytes()},
			{Name: "takehome.yaml", Data: []byte(starterManifest)},
			{Name: "solve.py", Data: []byte(starterSolve)},
		},
		Assets: []exercises.File{{Name: "examples.jsonl", Data: kit.Bytes()}},
	}
	for _, s := range []struct {
		name string
		n    int
	}{{exercises.SetPublic, publicItems}, {exercises.SetHidden, hiddenItems}} {
		set, err := labelled(s.name, genItems(rng, s.name, s.n))
		if err != nil {
			return nil, err
		}
		v.Sets = append(v.Sets, set)
	}
	return v, nil
}

func genItems(rng *rand.Rand, prefix string, n int) []item {
	items := make([]item, n)
	for i := range items {
		items[i] = item{Key: fmt.Sprintf("%s-%03d", prefix, i), A: float64(rng.IntN(1000)), B: float64(rng.IntN(1000))}
	}
	return items
}

func labelled(name string, items []item) (exercises.EvalSet, error) {
	set := exercises.EvalSet{Name: name}
	for _, it := range items {
		input, err := json.Marshal(it)
		if err != nil {
			return set, err
		}
		label, _ := json.Marshal(it.A + it.B)
		set.Items = append(set.Items, exercises.Item{Key: it.Key, Input: input, Label: label})
	}
	return set, nil
}

// Steps implements exercises.Exercise: learn on the examples, then solve the
// set's items. Only item inputs reach the sandbox, never labels.
func (Exercise) Steps(spec exercises.Spec, assets []exercises.File, set exercises.EvalSet) ([]exercises.Step, error) {
	examples, ok := exercises.FindFile(assets, "examples.jsonl")
	if !ok {
		return nil, fmt.Errorf("smoke: asset examples.jsonl missing")
	}
	var items bytes.Buffer
	for _, it := range set.Items {
		items.Write(it.Input)
		items.WriteByte('\n')
	}
	return []exercises.Step{
		{Name: "learn", Phase: "learn", Inputs: []exercises.File{examples}},
		{Name: "solve", Phase: "solve", Inputs: []exercises.File{{Name: "items.jsonl", Data: items.Bytes()}}},
	}, nil
}

// Score implements exercises.Exercise.
func (Exercise) Score(in exercises.ScoreInput) (exercises.Result, error) {
	f, _ := exercises.FindFile(in.Outputs["solve"], "answers.jsonl")
	answers, problem := parseAnswers(f.Data, in.Set)
	if problem != "" {
		return exercises.Result{Valid: false, Problems: []string{problem}}, nil
	}
	correct := 0
	for _, it := range in.Set.Items {
		var want float64
		if err := json.Unmarshal(it.Label, &want); err != nil {
			return exercises.Result{}, fmt.Errorf("smoke: label of %s: %w", it.Key, err)
		}
		if math.Abs(answers[it.Key]-want) <= 1e-6 {
			correct++
		}
	}
	acc := float64(correct) / float64(len(in.Set.Items))
	score := 100 * acc
	headline := exercises.Metric{Name: "accuracy", Value: &acc, Convention: "share of items within 1e-6 of the true sum"}
	res := exercises.Result{Valid: true, Score: &score, Headline: &headline, Metrics: []exercises.Metric{headline}}
	res.Findings = []string{fmt.Sprintf("%d of %d items answered correctly.", correct, len(in.Set.Items))}
	if in.ExpectedScore != nil {
		res.Findings = append(res.Findings, fmt.Sprintf("The candidate expected %.2f; the hidden accuracy is %.2f.", *in.ExpectedScore, acc))
	}
	return res, nil
}

// parseAnswers reads answers.jsonl strictly: every item answered once, no
// unknown keys, finite numbers only.
func parseAnswers(data []byte, set exercises.EvalSet) (map[string]float64, string) {
	if len(data) > maxAnswers {
		return nil, fmt.Sprintf("answers.jsonl is %d bytes, more than the %d allowed", len(data), maxAnswers)
	}
	known := make(map[string]bool, len(set.Items))
	for _, it := range set.Items {
		known[it.Key] = true
	}
	answers := make(map[string]float64, len(set.Items))
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var a struct {
			Key   string   `json:"key"`
			Value *float64 `json:"value"`
		}
		switch err := json.Unmarshal(sc.Bytes(), &a); {
		case err != nil:
			return nil, fmt.Sprintf("answers.jsonl line %d: not a JSON object with key and value", n)
		case a.Value == nil:
			return nil, fmt.Sprintf("answers.jsonl line %d: missing value", n)
		case !known[a.Key]:
			return nil, fmt.Sprintf("answers.jsonl line %d: unknown key %q", n, a.Key)
		}
		if _, dup := answers[a.Key]; dup {
			return nil, fmt.Sprintf("answers.jsonl line %d: duplicate key %q", n, a.Key)
		}
		answers[a.Key] = *a.Value
	}
	if len(answers) < len(known) {
		return nil, fmt.Sprintf("answers.jsonl: %d of %d items have no answer", len(known)-len(answers), len(known))
	}
	return answers, ""
}

const starterManifest = `phases:
  learn: python3 -c "print('nothing to learn')"
  solve: python3 solve.py
expected_score: 1.0
`

const starterSolve = `import json

with open("/data/items.jsonl") as f, open("/output/answers.jsonl", "w") as out:
    for line in f:
        item = json.loads(line)
        out.write(json.dumps({"key": item["key"], "value": item["a"] + item["b"]}) + "\n")
`
