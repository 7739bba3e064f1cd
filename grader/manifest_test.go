package grader

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"takehome/exercises"
)

var testPhases = []string{"train", "predict"}

func manifestFiles(yaml string, extra ...exercises.File) []exercises.File {
	return append([]exercises.File{{Name: ManifestName, Data: []byte(yaml)}}, extra...)
}

func TestParseManifest(t *testing.T) {
	notes := exercises.File{Name: "docs/NOTES.md", Data: []byte("# Notes\n")}
	files := manifestFiles(`# how to run my submission
phases:
  train: python train.py --epochs 3
  predict: |
    set -e
    python predict.py > /output/predictions.csv
expected_score: 0.82
notes: docs/NOTES.md
`, notes)
	got, err := ParseManifest(files, testPhases)
	if err != nil {
		t.Fatal(err)
	}
	score := 0.82
	want := Manifest{
		Phases: map[string]string{
			"train":   "python train.py --epochs 3",
			"predict": "set -e\npython predict.py > /output/predictions.csv\n",
		},
		ExpectedScore: &score,
		Notes:         "docs/NOTES.md",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseManifest mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/bin/sh", "-c", "python train.py --epochs 3"}, got.Command("train")); diff != "" {
		t.Errorf("Command(train) mismatch (-want +got):\n%s", diff)
	}
	if cmd := got.Command("deploy"); cmd != nil {
		t.Errorf("Command(deploy) = %q, want nil", cmd)
	}
	if text := NotesText(files, got); text != "# Notes\n" {
		t.Errorf("NotesText = %q", text)
	}
}

func TestParseManifestRejects(t *testing.T) {
	const ok = "phases:\n  train: make train\n  predict: make predict\n"
	tests := []struct {
		name  string
		files []exercises.File
		msg   string
	}{
		{"missing", []exercises.File{{Name: "main.py"}}, "takehome.yaml: not found at the root of the submission"},
		{"nested", []exercises.File{{Name: "project/takehome.yaml"}}, `takehome.yaml: not found at the root of the submission (found "project/takehome.yaml")`},
		{"yml", []exercises.File{{Name: "takehome.yml"}}, `takehome.yaml: not found at the root of the submission (found "takehome.yml")`},
		{"too large", manifestFiles(ok + "# " + strings.Repeat("x", 64<<10)), "takehome.yaml: larger than 64 KB"},
		{"empty", manifestFiles(""), "takehome.yaml: the file is empty"},
		{"invalid YAML", manifestFiles("phases:\n  train: make train\n predict: [\n"), "takehome.yaml: line 2: did not find expected key"},
		{"tab indentation", manifestFiles("phases:\n\ttrain: make\n"), "takehome.yaml: line 2: found character that cannot start any token"},
		{"unknown field", manifestFiles(ok + "expected: 0.5\n"), `takehome.yaml: line 4: unknown field "expected"`},
		{"duplicate key", manifestFiles(ok + "  train: again\n"), `takehome.yaml: line 4: mapping key "train" already defined at line 2`},
		{"not a mapping", manifestFiles("- train\n"), "takehome.yaml: line 1: cannot unmarshal !!seq into a mapping (phases, expected_score, notes, monitor)"},
		{"phases not a mapping", manifestFiles("phases: make all\n"), "takehome.yaml: line 1: cannot unmarshal !!str `make all` into a mapping of phase names to commands"},
		{"command not a string", manifestFiles("phases:\n  train: [make, train]\n  predict: make\n"), "takehome.yaml: line 2: cannot unmarshal !!seq into a string"},
		{"two documents", manifestFiles(ok + "---\n" + ok), "takehome.yaml: more than one YAML document"},
		{"missing phase", manifestFiles("phases:\n  train: make train\n"), "takehome.yaml: no command for phase 'predict'"},
		{"no phases", manifestFiles("expected_score: 0.5\n"), "takehome.yaml: no command for phase 'train'"},
		{"unknown phase", manifestFiles(ok + "  deploy: make deploy\n"), "takehome.yaml: unknown phase 'deploy' (this exercise has: train, predict)"},
		{"odd unknown phase", manifestFiles(ok + "  \"de ploy\\n\": x\n"), `takehome.yaml: unknown phase "de ploy\n" (this exercise has: train, predict)`},
		{"empty command", manifestFiles("phases:\n  train: '  '\n  predict: make\n"), "takehome.yaml: command for phase 'train' is empty"},
		{"null command", manifestFiles("phases:\n  train:\n  predict: make\n"), "takehome.yaml: command for phase 'train' is empty"},
		{"long command", manifestFiles("phases:\n  train: make\n  predict: " + strings.Repeat("x", 4097) + "\n"), "takehome.yaml: command for phase 'predict' is longer than 4096 bytes"},
		{"NUL in command", manifestFiles("phases:\n  train: \"make\\0\"\n  predict: make\n"), "takehome.yaml: command for phase 'train' contains a NUL byte"},
		{"score above 1", manifestFiles(ok + "expected_score: 85\n"), "takehome.yaml: expected_score must be a finite number in [0, 1] on the scale of the headline metric (e.g. AUC or nDCG), got 85"},
		{"negative score", manifestFiles(ok + "expected_score: -0.1\n"), "takehome.yaml: expected_score must be a finite number in [0, 1] on the scale of the headline metric (e.g. AUC or nDCG), got -0.1"},
		{"NaN score", manifestFiles(ok + "expected_score: .nan\n"), "takehome.yaml: expected_score must be a finite number in [0, 1] on the scale of the headline metric (e.g. AUC or nDCG), got NaN"},
		{"infinite score", manifestFiles(ok + "expected_score: .inf\n"), "takehome.yaml: expected_score must be a finite number in [0, 1] on the scale of the headline metric (e.g. AUC or nDCG), got +Inf"},
		{"score as text", manifestFiles(ok + "expected_score: high\n"), "takehome.yaml: line 4: cannot unmarshal !!str `high` into a number"},
		{"notes missing", manifestFiles(ok + "notes: NOTES.md\n"), `takehome.yaml: notes file "NOTES.md" not found in the submission`},
		{"notes absolute", manifestFiles(ok + "notes: /etc/passwd\n"), `takehome.yaml: notes must be a clean relative path inside the submission such as NOTES.md, got "/etc/passwd"`},
		{"notes escaping", manifestFiles(ok + "notes: ../NOTES.md\n"), `takehome.yaml: notes must be a clean relative path inside the submission such as NOTES.md, got "../NOTES.md"`},
		{"notes not clean", manifestFiles(ok + "notes: ./NOTES.md\n"), `takehome.yaml: notes must be a clean relative path inside the submission such as NOTES.md, got "./NOTES.md"`},
		{"notes backslash", manifestFiles(ok + "notes: docs\\NOTES.md\n"), `takehome.yaml: notes must be a clean relative path inside the submission such as NOTES.md, got "docs\\NOTES.md"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseManifest(tt.files, testPhases)
			if code := ErrorCode(err); code != CodeUnprocessable {
				t.Fatalf("error %v has code %s, want %s", err, code, CodeUnprocessable)
			}
			if got := ErrorMessage(err); got != tt.msg {
				t.Errorf("message = %q\n            want %q", got, tt.msg)
			}
		})
	}
}

func TestParseManifestScoreBounds(t *testing.T) {
	for _, v := range []string{"0", "1", "0.5", "1.0"} {
		yaml := "phases:\n  train: a\n  predict: b\nexpected_score: " + v + "\n"
		m, err := ParseManifest(manifestFiles(yaml), testPhases)
		want, _ := strconv.ParseFloat(v, 64)
		if err != nil || m.ExpectedScore == nil || *m.ExpectedScore != want {
			t.Errorf("expected_score %s: got %v, %v", v, m.ExpectedScore, err)
		}
	}
}

// The monitor block: a false-alarm rate in [0, 52] for an exercise with a
// monitor phase, refused with its reason otherwise.
func TestParseManifestMonitor(t *testing.T) {
	phases := []string{"train", "predict", "monitor"}
	const ok = "phases:\n  train: a\n  predict: b\n  monitor: c\n"
	m, err := ParseManifest(manifestFiles(ok+"monitor:\n  expected_false_alarms_per_year: 2.5\n"), phases)
	if err != nil || m.declaredFalseAlarms() == nil || *m.declaredFalseAlarms() != 2.5 {
		t.Fatalf("got %+v, %v", m.Monitor, err)
	}
	if m, err := ParseManifest(manifestFiles(ok), phases); err != nil || m.declaredFalseAlarms() != nil {
		t.Errorf("without a block: %+v, %v", m.Monitor, err)
	}
	for yaml, msg := range map[string]string{
		ok + "monitor:\n  expected_false_alarms_per_year: 60\n":   "takehome.yaml: monitor: expected_false_alarms_per_year must be a number of weeks in [0, 52], got 60",
		ok + "monitor:\n  expected_false_alarms_per_year: .nan\n": "takehome.yaml: monitor: expected_false_alarms_per_year must be a number of weeks in [0, 52], got NaN",
		ok + "monitor:\n  expected_false_alarms_per_year: -1\n":   "takehome.yaml: monitor: expected_false_alarms_per_year must be a number of weeks in [0, 52], got -1",
		ok + "monitor: {}\n":                 "takehome.yaml: monitor: expected_false_alarms_per_year is missing",
		ok + "monitor:\n  false_alarms: 2\n": `takehome.yaml: line 6: unknown field "false_alarms"`,
		ok + "monitor: 2\n":                  "takehome.yaml: line 5: cannot unmarshal !!int `2` into a mapping (expected_false_alarms_per_year)",
	} {
		if _, err := ParseManifest(manifestFiles(yaml), phases); ErrorMessage(err) != msg {
			t.Errorf("%q:\n got %q\nwant %q", yaml, ErrorMessage(err), msg)
		}
	}
	_, err = ParseManifest(manifestFiles("phases:\n  train: a\n  predict: b\nmonitor:\n  expected_false_alarms_per_year: 1\n"), testPhases)
	if want := "takehome.yaml: monitor: this exercise has no monitor phase (it has: train, predict)"; ErrorMessage(err) != want {
		t.Errorf("monitor block without the phase: %q, want %q", ErrorMessage(err), want)
	}
}

func TestNotesText(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"plain", "# Notes\nAll good.\n", "# Notes\nAll good.\n"},
		{"invalid UTF-8 and NUL", "caf\xe9\x00!", "caf\uFFFD\uFFFD!"},
		{"capped", strings.Repeat("a", 300<<10), strings.Repeat("a", 256<<10) + "\n\n[truncated at 256 KB]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := []exercises.File{{Name: "NOTES.md", Data: []byte(tt.data)}}
			if got := NotesText(files, Manifest{Notes: "NOTES.md"}); got != tt.want {
				t.Errorf("NotesText = %.80q..., want %.80q...", got, tt.want)
			}
		})
	}
	if got := NotesText(nil, Manifest{}); got != "" {
		t.Errorf("NotesText without notes = %q, want empty", got)
	}
}

func TestParseManifestListing(t *testing.T) {
	const ok = "phases:\n  train: make train\n  predict: make predict\nnotes: docs/NOTES.md\n"
	small := manifestFiles(ok)
	tests := []struct {
		name  string
		names []string
		small []exercises.File
		msg   string // "" for no error
	}{
		{"notes listed, not kept", []string{"docs/NOTES.md", ManifestName}, small, ""},
		{"notes missing", []string{ManifestName, "NOTES.md"}, small, `takehome.yaml: notes file "docs/NOTES.md" not found in the submission`},
		{"manifest too large to keep", []string{"docs/NOTES.md", ManifestName}, nil, "takehome.yaml: larger than 64 KB"},
		{"manifest missing", []string{"src/takehome.yml"}, small, `takehome.yaml: not found at the root of the submission (found "src/takehome.yml")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseManifestListing(tt.names, tt.small, testPhases)
			if tt.msg == "" {
				if err != nil || m.Notes != "docs/NOTES.md" {
					t.Fatalf("got %+v, %v", m, err)
				}
				return
			}
			if code, got := ErrorCode(err), ErrorMessage(err); code != CodeUnprocessable || got != tt.msg {
				t.Errorf("error = %s %q\n        want %s %q", code, got, CodeUnprocessable, tt.msg)
			}
		})
	}
}
