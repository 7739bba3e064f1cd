package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
)

// TestDoctorJSONKeys runs `runner doctor --json` against the real engine
// and checks its keys are the snake_case every other JSON output uses.
func TestDoctorJSONKeys(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"doctor", "--json"}, testEnv(nil), &stdout, &stderr)
	var out struct {
		OK     *bool                        `json:"ok"`
		Checks []map[string]json.RawMessage `json:"checks"`
	}
	if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil {
		t.Fatalf("doctor --json printed no JSON (%v, err %v):\n%s\n%s", jerr, err, stdout.String(), stderr.String())
	}
	if out.OK == nil || len(out.Checks) < 3 {
		t.Fatalf("doctor --json = %s", stdout.String())
	}
	for _, c := range out.Checks {
		keys := make([]string, 0, len(c))
		for k := range c {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"detail", "name", "ok"}) {
			t.Errorf("check keys = %v, want detail, name, ok: %s", keys, stdout.String())
		}
	}
	if err != nil || !*out.OK {
		t.Errorf("doctor failed (%v):\n%s", err, stdout.String())
	}
}
