package exercises

import (
	"testing"
	"testing/fstest"
)

func TestReadReferences(t *testing.T) {
	fsys := fstest.MapFS{
		"refs/good/takehome.yaml": {Data: []byte("phases: {}\n")},
		"refs/good/src/main.py":   {Data: []byte("print(1)\n")},
		"refs/other/x.py":         {Data: []byte("x")},
	}
	refs, err := ReadReferences(fsys, "refs", []Reference{{Name: "good", Description: "d"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 || refs[0].Description != "d" || len(refs[0].Files) != 2 {
		t.Fatalf("refs = %+v", refs)
	}
	if f := refs[0].Files[0]; f.Name != "src/main.py" || string(f.Data) != "print(1)\n" {
		t.Errorf("first file %q %q, want src/main.py in lexical order", f.Name, f.Data)
	}
	if _, err := ReadReferences(fsys, "refs", []Reference{{Name: "missing"}}); err == nil {
		t.Error("a missing reference directory was not an error")
	}
}
