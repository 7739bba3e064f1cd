package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"takehome/exercises"
	"takehome/grader"
)

// ReadDir returns the regular files under dir with the same checks as Read
// (names, entry and size caps, collisions). It refuses symbolic links and
// special files without following or opening them, and skips only .git
// directories. A problem with the files is a *grader.Error; failing to read
// the directory is a plain error.
func ReadDir(dir string, lim Limits) ([]exercises.File, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	defer root.Close()
	c := newCollector(lim, "directory", keepAll)
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return fmt.Errorf("read %s: %w", dir, err)
		case name == ".":
			return nil
		case d.IsDir() && d.Name() == ".git":
			return fs.SkipDir
		}
		return readDirEntry(c, root, name, d.Type())
	})
	if err != nil {
		return nil, err
	}
	if err := c.finish(); err != nil {
		return nil, err
	}
	return c.files, nil
}

// readDirEntry checks one entry found by the walk; mode comes from the
// directory listing, which does not follow links.
func readDirEntry(c *collector, root *os.Root, name string, mode fs.FileMode) error {
	switch {
	case mode.IsDir():
		return c.dir(name)
	case !mode.IsRegular():
		return c.entryError(name, typeProblem(mode))
	}
	clean, err := c.file(name)
	if err != nil {
		return err
	}
	return readRootFile(c, root, name, clean)
}

// readRootFile reads a regular file as clean, checking again on the open file
// that it still is one (it may have been swapped since the listing).
func readRootFile(c *collector, root *os.Root, name, clean string) error {
	f, err := root.Open(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		return c.entryError(name, "changed while being read")
	}
	if info.Size() > c.lim.MaxUncompressed-c.size {
		return c.tooLarge()
	}
	_, err = c.read(clean, f, info.Size())
	var gerr *grader.Error
	if err != nil && !errors.As(err, &gerr) {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return err
}
