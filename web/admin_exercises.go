package web

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/archive"
)

// exercisesView is the data of the exercises page.
type exercisesView struct {
	Versions  []versionRow
	Slugs     []string // built-in exercises a new version can be built of
	Seed      uint64   // a fresh random seed for the form
	CanImport bool     // the BEIR import is configured
	Error     string
}

// PageTitle names the page.
func (exercisesView) PageTitle() string { return "Exercises" }

// versionRow is a version with its reference submissions, if run.
type versionRow struct {
	grader.ExerciseVersion
	References    []grader.SubmissionSummary
	HasReferences bool // the exercise ships reference submissions
}

// exercisesPage lists exercise versions with their state and reference
// scores, and the form to build a new version.
func (s *Server) exercisesPage(c *gin.Context, _ principal) error {
	return s.showExercises(c, http.StatusOK, exercisesView{})
}

func (s *Server) showExercises(c *gin.Context, status int, v exercisesView) error {
	versions, err := s.deps.Staff.ListVersions(c.Request.Context())
	if err != nil {
		return err
	}
	for _, ver := range versions {
		row := versionRow{ExerciseVersion: ver, HasReferences: s.referencer(ver.Slug) != nil}
		if row.References, err = s.referenceRuns(c, ver.ID); err != nil {
			return err
		}
		v.Versions = append(v.Versions, row)
	}
	if s.deps.Exercises != nil {
		v.Slugs = s.deps.Exercises.Slugs()
	}
	v.Seed, v.CanImport = randomSeed(), s.deps.ImportBEIR != nil
	s.page(c, status, "admin_exercises", v)
	return nil
}

// referenceRuns lists the reference submissions run against a version.
func (s *Server) referenceRuns(c *gin.Context, versionID int64) ([]grader.SubmissionSummary, error) {
	rows, err := s.deps.Staff.ListSubmissionSummaries(c.Request.Context(), grader.SummaryFilter{VersionID: versionID, References: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	var refs []grader.SubmissionSummary
	for _, r := range rows {
		if name, ok := grader.ReferenceName(r.Email); ok {
			r.Email = name
			refs = append(refs, r)
		}
	}
	return refs, nil
}

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:]) >> 1 // fits a form's number field and a bigint
}

// referencer returns the exercise's reference submissions source, if any.
func (s *Server) referencer(slug string) exercises.Referencer {
	if s.deps.Exercises == nil {
		return nil
	}
	ex, err := s.deps.Exercises.Get(slug)
	if err != nil {
		return nil
	}
	r, _ := ex.(exercises.Referencer)
	return r
}

// createVersion builds a new draft version of a built-in exercise with a
// seed.
func (s *Server) createVersion(c *gin.Context, p principal) error {
	if s.deps.Exercises == nil {
		return grader.Errorf(grader.CodeUnavailable, "no built-in exercises are configured")
	}
	slug := c.PostForm("slug")
	ex, err := s.deps.Exercises.Get(slug)
	if err != nil {
		return s.showExercises(c, http.StatusBadRequest, exercisesView{Error: fmt.Sprintf("Unknown exercise %q.", slug)})
	}
	seed, err := strconv.ParseUint(strings.TrimSpace(c.PostForm("seed")), 10, 63)
	if err != nil {
		return s.showExercises(c, http.StatusBadRequest, exercisesView{Error: "The seed must be a whole number from 0 to 9223372036854775807."})
	}
	built, err := ex.Build(seed)
	if err != nil {
		return fmt.Errorf("build %s with seed %d: %w", slug, seed, err)
	}
	ver, err := s.deps.Staff.CreateDraftVersion(c.Request.Context(), built)
	if err != nil {
		return err
	}
	detail := map[string]any{"slug": slug, "seed": seed, "version": ver.Number}
	if err := s.record(c, p.actor(), "exercise.create", fmt.Sprintf("version:%d", ver.ID), detail); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Created %s v%d (draft) with seed %d.", ver.Slug, ver.Number, seed))
	c.Redirect(http.StatusSeeOther, "/admin/exercises")
	return nil
}

// setVersionStatus publishes, archives or un-publishes a version.
func (s *Server) setVersionStatus(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	status := c.PostForm("status")
	if err := s.deps.Staff.SetVersionStatus(c.Request.Context(), id, status); err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "exercise.status", fmt.Sprintf("version:%d", id), map[string]any{"status": status}); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Version %d is now %s.", id, status))
	c.Redirect(http.StatusSeeOther, "/admin/exercises")
	return nil
}

// runReferences submits each of the exercise's reference submissions to
// the version, as a check and a final run, on an internal invite per
// reference; their scores appear on the exercises page once graded. Once
// they exist, running them again regrades them instead of piling up more.
func (s *Server) runReferences(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ver, err := s.deps.Versions.FindVersion(c.Request.Context(), id)
	if err != nil {
		return err
	}
	existing, err := s.referenceRuns(c, id)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return s.regradeReferences(c, p, ver, existing)
	}
	r := s.referencer(ver.Slug)
	if r == nil {
		return grader.Errorf(grader.CodeConflict, "exercise %s ships no reference submissions", ver.Slug)
	}
	refs, err := r.References()
	if vr, ok := r.(exercises.VersionReferencer); ok {
		refs, err = vr.ReferencesFor(ver.Spec)
	}
	if err != nil {
		return fmt.Errorf("references of %s: %w", ver.Slug, err)
	}
	for _, ref := range refs {
		if err := s.submitReference(c, ver, ref); err != nil {
			return fmt.Errorf("reference %s: %w", ref.Name, err)
		}
	}
	if err := s.record(c, p.actor(), "exercise.references", fmt.Sprintf("version:%d", id), map[string]any{"count": len(refs)}); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Queued %d reference submissions against %s v%d.", len(refs), ver.Slug, ver.Number))
	c.Redirect(http.StatusSeeOther, "/admin/exercises")
	return nil
}

// regradeReferences queues the version's settled reference submissions
// again; those still queued or running are left to finish.
func (s *Server) regradeReferences(c *gin.Context, p principal, ver *grader.ExerciseVersion, refs []grader.SubmissionSummary) error {
	n := 0
	for _, r := range refs {
		if r.Status != grader.StatusGraded && r.Status != grader.StatusFailed {
			continue
		}
		if _, err := s.deps.Staff.Regrade(c.Request.Context(), r.ID); err != nil {
			return fmt.Errorf("regrade reference submission %d: %w", r.ID, err)
		}
		n++
	}
	if err := s.record(c, p.actor(), "exercise.references", fmt.Sprintf("version:%d", ver.ID), map[string]any{"regraded": n}); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Regrading %d reference submissions of %s v%d (%d still running).", n, ver.Slug, ver.Number, len(refs)-n))
	c.Redirect(http.StatusSeeOther, "/admin/exercises")
	return nil
}

func (s *Server) submitReference(c *gin.Context, ver *grader.ExerciseVersion, ref exercises.Reference) error {
	inv := &grader.Invite{ExerciseVersionID: ver.ID, Email: grader.ReferenceEmail(ref.Name),
		ExpiresAt: s.now().Add(24 * time.Hour), Attempts: 2}
	if _, err := s.deps.Staff.CreateInvite(c.Request.Context(), inv); err != nil {
		return err
	}
	data, err := archive.Zip(ref.Files)
	if err != nil {
		return err
	}
	for _, mode := range []exercises.Mode{exercises.ModeCheck, exercises.ModeFinal} {
		sub := &grader.Submission{InviteID: inv.ID, ExerciseVersionID: ver.ID, Mode: mode}
		if _, err := s.deps.Submissions.CreateSubmission(c.Request.Context(), sub, bytes.NewReader(data), int64(len(data)), s.now()); err != nil {
			return err
		}
	}
	return nil
}

// regradeVersion regrades every graded or failed submission of a version.
func (s *Server) regradeVersion(c *gin.Context, p principal) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	n, err := s.deps.Staff.RegradeVersion(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "exercise.regrade", fmt.Sprintf("version:%d", id), map[string]any{"count": n}); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Queued %d submissions for regrading.", n))
	c.Redirect(http.StatusSeeOther, "/admin/exercises")
	return nil
}

// importBEIR creates a draft retrieval version from a BEIR folder on the
// server or an uploaded archive of one, with the same code as `runner
// exercise import-beir`. Uploads go through the submission archive checks
// (size, entries, paths, links, bombs).
func (s *Server) importBEIR(c *gin.Context, p principal) error {
	if s.deps.ImportBEIR == nil {
		return grader.Errorf(grader.CodeUnavailable, "BEIR import is not configured")
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes+1<<20)
	dir, slug := strings.TrimSpace(c.PostForm("dir")), strings.TrimSpace(c.PostForm("slug"))
	fh, fileErr := c.FormFile("archive")
	var (
		files  []exercises.File
		source string
		err    error
	)
	switch {
	case errors.As(fileErr, new(*http.MaxBytesError)):
		return s.showExercises(c, http.StatusRequestEntityTooLarge, exercisesView{Error: fmt.Sprintf("The archive is larger than %s.", grader.FormatBytes(s.cfg.MaxUploadBytes))})
	case slug == "" || (dir == "" && fileErr != nil):
		return s.showExercises(c, http.StatusBadRequest, exercisesView{Error: "Give a folder on the server or upload an archive of it, and a slug for the new exercise."})
	case fileErr == nil:
		source = "upload " + fh.Filename
		files, err = s.readBEIRUpload(fh)
	case s.deps.ReadFolder == nil:
		err = grader.Errorf(grader.CodeUnavailable, "reading a folder on the server is not configured: upload an archive of it")
	default:
		source = dir
		files, err = s.deps.ReadFolder(dir)
	}
	var built *exercises.Version
	if err == nil {
		built, err = s.deps.ImportBEIR(files, slug)
	}
	if err != nil {
		return s.showExercises(c, http.StatusBadRequest, exercisesView{Error: "Import failed: " + grader.ErrorMessage(badImport(err))})
	}
	ver, err := s.deps.Staff.CreateDraftVersion(c.Request.Context(), built)
	if err != nil {
		return err
	}
	if err := s.record(c, p.actor(), "exercise.import_beir", fmt.Sprintf("version:%d", ver.ID), map[string]any{"slug": slug, "source": source}); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Imported %s v%d (draft).", ver.Slug, ver.Number))
	c.Redirect(http.StatusSeeOther, "/admin/exercises")
	return nil
}

// readBEIRUpload unpacks an uploaded archive of a BEIR folder.
func (s *Server) readBEIRUpload(fh *multipart.FileHeader) ([]exercises.File, error) {
	if s.deps.ReadArchive == nil {
		return nil, grader.Errorf(grader.CodeUnavailable, "uploading a BEIR archive is not configured: give a folder on the server")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f) // bounded by the request's MaxBytesReader
	if err != nil {
		return nil, err
	}
	return s.deps.ReadArchive(data)
}

// badImport marks an import's error as the admin's to fix: what is wrong
// with the folder is shown to them, not hidden as an internal error.
func badImport(err error) error {
	if grader.ErrorCode(err) != grader.CodeInternal {
		return err
	}
	return grader.Errorf(grader.CodeInvalid, "%v", err)
}
