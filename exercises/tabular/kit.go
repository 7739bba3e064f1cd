package tabular

import (
	"embed"

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
	base, err := exercises.ReadFiles(referenceFS, "references/baseline")
	if err != nil {
		panic(err) // embedded at build time: cannot fail at run time
	}
	return append(kit, base...)
}

var references = []exercises.Reference{
	{Name: "leaky", Description: "Gradient boosting on every column, validated on a random split: rides the planted leaks."},
	{Name: "baseline", Description: "Logistic regression on four honest columns; the starter kit's baseline."},
	{Name: "careful", Description: "Drops the leaks, deduplicates, validates forward in time and declares that score."},
}

// References implements exercises.Referencer.
func (Exercise) References() ([]exercises.Reference, error) {
	return exercises.ReadReferences(referenceFS, "references", references)
}
