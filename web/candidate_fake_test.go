package web

import (
	"context"
	"slices"

	"takehome/grader"
)

// ListInviteSubmissions lists an invite's submissions, newest first.
func (f *fakeStore) ListInviteSubmissions(_ context.Context, inviteID int64) ([]grader.Submission, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail["ListInviteSubmissions"]; err != nil {
		return nil, err
	}
	var out []grader.Submission
	for _, s := range f.subs {
		if s.InviteID == inviteID {
			out = append(out, *s)
		}
	}
	slices.SortFunc(out, func(a, b grader.Submission) int { return int(b.ID - a.ID) })
	return out, nil
}

// ListPhaseProgress returns the steps set in f.progress.
func (f *fakeStore) ListPhaseProgress(_ context.Context, submissionID int64) ([]grader.PhaseRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.progress[submissionID]), nil
}
