package rag

import (
	"io"
	"strings"
	"testing"

	"takehome/exercises"
)

func TestBEIRFiles(t *testing.T) {
	read := func(r io.Reader) string { b, _ := io.ReadAll(r); return string(b) }
	for _, prefix := range []string{"", "scifact/"} {
		files := []exercises.File{
			{Name: prefix + "corpus.jsonl", Data: []byte("c")},
			{Name: prefix + "queries.jsonl", Data: []byte("q")},
			{Name: prefix + "qrels/test.tsv", Data: []byte("r")},
			{Name: prefix + "README.md", Data: []byte("x")},
		}
		b, err := BEIRFiles(files)
		if err != nil {
			t.Fatalf("%q: %v", prefix, err)
		}
		if got := read(b.Corpus) + read(b.Queries) + read(b.Qrels); got != "cqr" {
			t.Errorf("%q: read %q", prefix, got)
		}
	}
	_, err := BEIRFiles([]exercises.File{{Name: "a/b/corpus.jsonl"}, {Name: "queries.jsonl"}})
	if err == nil || !strings.Contains(err.Error(), "no corpus.jsonl") {
		t.Errorf("nested too deep: %v", err)
	}
}
