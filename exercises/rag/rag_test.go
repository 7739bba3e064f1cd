package rag

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
)

func build(t *testing.T, seed uint64) *exercises.Version {
	t.Helper()
	v, err := New().Build(seed)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBuildIsDeterministicAndFast(t *testing.T) {
	start := time.Now()
	v := build(t, 1)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Build took %s", d)
	}
	hash := func(v *exercises.Version) string {
		b, _ := json.Marshal(v)
		return fmt.Sprintf("%x", sha256.Sum256(b))[:16]
	}
	corpus := fmt.Sprintf("%x", sha256.Sum256(v.Assets[0].Data))[:16]
	// Golden hashes: a change here means every stored version changes.
	if got, want := corpus, "2b8da4b6c420564f"; got != want {
		t.Errorf("corpus hash %s, want %s", got, want)
	}
	if got, want := hash(v), "6da26c65f7548882"; got != want { // brief: query may not keep state
		t.Errorf("version hash %s, want %s", got, want)
	}
	if hash(build(t, 1)) != hash(v) || hash(build(t, 2)) == hash(v) {
		t.Error("same seed must give the same bytes and another seed others")
	}
}

func TestCorpusAndQueries(t *testing.T) {
	v := build(t, 1)
	docs := map[string]Doc{}
	for _, line := range bytes.Split(bytes.TrimSpace(v.Assets[0].Data), []byte("\n")) {
		var d Doc
		if err := json.Unmarshal(line, &d); err != nil {
			t.Fatal(err)
		}
		docs[d.ID] = d
	}
	if len(docs) < 800 || len(v.Assets[0].Data) > 4<<20 {
		t.Errorf("%d documents in %d bytes", len(docs), len(v.Assets[0].Data))
	}
	for _, name := range []string{exercises.SetPublic, exercises.SetHidden} {
		set, _ := v.Set(name)
		per := map[string]int{}
		for _, it := range set.Items {
			var l label
			if err := json.Unmarshal(it.Label, &l); err != nil {
				t.Fatal(err)
			}
			per[l.Category]++
			if strings.Contains(string(it.Input), "evidence") || strings.Contains(string(it.Input), "answers") {
				t.Errorf("input of %s carries labels", it.Key)
			}
			if (l.Category == CatUnanswer) != (len(l.Evidence) == 0) {
				t.Errorf("%s (%s): %d evidence spans", it.Key, l.Category, len(l.Evidence))
			}
			checkEvidence(t, it.Key, l, docs)
		}
		want := map[string]int{exercises.SetPublic: publicPerCategory, exercises.SetHidden: hiddenPerCategory}[name]
		for _, c := range Categories {
			if per[c] != want {
				t.Errorf("%s set: %d %s queries, want %d", name, per[c], c, want)
			}
		}
	}
}

// checkEvidence: spans are inside their documents, gold documents are
// judged relevant, and the evidence states the answer.
func checkEvidence(t *testing.T, key string, l label, docs map[string]Doc) {
	t.Helper()
	var texts []string
	for _, e := range l.Evidence {
		r := []rune(docs[e.DocID].Text)
		if e.Start < 0 || e.End > len(r) || e.Start >= e.End || l.Qrels[e.DocID] != 1 {
			t.Fatalf("%s: bad evidence %+v", key, e)
		}
		texts = append(texts, string(r[e.Start:e.End]))
	}
	if len(l.Answers) == 0 {
		return
	}
	all := strings.ToLower(strings.Join(texts, " "))
	last := l.Answers[len(l.Answers)-1]
	if l.Category != CatMultiHop && !strings.Contains(all, strings.ToLower(last)) {
		t.Errorf("%s (%s): answer %q not in evidence %q", key, l.Category, last, all)
	}
}

func TestStepsCarryNoLabels(t *testing.T) {
	v := build(t, 1)
	set, _ := v.Set(exercises.SetHidden)
	steps, err := New().Steps(v.Spec, v.Assets, set)
	if err != nil || len(steps) != 2 {
		t.Fatalf("%v %v", steps, err)
	}
	for _, s := range steps {
		for _, f := range s.Inputs {
			if bytes.Contains(f.Data, []byte(`"qrels"`)) || bytes.Contains(f.Data, []byte(`"answers"`)) {
				t.Errorf("step %s input %s carries labels", s.Name, f.Name)
			}
		}
	}
}
