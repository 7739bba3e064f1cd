package rag

import (
	"embed"
	"io/fs"
	"path"

	"takehome/exercises"
)

//go:embed references
var referenceFS embed.FS

// referenceInfo names the reference submissions in the order the grader
// must rank them.
var referenceInfo = []struct{ name, description string }{
	{"bm25-chunked", "BM25 over title-tagged chunks of at most 600 characters, typo correction, latest policy version first, pattern-based answers, abstains on unknown names."},
	{"tfidf-whole-doc", "scikit-learn TF-IDF cosine over whole articles; passages are whole articles; never abstains."},
	{"first-docs", "Returns the first 20 articles of the corpus for every query."},
}

// References implements exercises.Referencer.
func (Exercise) References() ([]exercises.Reference, error) {
	var out []exercises.Reference
	for _, r := range referenceInfo {
		files, err := readTree(path.Join("references", r.name))
		if err != nil {
			return nil, err
		}
		out = append(out, exercises.Reference{Name: r.name, Description: r.description, Files: files})
	}
	return out, nil
}

// readTree reads the embedded directory root as submission files.
func readTree(root string) ([]exercises.File, error) {
	var files []exercises.File
	err := fs.WalkDir(referenceFS, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := referenceFS.ReadFile(p)
		if err != nil {
			return err
		}
		rel := p[len(root)+1:]
		files = append(files, exercises.File{Name: rel, Data: data})
		return nil
	})
	return files, err
}
