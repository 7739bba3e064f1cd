package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"takehome/grader"
)

// headerAllowance is the tar stream an entry may take beyond its content:
// its header, extended headers for long names, and block padding.
const headerAllowance = 4 << 10

// streamBuffer is the read buffer of a tar or tar.gz stream.
const streamBuffer = 32 << 10

// stream reads the size bytes of r in order, buffered.
func stream(r io.ReaderAt, size int64) io.Reader {
	return bufio.NewReaderSize(io.NewSectionReader(r, 0, size), streamBuffer)
}

// walkTarGz reads a gzip-compressed tar.
func walkTarGz(c *collector, r io.Reader) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return corrupt("tar.gz", err)
	}
	return walkTar(c, zr, "tar.gz")
}

// walkTar reads a tar stream entry by entry. The stream itself is capped (the
// uncompressed cap plus a header allowance per entry) so that neither file
// content nor metadata the tar reader consumes on its own can expand
// without bound.
func walkTar(c *collector, r io.Reader, format string) error {
	lim := c.lim
	stream := &capReader{r: r, left: lim.MaxUncompressed + int64(lim.MaxEntries+1)*headerAllowance}
	tr := tar.NewReader(stream)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, tar.ErrInsecurePath) { // our own checks say more
			err = nil
		}
		switch {
		case stream.hit:
			return c.tooLarge()
		case err == io.EOF:
			return nil
		case err != nil:
			return corrupt(format, err)
		}
		if err := readTarEntry(c, tr, hdr); err != nil {
			if stream.hit {
				return c.tooLarge()
			}
			return err
		}
	}
}

// readTarEntry checks one entry and reads it if it is a file.
func readTarEntry(c *collector, tr *tar.Reader, hdr *tar.Header) error {
	switch hdr.Typeflag {
	case tar.TypeDir:
		return c.dir(hdr.Name)
	case tar.TypeXGlobalHeader: // metadata, e.g. the commit of git archive
		return c.count()
	case tar.TypeReg, '\x00': // '\x00' is the pre-POSIX regular file
		return readTarFile(c, tr, hdr)
	case tar.TypeLink:
		return c.entryError(hdr.Name, "hard links are not allowed")
	case tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return c.entryError(hdr.Name, typeProblem(hdr.FileInfo().Mode()))
	}
	return c.entryError(hdr.Name, fmt.Sprintf("entry type %q is not allowed", hdr.Typeflag))
}

func readTarFile(c *collector, tr *tar.Reader, hdr *tar.Header) error {
	name, err := c.file(hdr.Name)
	if err != nil {
		return err
	}
	// The header is trusted to refuse a bomb early; the read is capped anyway.
	if hdr.Size > c.lim.MaxUncompressed-c.size {
		return c.tooLarge()
	}
	_, err = c.read(name, tr, hdr.Size) // the tar reader yields exactly hdr.Size bytes or fails
	var gerr *grader.Error
	switch {
	case errors.As(err, &gerr):
		return err
	case err != nil:
		return c.entryError(hdr.Name, fmt.Sprintf("corrupt or truncated data (%v)", err))
	}
	return nil
}

// capReader reads at most left bytes, then fails and remembers it did.
type capReader struct {
	r    io.Reader
	left int64
	hit  bool
}

var errCap = errors.New("stream cap reached")

func (r *capReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		r.hit = true
		return 0, errCap
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	return n, err
}
