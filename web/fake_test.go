package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"takehome/exercises"
	"takehome/grader"
)

// fakeStore is an in-memory implementation of every interface web needs,
// with the semantics the real store promises.
type fakeStore struct {
	mu       sync.Mutex
	invites  map[string]*grader.Invite // by token
	users    map[string]*grader.User   // by token
	versions map[int64]*grader.ExerciseVersion
	starter  map[int64][]exercises.File
	subs     map[int64]*grader.Submission
	archives map[int64][]byte
	reports  map[int64]*grader.Report
	progress map[int64][]grader.PhaseRecord // by submission: finished steps of the running run
	audit    []grader.AuditEvent
	canceled []int64
	filters  []grader.SubmissionFilter
	nextID   int64
	creates  int              // CreateSubmission calls
	fail     map[string]error // method name → error it returns
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		invites:  map[string]*grader.Invite{},
		users:    map[string]*grader.User{},
		versions: map[int64]*grader.ExerciseVersion{},
		starter:  map[int64][]exercises.File{},
		subs:     map[int64]*grader.Submission{},
		archives: map[int64][]byte{},
		reports:  map[int64]*grader.Report{},
		nextID:   100,
		fail:     map[string]error{},
	}
}

func (f *fakeStore) FindInviteByToken(_ context.Context, token string) (*grader.Invite, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail["FindInviteByToken"]; err != nil {
		return nil, err
	}
	inv, ok := f.invites[token]
	if !ok {
		return nil, grader.Errorf(grader.CodeUnauthorized, "unknown invite")
	}
	cp := *inv
	return &cp, nil
}

func (f *fakeStore) inviteByID(id int64) *grader.Invite {
	for _, inv := range f.invites {
		if inv.ID == id {
			return inv
		}
	}
	return nil
}

func (f *fakeStore) StartInvite(_ context.Context, id int64, now time.Time) (*grader.Invite, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	inv := f.inviteByID(id)
	if inv == nil {
		return nil, grader.Errorf(grader.CodeNotFound, "invite %d not found", id)
	}
	if inv.StartedAt == nil {
		inv.StartedAt = &now
	}
	cp := *inv
	return &cp, nil
}

func (f *fakeStore) FindVersion(_ context.Context, id int64) (*grader.ExerciseVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.versions[id]
	if !ok {
		return nil, grader.Errorf(grader.CodeNotFound, "version %d not found", id)
	}
	cp := *v
	return &cp, nil
}

func (f *fakeStore) VersionFiles(_ context.Context, versionID int64, kind string) ([]exercises.File, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if kind != "starter" {
		return nil, grader.Errorf(grader.CodeInvalid, "kind %q", kind)
	}
	return slices.Clone(f.starter[versionID]), nil
}

func (f *fakeStore) FindUserByAPIToken(_ context.Context, token string) (*grader.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.users[token]
	if !ok {
		return nil, grader.Errorf(grader.CodeUnauthorized, "unknown token")
	}
	cp := *u
	return &cp, nil
}

func (f *fakeStore) CreateSubmission(_ context.Context, sub *grader.Submission, archive io.Reader, size int64, now time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.creates++
	if prev := f.byKey(sub.InviteID, sub.IdempotencyKey); prev != nil {
		*sub = *prev
		return false, nil
	}
	inv := f.inviteByID(sub.InviteID)
	switch {
	case inv.RevokedAt != nil || !now.Before(inv.Deadline()):
		return false, grader.Errorf(grader.CodeForbidden, "invite closed")
	case inv.AttemptsUsed >= inv.Attempts:
		return false, grader.Errorf(grader.CodeQuota, "no attempts left")
	case sub.Mode == exercises.ModeFinal && f.hasFinal(inv.ID):
		return false, grader.Errorf(grader.CodeConflict, "a final submission was already made")
	}
	data, err := io.ReadAll(archive)
	if err != nil || int64(len(data)) != size {
		return false, fmt.Errorf("read archive: %d bytes of %d, %w", len(data), size, err)
	}
	sum := sha256.Sum256(data)
	f.nextID++
	sub.ID, sub.JobID, sub.ArchiveSHA256, sub.ArchiveSize = f.nextID, 1000+f.nextID, hex.EncodeToString(sum[:]), size
	cp := *sub
	f.subs[sub.ID], f.archives[sub.ID] = &cp, data
	inv.AttemptsUsed++
	return true, nil
}

func (f *fakeStore) byKey(inviteID int64, key string) *grader.Submission {
	for _, s := range f.subs {
		if key != "" && s.InviteID == inviteID && s.IdempotencyKey == key {
			return s
		}
	}
	return nil
}

func (f *fakeStore) hasFinal(inviteID int64) bool {
	for _, s := range f.subs {
		if s.InviteID == inviteID && s.Mode == exercises.ModeFinal {
			return true
		}
	}
	return false
}

func (f *fakeStore) FindSubmission(_ context.Context, id int64) (*grader.Submission, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail["FindSubmission"]; err != nil {
		return nil, err
	}
	s, ok := f.subs[id]
	if !ok {
		return nil, grader.Errorf(grader.CodeNotFound, "no submission with id %d", id)
	}
	cp := *s
	return &cp, nil
}

func (f *fakeStore) ListSubmissions(_ context.Context, flt grader.SubmissionFilter) ([]grader.Submission, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, flt)
	var out []grader.Submission
	for _, s := range f.subs {
		if (flt.VersionID == 0 || s.ExerciseVersionID == flt.VersionID) &&
			(flt.Status == "" || s.Status == flt.Status) {
			out = append(out, *s)
		}
	}
	slices.SortFunc(out, func(a, b grader.Submission) int { return int(b.ID - a.ID) })
	out = out[min(flt.Offset, len(out)):]
	return out[:min(flt.Limit, len(out))], nil
}

func (f *fakeStore) FindReport(_ context.Context, id int64) (*grader.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.reports[id]
	if !ok {
		return nil, grader.Errorf(grader.CodeNotFound, "no report for submission %d", id)
	}
	cp := *r
	return &cp, nil
}

func (f *fakeStore) AddAudit(_ context.Context, e grader.AuditEvent) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail["AddAudit"]; err != nil {
		return err
	}
	f.audit = append(f.audit, e)
	return nil
}

func (f *fakeStore) ListJobs(context.Context, int) ([]grader.QueueJob, error) { return nil, nil }

func (f *fakeStore) CancelJob(_ context.Context, jobID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.canceled = append(f.canceled, jobID)
	for _, s := range f.subs {
		if s.JobID == jobID && s.Status == grader.StatusQueued {
			s.Status = grader.StatusCanceled // River cancels a queued job at once
		}
	}
	return nil
}

func (f *fakeStore) auditLog() []grader.AuditEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.audit)
}
