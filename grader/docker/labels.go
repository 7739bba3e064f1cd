package docker

import (
	"maps"
	"strconv"
	"time"
)

// Labels on every container and volume the sandbox creates. A run id may be
// shared by retries; a session id is unique to one Open.
const (
	LabelManaged = "takehome.managed" // always "1"
	LabelRun     = "takehome.run"     // grader.RunSpec.RunID
	LabelSession = "takehome.session" // one Open
	LabelOwner   = "takehome.owner"   // Config.Owner, the runner instance
	LabelExpires = "takehome.expires" // unix seconds after which Reap removes it
	LabelRole    = "takehome.role"    // holder or step
)

// Roles of the containers of a run.
const (
	roleHolder = "holder"
	roleStep   = "step"
)

// runLabels returns the labels of one session's objects. Ours are applied
// last so extra labels cannot overwrite them.
func runLabels(extra map[string]string, runID, session, owner string, expires time.Time) map[string]string {
	l := maps.Clone(extra)
	if l == nil {
		l = map[string]string{}
	}
	l[LabelManaged] = "1"
	l[LabelRun] = runID
	l[LabelSession] = session
	l[LabelOwner] = owner
	l[LabelExpires] = strconv.FormatInt(expires.Unix(), 10)
	return l
}

// withRole returns a copy of labels naming a container's role.
func withRole(labels map[string]string, role string) map[string]string {
	l := maps.Clone(labels)
	l[LabelRole] = role
	return l
}

// stale reports whether the reaper may remove an object with these labels:
// its expiry passed (or is unreadable), or its owner is gone.
func stale(labels map[string]string, now time.Time, alive func(owner string) bool) bool {
	exp, err := strconv.ParseInt(labels[LabelExpires], 10, 64)
	if err != nil || now.Unix() > exp {
		return true
	}
	return alive != nil && !alive(labels[LabelOwner])
}
