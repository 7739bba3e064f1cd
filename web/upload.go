package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// multipartSlack is what the request body may hold besides the archive:
// part headers, boundaries and the mode field.
const multipartSlack = 64 << 10

// maxFieldBytes bounds a form field other than the archive.
const maxFieldBytes = 1 << 10

// upload is the content of a submission request.
type upload struct {
	archive []byte
	found   bool // the archive field was present, possibly empty
	mode    string
}

// readUpload streams the multipart body, holding at most the upload limit in
// memory and nothing on disk.
func (s *Server) readUpload(c *gin.Context) (upload, error) {
	limit := s.cfg.MaxUploadBytes
	tooLarge := grader.Errorf(grader.CodeTooLarge, "the archive exceeds the upload limit of %s", formatBytes(limit))
	r := c.Request
	if r.ContentLength > limit+multipartSlack {
		return upload{}, tooLarge
	}
	r.Body = http.MaxBytesReader(c.Writer, r.Body, limit+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return upload{}, grader.Errorf(grader.CodeInvalid, "the request must be multipart/form-data with an archive field")
	}
	var up upload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return upload{}, readError(err, tooLarge)
		}
		err = up.read(part.FormName(), part, limit, tooLarge)
		part.Close()
		if err != nil {
			return upload{}, err
		}
	}
	if !up.found {
		return upload{}, grader.Errorf(grader.CodeInvalid, "the archive field is required")
	}
	return up, nil
}

// read takes in one form field; unknown fields are skipped.
func (up *upload) read(name string, r io.Reader, limit int64, tooLarge error) error {
	switch name {
	case "archive":
		if up.found {
			return grader.Errorf(grader.CodeInvalid, "send one archive field, not several")
		}
		data, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err != nil {
			return readError(err, tooLarge)
		}
		if int64(len(data)) > limit {
			return tooLarge
		}
		up.archive, up.found = data, true
	case "mode":
		data, err := io.ReadAll(io.LimitReader(r, maxFieldBytes))
		if err != nil {
			return readError(err, tooLarge)
		}
		up.mode = string(data)
	}
	return nil
}

// readError tells an oversized body from a malformed one.
func readError(err, tooLarge error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return tooLarge
	}
	return grader.Errorf(grader.CodeInvalid, "malformed multipart body: %v", err)
}

// formatBytes renders a size for people: "50 MB", "512 KB" or "1000 bytes".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
