package tabular

import (
	"embed"
	"fmt"
	"io/fs"
	"path"

	"takehome/exercises"
)

//go:embed kit/BRIEF.md
var brief string

//go:embed kit/DATA_DICTIONARY.md
var dictionary []byte

//go:embed references
var referenceFS embed.FS

// starterKit is what the invite's zip holds: the brief, the dictionary, the
// training data and the baseline submission to start from.
func starterKit(trainCSV []byte) []exercises.File {
	kit := []exercises.File{
		{Name: "README.md", Data: []byte(brief)},
		{Name: "DATA_DICTIONARY.md", Data: dictionary},
		{Name: TrainFile, Data: trainCSV},
	}
	base, err := referenceFiles("baseline")
	if err != nil {
		panic(err) // embedded at build time: cannot fail at run time
	}
	return append(kit, base...)
}

var references = []struct{ name, description string }{
	{"leaky", "Gradient boosting on every column, validated on a random split: rides the planted leaks."},
	{"baseline", "Logistic regression on four honest columns; the starter kit's baseline."},
	{"careful", "Drops the leaks, deduplicates, validates forward in time and declares that score."},
}

// References implements exercises.Referencer.
func (Exercise) References() ([]exercises.Reference, error) {
	var out []exercises.Reference
	for _, r := range references {
		files, err := referenceFiles(r.name)
		if err != nil {
			return nil, err
		}
		out = append(out, exercises.Reference{Name: r.name, Description: r.description, Files: files})
	}
	return out, nil
}

// referenceFiles reads one embedded reference submission.
func referenceFiles(name string) ([]exercises.File, error) {
	root := path.Join("references", name)
	var files []exercises.File
	err := fs.WalkDir(referenceFS, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := referenceFS.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, exercises.File{Name: p[len(root)+1:], Data: data})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reference %s: %w", name, err)
	}
	return files, nil
}
