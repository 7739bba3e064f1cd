package postgres_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestHeartbeat(t *testing.T) {
	s, tx := newStore(t)
	beats := []struct {
		id string
		at time.Time
	}{
		{"w-old", t0.Add(-time.Hour)},
		{"w-new", t0.Add(-time.Hour)},
		{"w-new", t0}, // an update
		{"w-edge", t0.Add(-time.Minute)},
	}
	for _, b := range beats {
		if err := s.Heartbeat(t.Context(), b.id, "host-"+b.id, b.at); err != nil {
			t.Fatal(err)
		}
	}
	alive, err := s.AliveWorkers(t.Context(), t0.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"w-new": true, "w-edge": true}, alive); diff != "" {
		t.Errorf("alive (-want +got):\n%s", diff)
	}
	if n := count(t, tx, "SELECT count(*) FROM workers WHERE id = 'w-new' AND started_at = ?", t0.Add(-time.Hour)); n != 1 {
		t.Error("a heartbeat changed started_at")
	}
	none, err := s.AliveWorkers(t.Context(), t0.Add(time.Hour))
	if err != nil || none == nil || len(none) != 0 {
		t.Errorf("no live workers: %v, %v; want an empty map", none, err)
	}
}
