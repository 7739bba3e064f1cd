package similarity

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// churnSource reads one of the churn exercise files in testdata.
func churnSource(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "churn", name))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// submission is a one-file submission, as train.py.
func submission(src []byte) []File {
	return []File{{Path: "train.py", Src: src}}
}

// starter is the churn exercise's template.
func starter(t testing.TB) Template {
	t.Helper()
	return NewTemplate(submission(churnSource(t, "starter.py")), Config{})
}

// churnDoc fingerprints a churn file with the starter code removed.
func churnDoc(t testing.TB, name string) Document {
	t.Helper()
	return Fingerprint(submission(churnSource(t, name)), Config{}).Without(starter(t))
}

func TestFingerprintDeterministic(t *testing.T) {
	a := []File{
		{Path: "pkg/model.py", Src: churnSource(t, "solution_a.py")},
		{Path: "main.py", Src: churnSource(t, "solution_b.py")},
	}
	b := []File{a[1], a[0]} // order of the input does not matter
	first, second := Fingerprint(a, Config{}), Fingerprint(b, Config{})
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("Fingerprint differs between runs (-first +second):\n%s", diff)
	}
	if len(first.Kgrams) == 0 {
		t.Fatal("no fingerprints")
	}
	if want := []string{"main.py", "pkg/model.py"}; !cmp.Equal(first.Files, want) {
		t.Errorf("Files = %v, want %v (path order)", first.Files, want)
	}
}

func TestFingerprintSelectsFiles(t *testing.T) {
	code := []byte("def f(a, b):\n    return [x * a + b for x in range(a) if x % 2 == 0]\n")
	files := []File{
		{Path: "b.py", Src: code},
		{Path: "README.md", Src: code},
		{Path: "venv/lib/site.py", Src: code},
		{Path: "src/__pycache__/x.py", Src: code},
		{Path: "big.py", Src: bytes.Repeat([]byte("x = 1\n"), MaxFileBytes/6+1)},
		{Path: "a.PY", Src: code},
	}
	doc := Fingerprint(files, Config{})
	if want := []string{"a.PY", "b.py"}; !cmp.Equal(doc.Files, want) {
		t.Errorf("Files = %v, want %v", doc.Files, want)
	}
	if want := 2 * len(Tokenize(code)); doc.Tokens != want {
		t.Errorf("Tokens = %d, want %d", doc.Tokens, want)
	}
}

// TestFingerprintSpans: each fingerprint points at lines of its own file
// that hold its k tokens, and offsets increase.
func TestFingerprintSpans(t *testing.T) {
	a, b := churnSource(t, "solution_a.py"), churnSource(t, "solution_b.py")
	doc := Fingerprint([]File{{Path: "a.py", Src: a}, {Path: "b.py", Src: b}}, Config{})
	lines := []int{bytes.Count(a, []byte("\n")), bytes.Count(b, []byte("\n"))}
	prev := int32(-1)
	for i, g := range doc.Kgrams {
		if g.Offset <= prev || g.First < 1 || g.Last < g.First || int(g.Last) > lines[g.File] {
			t.Fatalf("fingerprint %d %+v out of range (previous offset %d)", i, g, prev)
		}
		prev = g.Offset
	}
	if doc.Kgrams[len(doc.Kgrams)-1].File != 1 || doc.Kgrams[0].File != 0 {
		t.Error("fingerprints do not cover both files")
	}
	// A file of fewer than K tokens has none; one of K tokens has one.
	short := Fingerprint(submission([]byte("x = f(a, b)\n")), Config{})
	if len(short.Kgrams) != 0 || short.Tokens != 8 {
		t.Errorf("8-token file: %d fingerprints, %d tokens", len(short.Kgrams), short.Tokens)
	}
	one := Fingerprint(submission([]byte("x = -f(a, b, c, d, e)\n")), Config{})
	if len(one.Kgrams) != 1 {
		t.Errorf("15-token file: %d fingerprints, want 1", len(one.Kgrams))
	}
}

func TestWithoutTemplate(t *testing.T) {
	tpl := starter(t)
	full := Fingerprint(submission(churnSource(t, "solution_a.py")), Config{})
	doc := full.Without(tpl)
	if doc.TemplateKgrams == 0 || doc.TemplateKgrams+len(doc.Kgrams) != len(full.Kgrams) {
		t.Errorf("TemplateKgrams = %d, kept %d of %d", doc.TemplateKgrams, len(doc.Kgrams), len(full.Kgrams))
	}
	for _, g := range doc.Kgrams {
		if tpl.Contains(g.Hash) {
			t.Fatalf("template fingerprint %x kept", g.Hash)
		}
	}
	// The starter's functions are about 170 tokens of solution_a.
	if doc.TemplateTokens < 120 || doc.TemplateTokens > 220 || doc.OwnTokens() != doc.Tokens-doc.TemplateTokens {
		t.Errorf("TemplateTokens = %d of %d", doc.TemplateTokens, doc.Tokens)
	}
	// A submission of the starter code alone keeps nothing.
	bare := Fingerprint(submission(churnSource(t, "starter.py")), Config{}).Without(tpl)
	if len(bare.Kgrams) != 0 || bare.OwnTokens() > 2*DefaultW {
		t.Errorf("starter only: %d fingerprints, %d own tokens", len(bare.Kgrams), bare.OwnTokens())
	}
	// The starter with its comments and docstrings changed is still the starter.
	edited := strings.ReplaceAll(string(churnSource(t, "starter.py")), "# TODO", "# done:")
	edited = strings.ReplaceAll(edited, "Load the customer table", "Read it")
	if d := Fingerprint(submission([]byte(edited)), Config{}).Without(tpl); len(d.Kgrams) != 0 {
		t.Errorf("edited starter keeps %d fingerprints", len(d.Kgrams))
	}
	// A template fingerprinted with another K matches nothing.
	other := NewTemplate(submission(churnSource(t, "starter.py")), Config{K: 9})
	if d := full.Without(other); !cmp.Equal(d, full) {
		t.Error("a template with another K changed the document")
	}
}
