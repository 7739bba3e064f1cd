package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"

	"takehome/grader"
)

// walkZip checks every entry of the central directory, then reads the files.
func walkZip(c *collector, r io.ReaderAt, size int64) error {
	lim := c.lim
	if countZipEntries(r, size, lim.MaxEntries) > lim.MaxEntries {
		return c.tooManyEntries()
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // our own checks say more
		return corrupt("zip", err)
	}
	if len(zr.File) > lim.MaxEntries {
		return c.tooManyEntries()
	}
	// Declared sizes are trusted to refuse a bomb early, never to accept one.
	if declaredSize(zr.File) > uint64(lim.MaxUncompressed) {
		return c.tooLarge()
	}
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		if names[i], err = checkZipEntry(c, f); err != nil {
			return err
		}
	}
	for i, f := range zr.File {
		if names[i] == "" {
			continue
		}
		if err := readZipFile(c, names[i], f); err != nil {
			return err
		}
	}
	return nil
}

// declaredSize sums the sizes the central directory claims, saturating.
func declaredSize(files []*zip.File) uint64 {
	var sum uint64
	for _, f := range files {
		if sum+f.UncompressedSize64 < sum {
			return ^uint64(0)
		}
		sum += f.UncompressedSize64
	}
	return sum
}

// checkZipEntry checks the name and type of an entry and returns the clean
// name of a file to read, "" for anything else.
func checkZipEntry(c *collector, f *zip.File) (string, error) {
	mode := f.Mode()
	switch {
	case strings.HasSuffix(f.Name, "/") || mode.IsDir():
		return "", c.dir(f.Name)
	case f.Flags&0x1 != 0:
		return "", c.entryError(f.Name, "encrypted entries are not supported")
	}
	if problem := typeProblem(mode); problem != "" {
		return "", c.entryError(f.Name, problem)
	}
	return c.file(f.Name)
}

// readZipFile decompresses the entry of the file name, never past its
// declared size nor the uncompressed cap.
func readZipFile(c *collector, name string, f *zip.File) error {
	rc, err := f.Open()
	if errors.Is(err, zip.ErrAlgorithm) {
		return c.entryError(f.Name, fmt.Sprintf("unsupported compression method %d", f.Method))
	}
	if err != nil {
		return c.entryError(f.Name, fmt.Sprintf("corrupt entry (%v)", err))
	}
	defer rc.Close()
	declared := int64(f.UncompressedSize64) // at most MaxUncompressed, checked above
	n, err := c.read(name, io.LimitReader(rc, declared+1), declared)
	var gerr *grader.Error
	switch {
	case errors.As(err, &gerr):
		return err
	case n > declared || errors.Is(err, zip.ErrFormat): // archive/zip's word for "more than declared"
		return c.entryError(f.Name, fmt.Sprintf("content is larger than its declared size of %d bytes", declared))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return c.entryError(f.Name, fmt.Sprintf("content ends before its declared size of %d bytes", declared))
	case errors.Is(err, zip.ErrChecksum):
		return c.entryError(f.Name, "checksum mismatch")
	case err != nil:
		return c.entryError(f.Name, fmt.Sprintf("corrupt data (%v)", err))
	}
	return nil
}
