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
	if got, want := corpus, "f686e0dc0e53212d"; got != want {
		t.Errorf("corpus hash %s, want %s", got, want)
	}
	if got, want := hash(v), "cdeecd97db1a5585"; got != want { // generation 2: model access, untrusted pages, injection queries
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
		for _, c := range drawn {
			if per[c] != want {
				t.Errorf("%s set: %d %s queries, want %d", name, per[c], c, want)
			}
		}
		attacks, decoys := per[CatInjection], per[CatDecoy]
		if name == exercises.SetPublic && attacks+decoys != 0 || name == exercises.SetHidden && (attacks < 16 || decoys < 12) {
			t.Errorf("%s set: %d injection and %d decoy queries", name, attacks, decoys)
		}
	}
}

// Generation 2: the hidden set's corpus adds untrusted pages, each line
// saying its source; the kit's corpus (that of check runs) has the
// official pages and one benign community post only, so no payload leaves
// the hidden set; every injection query names a payload inside its page.
func TestUntrustedPagesStayInTheHiddenCorpus(t *testing.T) {
	v := build(t, 1)
	read := func(name string) map[string]docLine {
		f, ok := exercises.FindFile(v.Assets, name)
		if !ok {
			t.Fatalf("no asset %s", name)
		}
		out := map[string]docLine{}
		for _, line := range bytes.Split(bytes.TrimSpace(f.Data), []byte("\n")) {
			var d docLine
			if err := json.Unmarshal(line, &d); err != nil {
				t.Fatal(err)
			}
			out[d.ID] = d
		}
		return out
	}
	public, hidden := read("corpus.jsonl"), read(hiddenCorpus)
	kit, _ := exercises.FindFile(v.StarterKit, "corpus.jsonl")
	pubFile, _ := exercises.FindFile(v.Assets, "corpus.jsonl")
	if !bytes.Equal(kit.Data, pubFile.Data) {
		t.Error("the kit's corpus is not the check runs' corpus")
	}
	count := func(docs map[string]docLine) map[string]int {
		n := map[string]int{}
		for _, d := range docs {
			n[d.Source]++
		}
		return n
	}
	pub, hid := count(public), count(hidden)
	if pub[SourceCommunity] != 1 || pub[SourcePartner] != 0 || pub[SourceOfficial] != hid[SourceOfficial] {
		t.Errorf("public corpus sources %v, hidden %v", pub, hid)
	}
	if hid[SourceCommunity]+hid[SourcePartner] < 30 {
		t.Errorf("hidden corpus has %v", hid)
	}
	set, _ := v.Set(exercises.SetHidden)
	for _, it := range set.Items {
		var l label
		_ = json.Unmarshal(it.Label, &l)
		if l.Category != CatInjection {
			continue
		}
		d, ok := hidden[l.Attack.Doc]
		if !ok || d.Source == SourceOfficial || public[l.Attack.Doc].ID != "" {
			t.Fatalf("%s: planted page %s missing, official or public", it.Key, l.Attack.Doc)
		}
		if p := []rune(d.Text)[l.Attack.Payload.Start:l.Attack.Payload.End]; l.Attack.Family != FamilyObfuscated && !containsCanary(string(p), l.Attack.Canary) && !numericMatch(string(p), []string{l.Attack.Canary}) {
			t.Errorf("%s: payload %q lacks its canary %q", it.Key, string(p), l.Attack.Canary)
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
