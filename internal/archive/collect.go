package archive

import (
	"io"
	"slices"
	"strings"

	"golang.org/x/text/cases"

	"takehome/exercises"
	"takehome/grader"
)

// collector checks entries in the order they come and keeps the files. One
// collector reads one archive or directory; it is not safe for concurrent use.
type collector struct {
	lim     Limits
	what    string            // "archive" or "directory", for messages
	skip    func(string) bool // clean names dropped after their checks
	discard bool              // count file content but do not keep it
	fold    cases.Caser
	root    *node
	entries int
	size    int64
	files   []exercises.File
}

func newCollector(lim Limits, what string) *collector {
	return &collector{lim: lim, what: what, fold: cases.Fold(), root: &node{}}
}

// count counts one entry of any kind against the entry cap.
func (c *collector) count() error {
	c.entries++
	if c.entries > c.lim.MaxEntries {
		return c.tooManyEntries()
	}
	return nil
}

func (c *collector) tooManyEntries() error {
	return grader.Errorf(grader.CodeUnprocessable, "%s has more than %d entries", c.what, c.lim.MaxEntries)
}

func (c *collector) tooLarge() error {
	verb := "expands to"
	if c.what == "directory" {
		verb = "holds"
	}
	return grader.Errorf(grader.CodeTooLarge, "%s %s more than %s", c.what, verb, formatSize(c.lim.MaxUncompressed))
}

// entryError is the error for an entry, naming it.
func (c *collector) entryError(raw, problem string) error {
	return grader.Errorf(grader.CodeUnprocessable, "%s entry %s: %s", c.what, quoteName(raw), problem)
}

// dir checks and claims a directory entry.
func (c *collector) dir(raw string) error {
	_, err := c.claim(raw, true)
	return err
}

// file checks and claims a regular file entry and returns its clean name,
// "" when the file is to be dropped.
func (c *collector) file(raw string) (string, error) {
	return c.claim(raw, false)
}

func (c *collector) claim(raw string, dir bool) (string, error) {
	if err := c.count(); err != nil {
		return "", err
	}
	name, err := cleanName(raw, dir, c.lim)
	if err != nil {
		return "", c.entryError(raw, err.Error())
	}
	if name == "" || c.skip != nil && c.skip(name) {
		return "", nil
	}
	if problem := c.insert(strings.Split(name, "/"), dir); problem != "" {
		return "", c.entryError(raw, problem)
	}
	return name, nil
}

// read reads the content of a claimed file, never more than the bytes left
// under the uncompressed cap. When discarding, it only counts them.
// Otherwise size, what the headers declare, sizes the buffer: the first pass
// proved it right.
func (c *collector) read(r io.Reader, size int64) ([]byte, error) {
	left := c.lim.MaxUncompressed - c.size
	r = io.LimitReader(r, left+1)
	var data []byte
	var n int64
	var err error
	if c.discard {
		n, err = io.Copy(io.Discard, r)
	} else {
		data, err = readAll(r, min(max(size, 0), left))
		n = int64(len(data))
	}
	c.size += n
	if c.size > c.lim.MaxUncompressed {
		return nil, c.tooLarge()
	}
	return data, err
}

// readAll is io.ReadAll with a first buffer of size bytes and room to see
// the end, so that a right size means one allocation.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size+512)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// keep records the content of a file.
func (c *collector) keep(name string, data []byte) {
	c.files = append(c.files, exercises.File{Name: name, Data: data})
}

// result returns the files, sorted, with a wrapping folder stripped.
func (c *collector) result() ([]exercises.File, error) {
	if len(c.files) == 0 {
		return nil, grader.Errorf(grader.CodeUnprocessable, "%s contains no files", c.what)
	}
	files := stripFolder(c.files)
	slices.SortFunc(files, func(a, b exercises.File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// stripFolder removes the top-level directory every file sits in when that
// directory holds takehome.yaml: the candidate zipped their folder.
func stripFolder(files []exercises.File) []exercises.File {
	top, _, ok := strings.Cut(files[0].Name, "/")
	if !ok {
		return files
	}
	prefix := top + "/"
	for _, f := range files {
		if !strings.HasPrefix(f.Name, prefix) {
			return files
		}
	}
	if _, ok := exercises.FindFile(files, prefix+"takehome.yaml"); !ok {
		return files
	}
	for i := range files {
		files[i].Name = strings.TrimPrefix(files[i].Name, prefix)
	}
	return files
}
