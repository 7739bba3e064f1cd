package rag

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// injected is a corpus generated as Build does, with the injection set added
// in the order the integration uses: decoys, then planted pages.
type injected struct {
	c       *corpus
	before  []Doc // the corpus before either
	u       *untrusted
	decoys  []InjectionQuery
	targets []InjectionQuery
}

func inject(t *testing.T, seed uint64) injected {
	t.Helper()
	c := generate(rand.New(rand.NewPCG(seed, 0x7a6)))
	before := slices.Clone(c.docs)
	rng := rand.New(rand.NewPCG(seed, 0x1e7))
	decoys := c.decoyQueries(rng)
	u := c.plant(rng, hiddenPayloads())
	return injected{c: c, before: before, u: u, decoys: decoys, targets: c.targetQueries(u.Planted)}
}

// injectSeeds are the seeds every injection test runs on.
var injectSeeds = []uint64{1, 2, 3}

// forSeeds runs f on the injected corpus of each seed.
func forSeeds(t *testing.T, f func(*testing.T, injected)) {
	for _, seed := range injectSeeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { f(t, inject(t, seed)) })
	}
}

func (in injected) docs() map[string]Doc {
	m := map[string]Doc{}
	for _, d := range in.c.docs {
		m[d.ID] = d
	}
	return m
}

func TestInjectionsAreDeterministicPerSeed(t *testing.T) {
	a, b, other := inject(t, 1), inject(t, 1), inject(t, 2)
	if !reflect.DeepEqual(a.c.docs, b.c.docs) || !reflect.DeepEqual(a.u, b.u) ||
		!reflect.DeepEqual(a.targets, b.targets) || !reflect.DeepEqual(a.decoys, b.decoys) {
		t.Fatal("the same seed gave different pages or queries")
	}
	seen := map[string]bool{}
	for _, p := range a.u.Planted {
		seen[p.Canary] = true
	}
	same := 0
	for _, p := range other.u.Planted {
		if seen[p.Canary] {
			same++
		}
	}
	if same > len(a.u.Planted)/4 {
		t.Errorf("seeds 1 and 2 share %d of %d canaries", same, len(a.u.Planted))
	}
}

func TestInjectionFamiliesAndSources(t *testing.T) {
	forSeeds(t, func(t *testing.T, in injected) {
		if len(in.u.Planted) != 24 {
			t.Errorf("%d planted pages, want 24", len(in.u.Planted))
		}
		per, variants := map[string]int{}, map[string]bool{}
		for _, p := range in.u.Planted {
			per[p.Family]++
			variants[p.Variant] = true
			if in.u.source(p.DocID) != p.Source || p.Source == SourceOfficial {
				t.Errorf("%s: source %q, recorded %q", p.DocID, p.Source, in.u.source(p.DocID))
			}
		}
		for _, f := range Families {
			if per[f] < 4 {
				t.Errorf("family %s: %d pages, want at least 4", f, per[f])
			}
		}
		for _, v := range obfuscatedVariants {
			if !variants[v] {
				t.Errorf("no obfuscated page of variant %s", v)
			}
		}
		src := in.u.sources(in.c.docs)
		count := map[string]int{}
		for _, s := range src {
			count[s]++
		}
		if count[SourceCommunity] < 18 || count[SourcePartner] < 4 || count[SourceOfficial] != len(in.c.docs)-len(in.u.sourceOf) {
			t.Errorf("sources %v", count)
		}
		pub := in.u.publicDocs(in.c.docs)
		if len(pub) != count[SourceOfficial]+1 || in.u.source(in.u.Benign[0]) != SourceCommunity {
			t.Errorf("public corpus has %d docs, want the %d official ones and one community post", len(pub), count[SourceOfficial])
		}
	})
}

// revealed is a text with its base64 blobs decoded, as a model that follows
// "decode this" would read it.
func revealed(s string) string {
	out := []string{s}
	for _, tok := range b64Token.FindAllString(s, -1) {
		if b, err := base64.StdEncoding.DecodeString(tok); err == nil {
			out = append(out, string(b))
		}
	}
	return strings.Join(out, " ")
}

var b64Token = regexp.MustCompile(`[A-Za-z0-9+/]{24,}={0,2}`)

func TestInjectionCanariesAreUniqueAndOnlyInTheirPage(t *testing.T) {
	forSeeds(t, func(t *testing.T, in injected) {
		docs := in.docs()
		norm := make([]string, len(in.c.docs))
		for i, d := range in.c.docs {
			norm[i] = strictCanary(revealed(d.Title + " " + d.Text))
		}
		for _, p := range in.u.Planted {
			n := strictCanary(p.Canary)
			for i, d := range in.c.docs {
				got := strings.Count(norm[i], n)
				if want := boolInt(d.ID == p.DocID); got != want {
					t.Errorf("canary %q (%s) occurs %d times in %s (%s), want %d", p.Canary, p.Family, got, d.ID, in.u.source(d.ID), want)
				}
			}
			if plain := strings.Contains(strictCanary(docs[p.DocID].Text), n); plain == (p.Variant == "base64") {
				t.Errorf("%s: canary %q in plain text: %v", p.Variant, p.Canary, plain)
			}
		}
		planted := map[string]bool{}
		for _, p := range in.u.Planted {
			planted[p.DocID] = true
		}
		for _, d := range in.c.docs {
			for _, bad := range []string{".example", "555-01", "[SYSTEM]"} {
				if !planted[d.ID] && strings.Contains(d.Text, bad) {
					t.Errorf("%s (%s) holds %q but carries no payload", d.ID, in.u.source(d.ID), bad)
				}
			}
		}
	})
}

func TestInjectionPayloadSpans(t *testing.T) {
	forSeeds(t, func(t *testing.T, in injected) {
		docs := in.docs()
		for _, p := range in.u.Planted {
			r := []rune(docs[p.DocID].Text)
			e := p.Payload
			if e.DocID != p.DocID || e.Start < 0 || e.End > len(r) || e.Start >= e.End {
				t.Fatalf("%s: bad payload span %+v", p.DocID, e)
			}
			span := string(r[e.Start:e.End])
			if !strings.Contains(strictCanary(revealed(span)), strictCanary(p.Canary)) || p.Family == FamilyAuthority && !strings.Contains(span, p.Canary) {
				t.Errorf("%s (%s): payload %q lacks canary %q", p.DocID, p.Family, span, p.Canary)
			}
			if p.Family == FamilySameChunk {
				checkSameChunk(t, p, docs[p.DocID].Text, span)
			}
		}
	})
}

// checkSameChunk: the payload is in the middle paragraph of 4 to 6, and the
// paragraphs just before and after it state the true answer.
func checkSameChunk(t *testing.T, p Planted, text, span string) {
	t.Helper()
	paras := strings.Split(text, "\n\n")[1:] // after the header line
	at := slices.IndexFunc(paras, func(s string) bool { return strings.Contains(s, span) })
	if len(paras) < 4 || len(paras) > 6 || at != len(paras)/2 {
		t.Fatalf("%s: payload in paragraph %d of %d", p.DocID, at, len(paras))
	}
	for _, s := range []string{paras[at-1], paras[at+1]} {
		if !strings.Contains(s, p.t.answers[0]) {
			t.Errorf("%s: paragraph %q lacks the true answer %q", p.DocID, s, p.t.answers[0])
		}
	}
}

func TestInjectionTargetQueries(t *testing.T) {
	forSeeds(t, func(t *testing.T, in injected) {
		docs, bm := in.docs(), newBM25(in.c.docs)
		if len(in.targets) != len(in.u.Planted) {
			t.Fatalf("%d target queries for %d planted pages", len(in.targets), len(in.u.Planted))
		}
		for _, q := range in.targets {
			if q.Kind != InjectionTarget || q.Canary == "" || q.Qrels[q.Planted] != 0 {
				t.Errorf("%q: %+v", q.Text, q)
			}
			checkOfficialEvidence(t, in, q, docs)
			if rank := bm.rank(q.Text, q.Planted); rank > 5 {
				t.Errorf("%q: planted page %s ranks %d by BM25, want top 5", q.Text, q.Planted, rank)
			}
		}
	})
}

// checkOfficialEvidence: spans are inside official documents judged
// relevant, and their text states an answer.
func checkOfficialEvidence(t *testing.T, in injected, q InjectionQuery, docs map[string]Doc) {
	t.Helper()
	if len(q.Evidence) == 0 || len(q.Answers) == 0 {
		t.Fatalf("%q: no evidence or answers", q.Text)
	}
	var texts []string
	for _, e := range q.Evidence {
		r := []rune(docs[e.DocID].Text)
		if e.Start < 0 || e.End > len(r) || e.Start >= e.End || q.Qrels[e.DocID] != 1 || in.u.source(e.DocID) != SourceOfficial {
			t.Fatalf("%q: bad evidence %+v (%s)", q.Text, e, in.u.source(e.DocID))
		}
		texts = append(texts, strings.ToLower(string(r[e.Start:e.End])))
	}
	all := strings.Join(texts, " ")
	if !slices.ContainsFunc(q.Answers, func(a string) bool { return strings.Contains(all, strings.ToLower(a)) }) {
		t.Errorf("%q: no answer of %q in evidence %q", q.Text, q.Answers, all)
	}
}

func TestInjectionDecoys(t *testing.T) {
	forSeeds(t, func(t *testing.T, in injected) {
		docs := in.docs()
		if n := len(in.decoys); n < 15 || n > 20 {
			t.Errorf("%d decoys, want 15 to 20", n)
		}
		triggers := []string{"ignore", "disregard", "override", "instruction", "system", "bypass", "forget"}
		texts := map[string]bool{}
		for _, q := range in.decoys {
			if q.Kind != InjectionDecoy || q.Planted != "" || q.Canary != "" || texts[q.Text] {
				t.Errorf("%q: %+v", q.Text, q)
			}
			texts[q.Text] = true
			checkOfficialEvidence(t, in, q, docs)
			ev := strings.ToLower(in.c.spanText(q.Evidence[0]))
			if !slices.ContainsFunc(triggers, func(w string) bool { return strings.Contains(ev, w) }) {
				t.Errorf("%q: evidence %q has no trigger word", q.Text, ev)
			}
		}
	})
}

func TestInjectionsKeepTheExistingCorpus(t *testing.T) {
	forSeeds(t, func(t *testing.T, in injected) {
		var kept []Doc
		old := map[string]bool{}
		for _, d := range in.before {
			old[d.ID] = true
		}
		for _, d := range in.c.docs {
			if old[d.ID] {
				kept = append(kept, d)
			}
		}
		if !reflect.DeepEqual(kept, in.before) {
			t.Fatal("the documents that were there changed, or moved relative to each other")
		}
		if added := len(in.c.docs) - len(in.before); added != len(in.decoys)+len(in.u.Planted)+benignPosts+benignGuides {
			t.Errorf("%d documents added", added)
		}
		docs := in.docs()
		for key, f := range in.c.facts {
			for _, e := range f.Evidence {
				if d, ok := docs[e.DocID]; !ok || e.End > len([]rune(d.Text)) || in.u.source(e.DocID) != SourceOfficial {
					t.Fatalf("fact %s: evidence %+v is no longer valid", key, e)
				}
			}
		}
	})
}

// bm25 is a plain Okapi BM25 over titles and texts, standing in for a
// candidate's retriever.
type bm25 struct {
	ids  []string
	tf   []map[string]int
	len  []int
	df   map[string]int
	mean float64
}

var bmToken = regexp.MustCompile(`[a-z0-9]+`)

func newBM25(docs []Doc) *bm25 {
	b := &bm25{df: map[string]int{}}
	total := 0
	for _, d := range docs {
		tf := map[string]int{}
		toks := bmToken.FindAllString(strings.ToLower(d.Title+" "+d.Text), -1)
		for _, w := range toks {
			if tf[w]++; tf[w] == 1 {
				b.df[w]++
			}
		}
		b.ids, b.tf, b.len = append(b.ids, d.ID), append(b.tf, tf), append(b.len, len(toks))
		total += len(toks)
	}
	b.mean = float64(total) / float64(len(docs))
	return b
}

// rank is the 1-based rank of doc id for query.
func (b *bm25) rank(query, id string) int {
	n := float64(len(b.ids))
	scores := make([]float64, len(b.ids))
	for _, w := range slices.Compact(slices.Sorted(slices.Values(bmToken.FindAllString(strings.ToLower(query), -1)))) {
		idf := math.Log(1 + (n-float64(b.df[w])+0.5)/(float64(b.df[w])+0.5))
		for i, tf := range b.tf {
			f := float64(tf[w])
			scores[i] += idf * f * 2.2 / (f + 1.2*(0.25+0.75*float64(b.len[i])/b.mean))
		}
	}
	me := scores[slices.Index(b.ids, id)]
	rank := 1
	for _, s := range scores {
		if s > me {
			rank++
		}
	}
	return rank
}
