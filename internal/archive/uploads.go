package archive

import (
	"io"

	"takehome/exercises"
	"takehome/grader"
)

// Uploads applies one set of limits to candidate submissions: the check of
// an upload before it is stored and the unpacking of an accepted one for
// grading or the code browser.
type Uploads struct {
	Limits Limits
}

// Validate checks an uploaded archive of size bytes before it is stored:
// its entries (see Check) and its takehome.yaml against the exercise's
// phases, the same manifest rules the pipeline applies when grading. It
// reads the archive in pieces and keeps only small files.
func (u Uploads) Validate(r io.ReaderAt, size int64, spec exercises.Spec) error {
	l, err := Check(r, size, u.Limits)
	if err != nil {
		return err
	}
	_, err = grader.ParseManifestListing(l.Names, l.Small, spec.PhaseNames())
	return err
}

// Unpack returns the files of an accepted archive (see Read).
func (u Uploads) Unpack(data []byte) ([]exercises.File, error) {
	return Read(data, u.Limits)
}
