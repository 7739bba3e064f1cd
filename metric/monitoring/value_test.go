package monitoring

import "testing"

func TestContacted(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 9: 1, 10: 1, 11: 2, 20: 2, 21: 3, 30: 3, 2000: 200} {
		if got := Contacted(n); got != want {
			t.Errorf("Contacted(%d) = %d, want %d", n, got, want)
		}
	}
}

// rows20 are 20 rows: the top score (index 3) churned; the next two tie
// at 0.7, index 7 did not churn and index 12 did.
func rows20() ([]float64, []bool) {
	scores := make([]float64, 20)
	labels := make([]bool, 20)
	for i := range scores {
		scores[i] = 0.05 + 0.01*float64(i) // 0.05 … 0.24
	}
	scores[3], labels[3] = 0.9, true
	scores[7] = 0.7
	scores[12], labels[12] = 0.7, true
	labels[19] = true // scores 0.24: not contacted
	return scores, labels
}

func TestBusinessValue(t *testing.T) {
	scores, labels := rows20()
	tests := []struct {
		name      string
		scores    []float64
		labels    []bool
		save, pay float64
		want      float64
	}{
		// Contacted(20) = 2: index 3 (TP) and, of the tie at 0.7, index 7
		// (FP) by the lower index: 100·1 − 10·2.
		{"tie broken by index", scores, labels, 100, 10, 80},
		{"other weights", scores, labels, 50, 5, 40},
		// Swap the tied rows' labels: now index 7 churned, 100·2 − 10·2.
		{"tie, swapped labels", scores, swap(labels, 7, 12), 100, 10, 180},
		{"no rows", nil, nil, 100, 10, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BusinessValue(tt.scores, tt.labels, tt.save, tt.pay); got != tt.want {
				t.Errorf("BusinessValue = %v, want %v", got, tt.want)
			}
		})
	}
}

func swap(y []bool, i, j int) []bool {
	out := append([]bool(nil), y...)
	out[i], out[j] = out[j], out[i]
	return out
}

func TestStreamValue(t *testing.T) {
	scores, labels := rows20()
	frozen := make([]float64, 20) // all tied: contacts indices 0 and 1, no churner
	s := Stream{
		Weeks: []Week{
			{N: 1, Scores: scores, Labels: labels},
			{N: 2, Scores: scores}, // labels not in yet: skipped
			{N: 3, Scores: scores, Labels: labels},
		},
		FrozenScores: [][]float64{frozen, nil, frozen},
	}
	served, fro, ok := StreamValue(s, 100, 10)
	if served != 160 || fro != -40 || !ok {
		t.Errorf("StreamValue = %v, %v, %v; want 160, -40, true", served, fro, ok)
	}
	s.FrozenScores = nil
	if served, fro, ok := StreamValue(s, 100, 10); served != 160 || fro != 0 || ok {
		t.Errorf("without frozen: %v, %v, %v", served, fro, ok)
	}
}
