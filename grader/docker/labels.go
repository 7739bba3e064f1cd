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
	LabelFleet   = "takehome.fleet"   // Config.Fleet, the runners sharing one registry of owners
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
func runLabels(extra map[string]string, runID, session string, cfg Config, expires time.Time) map[string]string {
	l := maps.Clone(extra)
	if l == nil {
		l = map[string]string{}
	}
	l[LabelManaged] = "1"
	l[LabelRun] = runID
	l[LabelSession] = session
	l[LabelOwner] = cfg.Owner
	l[LabelFleet] = cfg.Fleet
	l[LabelExpires] = strconv.FormatInt(expires.Unix(), 10)
	return l
}

// withRole returns a copy of labels naming a container's role.
func withRole(labels map[string]string, role string) map[string]string {
	l := maps.Clone(labels)
	l[LabelRole] = role
	return l
}

// stale reports whether the reaper of fleet may remove an object with these
// labels: its expiry passed (or is unreadable), or it belongs to the fleet
// and its owner is gone. Another fleet's owners are unknown to alive, so
// their objects go only at expiry.
func stale(labels map[string]string, now time.Time, fleet string, alive func(owner string) bool) bool {
	exp, err := strconv.ParseInt(labels[LabelExpires], 10, 64)
	if err != nil || now.Unix() > exp {
		return true
	}
	return alive != nil && labels[LabelFleet] == fleet && !alive(labels[LabelOwner])
}
