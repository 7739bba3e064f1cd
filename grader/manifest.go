package grader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"takehome/exercises"
)

// ManifestName is the file at the root of a submission that says how to run it.
const ManifestName = "takehome.yaml"

// Caps on the manifest and what it points to.
const (
	maxManifestBytes = 64 << 10
	maxCommandBytes  = 4096
	maxNotesBytes    = 256 << 10
)

// Manifest is takehome.yaml at the root of a submission.
type Manifest struct {
	// Phases maps each phase name to the shell command that runs it.
	Phases map[string]string `json:"phases" yaml:"phases"`
	// ExpectedScore is the candidate's own estimate of the headline metric,
	// in [0, 1].
	ExpectedScore *float64 `json:"expected_score,omitempty" yaml:"expected_score,omitempty"`
	// Notes is the path of the write-up inside the submission.
	Notes string `json:"notes,omitempty" yaml:"notes,omitempty"`
	// Monitor is what the candidate declares about a monitor phase.
	Monitor *MonitorManifest `json:"monitor,omitempty" yaml:"monitor,omitempty"`
}

// MonitorManifest is the monitor block of takehome.yaml.
type MonitorManifest struct {
	// ExpectedFalseAlarmsPerYear is how many of 52 weeks without any change
	// the candidate expects their monitor to alert in: graded against the
	// rate it shows, like expected_score.
	ExpectedFalseAlarmsPerYear *float64 `json:"expected_false_alarms_per_year,omitempty" yaml:"expected_false_alarms_per_year"`
}

// monitorPhase is the phase a monitor block belongs to.
const monitorPhase = "monitor"

// ParseManifest finds takehome.yaml among the files of a submission and
// checks it against the phases of the exercise. Errors are *Error with
// CodeUnprocessable and a message that starts with "takehome.yaml: ".
func ParseManifest(files []exercises.File, phases []string) (Manifest, error) {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	return ParseManifestListing(names, files, phases)
}

// ParseManifestListing is ParseManifest for a submission known by the names
// of its files and the content of some: small must hold takehome.yaml when it
// is at most 64 KB, and a takehome.yaml in names but not in small is taken
// as larger. Other files, such as the notes, need only be in names.
func ParseManifestListing(names []string, small []exercises.File, phases []string) (Manifest, error) {
	if !slices.Contains(names, ManifestName) {
		return Manifest{}, manifestError("not found at the root of the submission%s", manifestHint(names))
	}
	f, ok := exercises.FindFile(small, ManifestName)
	if !ok || len(f.Data) > maxManifestBytes {
		return Manifest{}, manifestError("larger than %d KB", maxManifestBytes>>10)
	}
	m, err := decodeManifest(f.Data)
	if err != nil {
		return Manifest{}, err
	}
	if err := m.check(names, phases); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// Command returns the argv that runs a phase: the shell runs inside the
// sandbox only. It returns nil when the manifest has no command for phase,
// which ParseManifest never accepts.
func (m Manifest) Command(phase string) []string {
	cmd, ok := m.Phases[phase]
	if !ok {
		return nil
	}
	return []string{"/bin/sh", "-c", cmd}
}

// NotesText returns the write-up the manifest points to, "" if none: at most
// 256 KB, with invalid UTF-8 and NUL bytes replaced so it can be stored and
// shown as text.
func NotesText(files []exercises.File, m Manifest) string {
	if m.Notes == "" {
		return ""
	}
	f, ok := exercises.FindFile(files, m.Notes)
	if !ok {
		return ""
	}
	data, suffix := f.Data, ""
	if len(data) > maxNotesBytes {
		data, suffix = data[:maxNotesBytes], "\n\n[truncated at 256 KB]"
	}
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	return strings.ReplaceAll(text, "\x00", "\uFFFD") + suffix
}

func manifestError(format string, args ...any) *Error {
	return Errorf(CodeUnprocessable, ManifestName+": "+format, args...)
}

// manifestHint points at a manifest that is almost where it should be.
func manifestHint(names []string) string {
	for _, name := range names {
		base := name[strings.LastIndex(name, "/")+1:]
		if strings.EqualFold(base, "takehome.yaml") || strings.EqualFold(base, "takehome.yml") {
			return fmt.Sprintf(" (found %q)", name)
		}
	}
	return ""
}

// decodeManifest decodes one strict YAML document.
func decodeManifest(data []byte) (Manifest, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var m Manifest
	if err := dec.Decode(&m); errors.Is(err, io.EOF) {
		return Manifest{}, manifestError("the file is empty")
	} else if err != nil {
		return Manifest{}, manifestError("%s", yamlProblem(err))
	}
	var rest yaml.Node
	switch err := dec.Decode(&rest); {
	case err == nil:
		return Manifest{}, manifestError("more than one YAML document")
	case !errors.Is(err, io.EOF):
		return Manifest{}, manifestError("%s", yamlProblem(err))
	}
	return m, nil
}

var unknownField = regexp.MustCompile(`field (.*) not found in type \S+`)

// yamlNames replaces Go type names in decoder messages with words.
var yamlNames = strings.NewReplacer(
	"grader.Manifest", "a mapping (phases, expected_score, notes, monitor)",
	"grader.MonitorManifest", "a mapping (expected_false_alarms_per_year)",
	"map[string]string", "a mapping of phase names to commands",
	"float64", "a number",
	"into string", "into a string",
)

// yamlProblem turns a decoder error into a message with its line.
func yamlProblem(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	msg = unknownField.ReplaceAllString(msg, `unknown field "$1"`)
	return yamlNames.Replace(msg)
}

// check checks a decoded manifest against the exercise and the names of the
// submission's files.
func (m Manifest) check(names, phases []string) error {
	if err := checkPhases(m.Phases, phases); err != nil {
		return err
	}
	if err := checkExpectedScore(m.ExpectedScore); err != nil {
		return err
	}
	if err := checkMonitor(m.Monitor, phases); err != nil {
		return err
	}
	return checkNotes(names, m.Notes)
}

func checkPhases(cmds map[string]string, phases []string) error {
	names := make([]string, 0, len(cmds))
	for name := range cmds {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(phases, name) {
			return manifestError("unknown phase %s (this exercise has: %s)", quotePhase(name), strings.Join(phases, ", "))
		}
	}
	for _, p := range phases {
		if err := checkCommand(p, cmds); err != nil {
			return err
		}
	}
	return nil
}

func checkCommand(phase string, cmds map[string]string) error {
	cmd, ok := cmds[phase]
	switch {
	case !ok:
		return manifestError("no command for phase %s", quotePhase(phase))
	case strings.TrimSpace(cmd) == "":
		return manifestError("command for phase %s is empty", quotePhase(phase))
	case len(cmd) > maxCommandBytes:
		return manifestError("command for phase %s is longer than %d bytes", quotePhase(phase), maxCommandBytes)
	case strings.ContainsRune(cmd, 0):
		return manifestError("command for phase %s contains a NUL byte", quotePhase(phase))
	}
	return nil
}

// checkExpectedScore wants the candidate's estimate on the scale of the
// headline metric, which is in [0, 1] for every exercise (AUC, nDCG, ...).
func checkExpectedScore(v *float64) error {
	if v == nil || (*v >= 0 && *v <= 1) { // false for NaN
		return nil
	}
	return manifestError("expected_score must be a finite number in [0, 1] on the scale of the headline metric (e.g. AUC or nDCG), got %s",
		strconv.FormatFloat(*v, 'g', -1, 64))
}

// checkMonitor wants a monitor block only where there is a monitor phase,
// with a false-alarm rate a year of weeks can have.
func checkMonitor(m *MonitorManifest, phases []string) error {
	switch {
	case m == nil:
		return nil
	case !slices.Contains(phases, monitorPhase):
		return manifestError("monitor: this exercise has no monitor phase (it has: %s)", strings.Join(phases, ", "))
	case m.ExpectedFalseAlarmsPerYear == nil:
		return manifestError("monitor: expected_false_alarms_per_year is missing")
	case !(*m.ExpectedFalseAlarmsPerYear >= 0 && *m.ExpectedFalseAlarmsPerYear <= 52): // true for NaN
		return manifestError("monitor: expected_false_alarms_per_year must be a number of weeks in [0, 52], got %s",
			strconv.FormatFloat(*m.ExpectedFalseAlarmsPerYear, 'g', -1, 64))
	}
	return nil
}

func checkNotes(names []string, notes string) error {
	if notes == "" {
		return nil
	}
	if !fs.ValidPath(notes) || notes == "." || strings.ContainsFunc(notes, isUnsafePathRune) {
		return manifestError("notes must be a clean relative path inside the submission such as NOTES.md, got %s", quoteShort(notes))
	}
	if !slices.Contains(names, notes) {
		return manifestError("notes file %s not found in the submission", quoteShort(notes))
	}
	return nil
}

func isUnsafePathRune(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' || r == utf8.RuneError }

func isPlainNameRune(r rune) bool {
	return r == '-' || r == '_' || r == '.' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}

// quotePhase quotes a phase name as 'train', or Go-quoted when it holds
// anything unusual.
func quotePhase(name string) string {
	for _, r := range name {
		if !isPlainNameRune(r) {
			return quoteShort(name)
		}
	}
	if name == "" || len(name) > 64 {
		return quoteShort(name)
	}
	return "'" + name + "'"
}

// quoteShort Go-quotes s, shortened when long.
func quoteShort(s string) string {
	const max = 100
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
