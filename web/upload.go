package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// multipartSlack is what the request body may hold besides the archive:
// part headers, boundaries and the mode field.
const multipartSlack = 64 << 10

// maxFieldBytes bounds a form field other than the archive.
const maxFieldBytes = 1 << 10

// upload is the content of a submission request. The archive is spooled to
// a temporary file; remove deletes it.
type upload struct {
	archive *os.File // nil until the archive field is read
	size    int64
	mode    string
	key     string // the pages' idempotency key (the API sends a header)
	confirm string // the pages' confirmation of a final submission
}

// readUpload streams the multipart body: the archive to a temporary file,
// the other fields, in any order, to memory. It never holds more than a
// buffer of the archive in memory, and leaves nothing on disk on error.
func (s *Server) readUpload(c *gin.Context) (*upload, error) {
	limit := s.cfg.MaxUploadBytes
	tooLarge := grader.Errorf(grader.CodeTooLarge, "the archive exceeds the upload limit of %s", grader.FormatBytes(limit))
	r := c.Request
	if r.ContentLength > limit+multipartSlack {
		return nil, tooLarge
	}
	r.Body = http.MaxBytesReader(c.Writer, r.Body, limit+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, grader.Errorf(grader.CodeInvalid, "the request must be multipart/form-data with an archive field")
	}
	up := &upload{}
	if err := up.readParts(mr, limit, tooLarge); err != nil {
		up.remove()
		return nil, err
	}
	if up.archive == nil {
		return nil, grader.Errorf(grader.CodeInvalid, "the archive field is required")
	}
	return up, nil
}

// readParts reads the parts of the body in turn.
func (up *upload) readParts(mr *multipart.Reader, limit int64, tooLarge error) error {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return readError(err, tooLarge)
		}
		err = up.read(part.FormName(), part, limit, tooLarge)
		_ = part.Close() // a multipart part holds no resource of its own
		if err != nil {
			return err
		}
	}
}

// read takes in one form field; unknown fields are skipped.
func (up *upload) read(name string, r io.Reader, limit int64, tooLarge error) error {
	switch name {
	case "archive":
		if up.archive != nil {
			return grader.Errorf(grader.CodeInvalid, "send one archive field, not several")
		}
		return up.spool(r, limit, tooLarge)
	case "mode", "key", "confirm":
		data, err := io.ReadAll(io.LimitReader(r, maxFieldBytes))
		if err != nil {
			return readError(err, tooLarge)
		}
		*up.field(name) = string(data)
	}
	return nil
}

// field returns where a small form field is kept.
func (up *upload) field(name string) *string {
	switch name {
	case "key":
		return &up.key
	case "confirm":
		return &up.confirm
	}
	return &up.mode
}

// spool copies the archive to a new temporary file, at most limit bytes.
func (up *upload) spool(r io.Reader, limit int64, tooLarge error) error {
	f, err := os.CreateTemp("", "takehome-upload-*")
	if err != nil {
		return fmt.Errorf("spool archive: %w", err)
	}
	up.archive = f
	body := &bodyReader{r: io.LimitReader(r, limit+1)}
	n, err := io.Copy(f, body)
	switch {
	case body.err != nil:
		return readError(body.err, tooLarge)
	case err != nil:
		return fmt.Errorf("spool archive: %w", err)
	case n > limit:
		return tooLarge
	}
	up.size = n
	return nil
}

// remove closes and deletes the spooled archive, if any.
func (up *upload) remove() {
	if up.archive == nil {
		return
	}
	_ = up.archive.Close()
	_ = os.Remove(up.archive.Name())
	up.archive = nil
}

// bodyReader remembers an error reading the request body, to tell it from
// an error writing the temporary file.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		b.err = err
	}
	return n, err
}

// readError tells an oversized body from a malformed one.
func readError(err, tooLarge error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return tooLarge
	}
	return grader.Errorf(grader.CodeInvalid, "malformed multipart body: %v", err)
}
