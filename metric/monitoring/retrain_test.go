package monitoring

import (
	"slices"
	"testing"
)

func TestRetrainDecisions(t *testing.T) {
	corrupt := Event{Kind: Drift, Start: 14, End: 15, MaxDelay: 4, Corrupt: true}
	tests := []struct {
		name          string
		windows       []Window
		retrains      []int
		want          Retrains
		prec, rec     float64
		precOK, recOK bool
	}{
		{"mixed", []Window{{8, 12}, {18, 20}}, []int{3, 9, 10, 14},
			Retrains{Right: 2, Unneeded: 1, OnCorrupt: 1, Windows: 2, Hit: 1}, 0.5, 0.5, true, true},
		{"corrupt wins over an overlapping window", []Window{{13, 16}}, []int{14},
			Retrains{OnCorrupt: 1, Windows: 1}, 0, 0, true, true},
		{"after the incident is fine", []Window{{13, 16}}, []int{16},
			Retrains{Right: 1, Windows: 1, Hit: 1}, 1, 1, true, true},
		{"no retrain", []Window{{8, 12}}, nil, Retrains{Windows: 1}, 0, 0, false, true},
		{"no window", nil, []int{5}, Retrains{Unneeded: 1}, 0, 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Stream{
				Weeks:         weeks(20, func(w *Week) { w.Retrain = slices.Contains(tt.retrains, w.N) }),
				Events:        []Event{corrupt},
				RetrainWorthy: tt.windows,
			}
			r := RetrainDecisions(s)
			if r != tt.want {
				t.Fatalf("RetrainDecisions = %+v, want %+v", r, tt.want)
			}
			if p, ok := r.Precision(); p != tt.prec || ok != tt.precOK {
				t.Errorf("Precision = %v, %v; want %v, %v", p, ok, tt.prec, tt.precOK)
			}
			if rc, ok := r.Recall(); rc != tt.rec || ok != tt.recOK {
				t.Errorf("Recall = %v, %v; want %v, %v", rc, ok, tt.rec, tt.recOK)
			}
		})
	}
}
