package web

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
	"takehome/web/render"
)

// codeView is the data of the code browser.
type codeView struct {
	ID    int64
	Files template.HTML
	Path  string
	Size  int64
	Code  template.HTML
}

// PageTitle names the page.
func (v codeView) PageTitle() string { return fmt.Sprintf("Code of submission %d", v.ID) }

// archiveFiles unpacks a submission's archive with the same limits as an
// upload.
func (s *Server) archiveFiles(c *gin.Context, id int64) ([]exercises.File, error) {
	if s.deps.ReadArchive == nil {
		return nil, grader.Errorf(grader.CodeUnavailable, "the code browser is not configured")
	}
	data, err := s.deps.Staff.SubmissionArchive(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return s.deps.ReadArchive(data)
}

// fileTree renders the tree of a submission's archive; an unreadable
// archive shows as a note, not an error: the report is still worth seeing.
func (s *Server) fileTree(c *gin.Context, id int64) (template.HTML, int) {
	files, err := s.archiveFiles(c, id)
	return s.treeOf(c, id, files, err), len(files)
}

func (s *Server) treeOf(c *gin.Context, id int64, files []exercises.File, err error) template.HTML {
	if err != nil {
		s.log.WarnContext(c, "read archive", "submission_id", id, "err", err)
		return template.HTML(`<p class="muted">The archive cannot be shown: ` + template.HTMLEscapeString(grader.ErrorMessage(err)) + `</p>`)
	}
	paths, sizes := make([]string, len(files)), make([]int64, len(files))
	for i, f := range files {
		paths[i], sizes[i] = f.Name, int64(len(f.Data))
	}
	return render.Tree(paths, sizes).HTML(func(p string) string { return codeURL(id, p) })
}

// notesFile is the write-up looked for when the manifest names none.
const notesFile = "NOTES.md"

// codePage shows one file of a submission's archive, highlighted, beside
// the file tree.
func (s *Server) codePage(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := s.deps.Staff.FindSubmissionSummary(c.Request.Context(), id); err != nil {
		return err
	}
	v := codeView{ID: id, Path: c.Query("file")}
	v.Files, _ = s.fileTree(c, id)
	if v.Path != "" {
		files, err := s.archiveFiles(c, id)
		if err != nil {
			return err
		}
		f, ok := exercises.FindFile(files, v.Path)
		if !ok {
			return grader.Errorf(grader.CodeNotFound, "the archive has no file %q", v.Path)
		}
		v.Size, v.Code = int64(len(f.Data)), render.Highlight(f.Name, f.Data)
	}
	if err := s.record(c, p.actor(), "code.view", fmt.Sprintf("submission:%d", id), nil); err != nil {
		return err
	}
	s.page(c, http.StatusOK, "staff_code", v)
	return nil
}
