package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"takehome/exercises"
	"takehome/grader"
)

// Timing of a submission's event stream. A stream ends after
// maxEventStream; the browser's EventSource reconnects by itself (with
// Last-Event-ID), which keeps no connection open for long.
const (
	eventPoll      = time.Second
	eventKeepAlive = 15 * time.Second
	maxEventStream = 2 * time.Minute
)

// streamCloser ends every open event stream once.
type streamCloser struct {
	once sync.Once
	done chan struct{}
}

// CloseStreams ends the open event streams; call it when the HTTP server
// shuts down (http.Server.RegisterOnShutdown), which otherwise waits for
// them. Browsers reconnect by themselves.
func (s *Server) CloseStreams() {
	s.streams.once.Do(func() { close(s.streams.done) })
}

// statusEvent is sent when a submission's status changes.
type statusEvent struct {
	Status grader.SubmissionStatus `json:"status"`
	Done   bool                    `json:"done"`
}

// phaseEvent is sent for each finished step of a check run. The log is free
// of terminal escapes; the script shows it as text.
type phaseEvent struct {
	Step    string         `json:"step"`
	Verdict grader.Verdict `json:"verdict"`
	Reason  string         `json:"reason,omitempty"`
	Wall    string         `json:"wall"`
	Log     string         `json:"log"`
}

// doneEvent ends the stream: the page at URL shows the outcome.
type doneEvent struct {
	URL string `json:"url"`
}

// submissionEvents streams a submission's status as server-sent events:
// "status" on each change; for a check run, "phase" for each finished step
// (its id is the count of steps sent, so a reconnect resumes) and "restart"
// when a retried run starts over; then "done". A final run streams its
// status only: its steps run on hidden data.
func (s *Server) submissionEvents(c *gin.Context, p principal) error {
	if s.closed(c, p.invite, false) {
		return nil
	}
	sub, err := s.candidateSubmission(c, p.invite)
	if err != nil {
		return err
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy must pass events on at once
	c.Status(http.StatusOK)
	fmt.Fprint(c.Writer, "retry: 3000\n\n")
	st := &stream{c: c, sent: resumeFrom(c)}
	return s.streamStatus(st, sub)
}

// resumeFrom is how many steps the page already shows: from the browser's
// Last-Event-ID on a reconnect, else from the page's ?from=.
func resumeFrom(c *gin.Context) int {
	v := c.GetHeader("Last-Event-ID")
	if v == "" {
		v = c.Query("from")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// stream is one client's event stream.
type stream struct {
	c         *gin.Context
	sent      int // steps the client has
	lastWrite time.Time
}

// send writes one event and flushes it. JSON never contains a raw newline,
// so the data fits one data: line; it escapes <, > and &.
func (st *stream) send(name, id string, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		data = []byte(`{}`)
	}
	if id != "" {
		fmt.Fprintf(st.c.Writer, "id: %s\n", id)
	}
	fmt.Fprintf(st.c.Writer, "event: %s\ndata: %s\n\n", name, data)
	st.c.Writer.Flush()
	st.lastWrite = time.Now()
}

// sendPhases sends the steps the client lacks; fewer steps than it has
// means a new run started over.
func (st *stream) sendPhases(recs []grader.PhaseRecord) {
	if len(recs) < st.sent {
		st.sent = 0
		st.send("restart", "0", struct{}{})
	}
	for ; st.sent < len(recs); st.sent++ {
		l := newPhaseLine(recs[st.sent])
		st.send("phase", strconv.Itoa(st.sent+1), phaseEvent{Step: l.Step, Verdict: l.Verdict, Reason: l.Reason, Wall: formatDuration(l.Wall), Log: l.Log})
	}
}

// streamStatus polls the submission until it settles, the client leaves or
// the stream has lasted long enough.
func (s *Server) streamStatus(st *stream, sub *grader.Submission) error {
	ctx := st.c.Request.Context()
	tick := time.NewTicker(eventPoll)
	defer tick.Stop()
	end := time.NewTimer(maxEventStream)
	defer end.Stop()
	var last grader.SubmissionStatus
	for {
		if sub.Status != last {
			last = sub.Status
			st.send("status", "", statusEvent{Status: sub.Status, Done: settled(sub.Status)})
		}
		if settled(sub.Status) {
			return s.sendOutcome(st, sub)
		}
		if err := s.sendProgress(st, sub); err != nil {
			return err
		}
		if time.Since(st.lastWrite) > eventKeepAlive {
			fmt.Fprint(st.c.Writer, ": keep-alive\n\n")
			st.c.Writer.Flush()
			st.lastWrite = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.streams.done:
			return nil
		case <-end.C:
			return nil
		case <-tick.C:
		}
		var err error
		if sub, err = s.deps.Submissions.FindSubmission(ctx, sub.ID); err != nil {
			return fmt.Errorf("poll submission: %w", err)
		}
	}
}

// sendProgress sends the steps of a running check run finished so far.
func (s *Server) sendProgress(st *stream, sub *grader.Submission) error {
	if sub.Mode != exercises.ModeCheck || sub.Status != grader.StatusRunning {
		return nil
	}
	recs, err := s.deps.Submissions.ListPhaseProgress(st.c.Request.Context(), sub.ID)
	if err != nil {
		return fmt.Errorf("phase progress of submission %d: %w", sub.ID, err)
	}
	st.sendPhases(recs)
	return nil
}

// sendOutcome sends the remaining steps of a graded check run, then "done".
func (s *Server) sendOutcome(st *stream, sub *grader.Submission) error {
	view, err := s.candidateView(st.c, sub)
	if err != nil {
		return err
	}
	if sub.Mode == exercises.ModeCheck && view.Report != nil {
		st.sendPhases(view.Report.Phases)
	}
	st.send("done", "", doneEvent{URL: fmt.Sprintf("%s/submissions/%d", inviteBase(st.c), sub.ID)})
	return nil
}
