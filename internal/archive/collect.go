package archive

import (
	"io"
	"slices"
	"strings"

	"golang.org/x/text/cases"

	"takehome/exercises"
	"takehome/grader"
)

// keepPolicy says which file contents a collector keeps.
type keepPolicy int

const (
	keepNone  keepPolicy = iota // count content, keep nothing
	keepSmall                   // the manifest and small files, as Check documents
	keepAll                     // every file
)

// collector checks entries in the order they come, lists the files and keeps
// the content its policy asks for. One collector reads one archive or
// directory; it is not safe for concurrent use.
type collector struct {
	lim    Limits
	what   string            // "archive" or "directory", for messages
	skip   func(string) bool // clean names dropped after their checks
	policy keepPolicy
	fold   cases.Caser
	root   *node
	// entries and size count what was seen against the caps.
	entries int
	size    int64
	names   []string         // every file, clean
	files   []exercises.File // the files kept
	// small and nested track keepSmall: bytes kept under the shared budget,
	// and whether a nested manifest candidate was kept already.
	small  int64
	nested bool
}

func newCollector(lim Limits, what string, policy keepPolicy) *collector {
	return &collector{lim: lim, what: what, policy: policy, fold: cases.Fold(), root: &node{}}
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
	return grader.Errorf(grader.CodeTooLarge, "%s %s more than %s", c.what, verb, grader.FormatBytes(c.lim.MaxUncompressed))
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
	name, err := c.claim(raw, false)
	if name != "" {
		c.names = append(c.names, name)
	}
	return name, err
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

// read reads the content of the claimed file name ("" for a dropped one),
// never more than the bytes left under the uncompressed cap, and keeps it
// when the policy wants it. It returns the bytes read. size is what the
// headers declare: it sizes the buffer of a kept file, and the walkers make
// sure no more than size (plus one, to see a lie) is read.
func (c *collector) read(name string, r io.Reader, size int64) (int64, error) {
	left := c.lim.MaxUncompressed - c.size
	r = io.LimitReader(r, left+1)
	var n int64
	var err error
	if name != "" && c.wants(name, size) {
		var data []byte
		data, err = readAll(r, min(max(size, 0), left))
		n = int64(len(data))
		c.keep(name, data)
	} else {
		n, err = io.Copy(io.Discard, r)
	}
	c.size += n
	if c.size > c.lim.MaxUncompressed {
		return n, c.tooLarge()
	}
	return n, err
}

// wants says whether to keep the content of a file of the declared size.
// Under keepSmall, a manifest candidate is kept whatever the budget: see
// manifestCandidate.
func (c *collector) wants(name string, size int64) bool {
	switch c.policy {
	case keepAll:
		return true
	case keepNone:
		return false
	}
	if size > MaxSmallFile {
		return false
	}
	if c.manifestCandidate(name) {
		return true
	}
	if c.small+size > MaxSmallTotal {
		return false
	}
	c.small += size
	return true
}

// manifestCandidate reports the files that may end up named takehome.yaml:
// the root one, and the first top/takehome.yaml, which becomes the root one
// when its folder is stripped. Duplicates are refused, and a second folder
// holding takehome.yaml means there is more than one top-level folder, so
// nothing is stripped: at most two files are kept this way.
func (c *collector) manifestCandidate(name string) bool {
	if name == manifestName {
		return true
	}
	_, rest, ok := strings.Cut(name, "/")
	if !ok || rest != manifestName || c.nested {
		return false
	}
	c.nested = true
	return true
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

// finish refuses an archive without files, strips a wrapping folder and
// sorts the names and the kept files.
func (c *collector) finish() error {
	if len(c.names) == 0 {
		return grader.Errorf(grader.CodeUnprocessable, "%s contains no files", c.what)
	}
	if prefix := folderPrefix(c.names); prefix != "" {
		for i := range c.names {
			c.names[i] = strings.TrimPrefix(c.names[i], prefix)
		}
		for i := range c.files {
			c.files[i].Name = strings.TrimPrefix(c.files[i].Name, prefix)
		}
	}
	slices.Sort(c.names)
	slices.SortFunc(c.files, func(a, b exercises.File) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// manifestName is the file whose folder is stripped; see folderPrefix.
const manifestName = "takehome.yaml"

// folderPrefix returns "top/" when every file sits in the top-level directory
// top and that directory holds takehome.yaml: the candidate zipped their
// folder, which is stripped. It returns "" otherwise.
func folderPrefix(names []string) string {
	top, _, ok := strings.Cut(names[0], "/")
	if !ok {
		return ""
	}
	prefix := top + "/"
	for _, name := range names {
		if !strings.HasPrefix(name, prefix) {
			return ""
		}
	}
	if !slices.Contains(names, prefix+manifestName) {
		return ""
	}
	return prefix
}
