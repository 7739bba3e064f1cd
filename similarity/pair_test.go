package similarity

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Transformations a candidate might apply to a copied solution.

// renamed renames the solution's own identifiers.
func renamed(src string) string {
	names := map[string]string{
		"X": "feats", "y": "labels", "seed": "rs", "split_columns": "partition",
		"build_pipeline": "make_model", "best_threshold": "pick_cut", "numeric": "nums",
		"categorical": "cats", "pipeline": "pipe", "threshold": "cut", "scores": "probs",
		"model": "mdl", "best": "top", "best_f1": "top_score", "f1": "score", "features": "prep",
		"classifier": "clf", "X_train": "xa", "X_val": "xb", "y_train": "ya", "y_val": "yb",
		"predicted": "hard", "metrics": "results", "args": "opts", "numeric_steps": "num_part",
		"categorical_steps": "cat_part", "y_true": "truth", "ID_COLUMNS": "SKIP", "c": "col",
	}
	return regexp.MustCompile(`\b[A-Za-z_][A-Za-z0-9_]*\b`).ReplaceAllStringFunc(src, func(w string) string {
		if n, ok := names[w]; ok {
			return n
		}
		return w
	})
}

// recommented drops every comment and docstring and adds other comments.
func recommented(src string) string {
	src = regexp.MustCompile(`(?m)^\s*#.*\n|  # .*`).ReplaceAllString(src, "")
	src = regexp.MustCompile(`(?s)\n\s*"""[^"]*"""`).ReplaceAllString(src, "")
	return strings.ReplaceAll(src, "\ndef ", "\n# --- helper ---\ndef ")
}

// respaced halves the indentation, removes blank lines and pads commas,
// assignments and brackets.
func respaced(src string) string {
	src = regexp.MustCompile(`(?m)^((?:    )+)`).ReplaceAllStringFunc(src, func(s string) string {
		return strings.Repeat("  ", len(s)/4)
	})
	src = regexp.MustCompile(`\n\s*\n`).ReplaceAllString(src, "\n")
	return strings.NewReplacer(", ", " ,  ", " = ", "  =  ", "(", "( ", "[", " [").Replace(src)
}

// reordered reverses the order of the top-level functions.
func reordered(src string) string {
	parts := strings.Split(src, "\n\n\ndef ")
	head, defs := parts[0], parts[1:]
	last := defs[len(defs)-1]
	i := strings.Index(last, "\n\n\nif __name__")
	defs[len(defs)-1], last = last[:i], last[i:]
	slices.Reverse(defs)
	return head + "\n\n\ndef " + strings.Join(defs, "\n\n\ndef ") + last
}

// topLevel returns the top-level def or class named name, with its body.
func topLevel(t *testing.T, src, name string) string {
	t.Helper()
	re := regexp.MustCompile(`(?ms)^(?:@\w+\n)?(?:def|class) ` + name + `\b.*?\n(?:\n\n|\z)`)
	block := re.FindString(src)
	if block == "" {
		t.Fatalf("no top-level %s", name)
	}
	return block
}

func TestCompareIdentical(t *testing.T) {
	a := churnDoc(t, "solution_a.py")
	p := Compare(a, a, nil)
	if p.Similarity != 1 || p.MaxContainment() != 1 || p.LeftContainment() != 1 || p.RightContainment() != 1 {
		t.Errorf("identical: similarity %v, containment %v/%v", p.Similarity, p.LeftContainment(), p.RightContainment())
	}
	if p.Longest.Kgrams != len(a.Kgrams) || len(p.Fragments) != 1 || p.Fragments[0].Left != p.Fragments[0].Right {
		t.Errorf("identical: longest %+v, fragments %+v", p.Longest, p.Fragments)
	}
	first, last := a.Kgrams[0], a.Kgrams[len(a.Kgrams)-1]
	want := Span{File: "train.py", First: int(first.First), Last: int(last.Last)}
	if p.Longest.Left != want {
		t.Errorf("longest fragment spans %+v, want %+v", p.Longest.Left, want)
	}
	if p.Short {
		t.Error("a full solution counts as short")
	}
}

// TestCompareDisguised: copies disguised by renaming, new comments,
// reformatting and reordered functions, alone and all together, still
// score high against the original, template code excluded; the first three
// do not change the score at all.
func TestCompareDisguised(t *testing.T) {
	src := string(churnSource(t, "solution_a.py"))
	orig := churnDoc(t, "solution_a.py")
	tpl := starter(t)
	tests := []struct {
		name  string
		src   string
		exact bool // the tokens do not change, so the score is exactly 1
	}{
		{"renamed", renamed(src), true},
		{"recommented", recommented(src), true},
		{"respaced", respaced(src), true},
		{"reordered", reordered(src), false},
		{"all four", respaced(recommented(renamed(reordered(src)))), false},
		{"hand-disguised file", string(churnSource(t, "solution_a_disguised.py")), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.src == src {
				t.Fatal("the transformation changed nothing")
			}
			doc := Fingerprint(submission([]byte(tt.src)), Config{}).Without(tpl)
			p := Compare(orig, doc, nil)
			if p.Similarity < 0.8 || p.MaxContainment() < 0.8 {
				t.Errorf("similarity %.3f, max containment %.3f, want >= 0.8", p.Similarity, p.MaxContainment())
			}
			if tt.exact && p.Similarity != 1 {
				t.Errorf("similarity %.3f, want exactly 1", p.Similarity)
			}
			t.Logf("similarity %.3f, containment %.3f/%.3f, longest %d fingerprints (%d tokens), %d fragments",
				p.Similarity, p.LeftContainment(), p.RightContainment(), p.Longest.Kgrams, p.Longest.Tokens, len(p.Fragments))
		})
	}
}

// TestCompareIndependent: two solutions written separately for the same
// task, with the same starter code and libraries, score low.
func TestCompareIndependent(t *testing.T) {
	a, b := churnDoc(t, "solution_a.py"), churnDoc(t, "solution_b.py")
	p := Compare(a, b, nil)
	if p.Similarity > 0.2 || p.MaxContainment() > 0.2 {
		t.Errorf("independent: similarity %.3f, max containment %.3f, want <= 0.2", p.Similarity, p.MaxContainment())
	}
	if d := Compare(churnDoc(t, "solution_a_disguised.py"), b, nil); d.Similarity > 0.2 {
		t.Errorf("disguised a against b: similarity %.3f, want <= 0.2", d.Similarity)
	}
	// Without template removal the shared starter code shows.
	raw := Compare(Fingerprint(submission(churnSource(t, "solution_a.py")), Config{}),
		Fingerprint(submission(churnSource(t, "solution_b.py")), Config{}), nil)
	if raw.Similarity <= p.Similarity {
		t.Errorf("the template changed nothing: %.3f with it, %.3f without", p.Similarity, raw.Similarity)
	}
	t.Logf("independent: similarity %.3f with the template removed, %.3f without", p.Similarity, raw.Similarity)
}

// TestComparePartialCopy: a submission whose own code is half copied from
// another (three of solution_a's functions) and half independent (solution_b's
// Encoder and add_features) is about half contained in the source, and its longest
// fragment lies in the copied functions on both sides.
func TestComparePartialCopy(t *testing.T) {
	a, b := string(churnSource(t, "solution_a.py")), string(churnSource(t, "solution_b.py"))
	copied := topLevel(t, a, "split_columns") + "\n" + topLevel(t, a, "build_pipeline") + "\n" + topLevel(t, a, "best_threshold")
	own := topLevel(t, b, "Encoder") + "\n" + topLevel(t, b, "add_features")
	partial := string(churnSource(t, "starter.py")) + "\n\n" + copied + "\n\n" + own
	tpl := starter(t)
	doc := Fingerprint(submission([]byte(partial)), Config{}).Without(tpl)
	src := churnDoc(t, "solution_a.py")

	share := float64(len(Tokenize([]byte(copied)))) / float64(doc.OwnTokens())
	p := Compare(src, doc, nil)
	if got := p.RightContainment(); got < share-0.15 || got > share+0.15 || p.MaxContainment() < 0.4 {
		t.Errorf("copying side contained %.3f in the source, want %.3f ± 0.15 (max containment %.3f)", got, share, p.MaxContainment())
	}
	lines := strings.Count(a[:strings.Index(a, copied[:40])], "\n")
	inA := Span{File: "train.py", First: lines + 1, Last: lines + strings.Count(copied, "\n")}
	if l := p.Longest.Left; l.First < inA.First || l.Last > inA.Last || p.Longest.Kgrams < 10 {
		t.Errorf("longest fragment %+v, want at least 10 fingerprints within lines %d-%d of the source", p.Longest, inA.First, inA.Last)
	}
	t.Logf("copied share %.3f: containment %.3f/%.3f, similarity %.3f, %d fragments", share,
		p.LeftContainment(), p.RightContainment(), p.Similarity, len(p.Fragments))
}

func TestCompareSymmetric(t *testing.T) {
	a, b := churnDoc(t, "solution_a.py"), churnDoc(t, "solution_a_disguised.py")
	ab, ba := Compare(a, b, nil), Compare(b, a, nil)
	if ab.Similarity != ba.Similarity || ab.LeftCovered != ba.RightCovered || ab.LeftTotal != ba.RightTotal ||
		ab.Longest.Left != ba.Longest.Right || ab.Longest.Right != ba.Longest.Left || ab.Longest.Kgrams != ba.Longest.Kgrams {
		t.Errorf("Compare is not symmetric:\n%+v\n%+v", ab, ba)
	}
	mirrored := map[[2]Span]bool{}
	for _, f := range ba.Fragments {
		mirrored[[2]Span{f.Right, f.Left}] = true
	}
	for _, f := range ab.Fragments {
		if !mirrored[[2]Span{f.Left, f.Right}] || len(ab.Fragments) != len(ba.Fragments) {
			t.Fatalf("fragments differ when the sides swap:\n%+v\n%+v", ab.Fragments, ba.Fragments)
		}
	}
}

func TestShortSolution(t *testing.T) {
	tpl := starter(t)
	a := churnDoc(t, "solution_a.py")
	bare := Fingerprint(submission(churnSource(t, "starter.py")), Config{}).Without(tpl)
	tiny := Fingerprint(submission([]byte("def add(a, b):\n    return [x + y for x, y in zip(a, b)]\n")), Config{})
	if !ShortSolution(a, bare) || !ShortSolution(tiny, a) || ShortSolution(a, churnDoc(t, "solution_b.py")) {
		t.Error("ShortSolution wrong")
	}
	if p := Compare(a, bare, nil); !p.Short || p.Similarity != 0 {
		t.Errorf("starter only: short %v, similarity %.3f; want short and 0", p.Short, p.Similarity)
	}
	if p := Compare(tiny, tiny, nil); !p.Short || p.Similarity != 1 {
		t.Errorf("tiny pair: short %v, similarity %.3f", p.Short, p.Similarity)
	}
}

// kgramDoc is a document of hand-made fingerprints: hash h at line i+1
// spanning two lines, in file files[i] (file 0 when files is nil).
func kgramDoc(hashes []uint64, files []int32) Document {
	doc := Document{Files: []string{"x.py", "y.py"}, K: DefaultK}
	for i, h := range hashes {
		g := Kgram{Hash: h, Offset: int32(i), First: int32(i + 1), Last: int32(i + 2)}
		if files != nil {
			g.File = files[i]
		}
		doc.Kgrams = append(doc.Kgrams, g)
	}
	return doc
}

func TestFragments(t *testing.T) {
	tests := []struct {
		name        string
		left, right Document
		want        []Span // left then right span of each fragment
		longest     int
	}{
		{"one changed fingerprint: adjacent lines merge",
			kgramDoc([]uint64{1, 2, 3, 90, 4, 5}, nil), kgramDoc([]uint64{1, 2, 3, 91, 4, 5}, nil),
			[]Span{{"x.py", 1, 7}, {"x.py", 1, 7}}, 3},
		{"a gap of lines keeps fragments apart",
			kgramDoc([]uint64{1, 2, 3, 90, 91, 92, 4, 5}, nil), kgramDoc([]uint64{1, 2, 3, 93, 94, 95, 4, 5}, nil),
			[]Span{{"x.py", 1, 4}, {"x.py", 1, 4}, {"x.py", 7, 9}, {"x.py", 7, 9}}, 3},
		{"moved code is a separate fragment",
			kgramDoc([]uint64{1, 2, 3, 4, 5, 6}, nil), kgramDoc([]uint64{4, 5, 6, 1, 2, 3}, nil),
			[]Span{{"x.py", 1, 4}, {"x.py", 4, 7}, {"x.py", 4, 7}, {"x.py", 1, 4}}, 3},
		{"a run stops at a file boundary",
			kgramDoc([]uint64{1, 2, 3, 4}, []int32{0, 0, 1, 1}), kgramDoc([]uint64{1, 2, 3, 4}, nil),
			[]Span{{"x.py", 1, 3}, {"x.py", 1, 3}, {"y.py", 3, 5}, {"x.py", 3, 5}}, 2},
		{"repeated code pairs each fingerprint once",
			kgramDoc([]uint64{1, 2, 3, 1, 2, 3}, nil), kgramDoc([]uint64{1, 2, 3}, nil),
			[]Span{{"x.py", 1, 4}, {"x.py", 1, 4}}, 3},
		{"nothing shared", kgramDoc([]uint64{1, 2}, nil), kgramDoc([]uint64{3, 4}, nil), nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Compare(tt.left, tt.right, nil)
			var got []Span
			for _, f := range p.Fragments {
				got = append(got, f.Left, f.Right)
			}
			if !slices.Equal(got, tt.want) || p.Longest.Kgrams != tt.longest {
				t.Errorf("fragments %v, longest %d; want %v, %d", got, p.Longest.Kgrams, tt.want, tt.longest)
			}
		})
	}
}

// TestCompareRepeatedCode: a block pasted hundreds of times is scored
// quickly, and no fingerprint is used twice in fragments.
func TestCompareRepeatedCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	block := randomTokens(rng, 120)
	var many, some []Token
	for range 400 {
		many = append(many, block...)
	}
	for range 10 {
		some = append(some, block...)
	}
	start := time.Now()
	p := Compare(tokenDoc(many), tokenDoc(many), nil)
	if p.Similarity != 1 {
		t.Errorf("similarity %v, want 1", p.Similarity)
	}
	q := Compare(tokenDoc(some), tokenDoc(block), nil)
	used := 0
	for _, f := range q.Fragments {
		used += f.Kgrams
	}
	if used > q.RightTotal || q.Longest.Kgrams != q.RightTotal {
		t.Errorf("fragments use %d fingerprints, longest %d, of %d", used, q.Longest.Kgrams, q.RightTotal)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("repeated code took %v", d)
	}
}

// TestCompareIgnoresCommon: fingerprints the common function rejects count
// on neither side.
func TestCompareIgnoresCommon(t *testing.T) {
	a := kgramDoc([]uint64{1, 2, 3, 4}, nil)
	b := kgramDoc([]uint64{1, 2, 5, 6}, nil)
	p := Compare(a, b, func(h uint64) bool { return h == 1 })
	if p.LeftTotal != 3 || p.RightTotal != 3 || p.LeftIgnored != 1 || p.RightIgnored != 1 ||
		p.LeftCovered != 1 || p.Similarity != 2.0/6 {
		t.Errorf("Compare ignoring hash 1 = %+v", p)
	}
}
