package similarity_test

import (
	"fmt"

	"takehome/similarity"
)

func ExampleCompare() {
	original := []byte(`
def word_counts(path):
    """Count the words of a text file."""
    counts = {}
    with open(path) as f:
        for line in f:
            for word in line.lower().split():
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])
`)
	// The same code with other names, comments and spacing.
	disguised := []byte(`
# tally
def tally(fname):
    seen = {}
    with open(fname) as fh:
        for row in fh:
            for w in row.lower().split(): seen[w] = seen.get(w, 0) + 1
    return sorted(seen.items(), key=lambda p: -p[1])
`)
	a := similarity.Fingerprint([]similarity.File{{Path: "a.py", Src: original}}, similarity.Config{})
	b := similarity.Fingerprint([]similarity.File{{Path: "b.py", Src: disguised}}, similarity.Config{})
	p := similarity.Compare(a, b, nil) // Short: too little code to flag
	fmt.Printf("similarity %.2f, containment %.2f, short %v\n", p.Similarity, p.MaxContainment(), p.Short)
	for _, f := range p.Fragments {
		fmt.Printf("%s:%d-%d matches %s:%d-%d\n", f.Left.File, f.Left.First, f.Left.Last, f.Right.File, f.Right.First, f.Right.Last)
	}
	// Output:
	// similarity 1.00, containment 1.00, short true
	// a.py:2-9 matches b.py:3-8
}
