// Package exercises defines the contract every exercise implements: what it
// shows the candidate, the phases a submission runs, the public and hidden
// eval sets, and the pure-Go scorer that turns phase outputs into a report.
package exercises

import (
	"encoding/json"
	"fmt"
	"time"
)

// Kind names the family an exercise belongs to.
type Kind string

// The kinds of exercise the product knows.
const (
	KindTabular Kind = "tabular"
	KindRAG     Kind = "rag"
	KindTest    Kind = "test"
)

// Mode says which eval set a run uses.
type Mode string

// A check run uses the public dev set and shows the candidate everything; a
// final run uses the hidden eval set and shows the candidate its status only.
const (
	ModeCheck Mode = "check"
	ModeFinal Mode = "final"
)

// ParseMode turns user input into a Mode.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case ModeCheck, ModeFinal:
		return Mode(s), nil
	case "":
		return ModeFinal, nil
	}
	return "", fmt.Errorf("mode %q: want check or final", s)
}

// File is a named blob: a starter-kit file, a phase input or a phase output.
// Name is a slash-separated relative path.
type File struct {
	Name string
	Data []byte
}

// Limits are the resources one phase container may use.
type Limits struct {
	MemoryBytes    int64         `json:"memory_bytes"`
	NanoCPUs       int64         `json:"nano_cpus"`
	Pids           int64         `json:"pids"`
	Timeout        time.Duration `json:"timeout"`
	LogBytes       int64         `json:"log_bytes"`             // kept from stdout+stderr (head and tail)
	StdoutBytes    int64         `json:"stdout_bytes"`          // the phase is stopped with output_limit past this
	OutputBytes    int64         `json:"output_bytes"`          // total size of /output
	OutputFiles    int           `json:"output_files"`          // number of entries in /output
	TmpBytes       int64         `json:"tmp_bytes"`             // size of the /tmp tmpfs
	WorkspaceBytes int64         `json:"workspace_bytes"`       // size of /workspace
	StateBytes     int64         `json:"state_bytes,omitempty"` // size of /state, for steps that keep one (exercises.Step.State); 0: the sandbox's default
}

// DefaultLimits are the limits of a phase that does not set its own.
func DefaultLimits() Limits {
	return Limits{
		MemoryBytes:    1 << 30,
		NanoCPUs:       1_000_000_000,
		Pids:           256,
		Timeout:        10 * time.Minute,
		LogBytes:       256 << 10,
		StdoutBytes:    64 << 20,
		OutputBytes:    64 << 20,
		OutputFiles:    100,
		TmpBytes:       256 << 20,
		WorkspaceBytes: 512 << 20,
	}
}

// Phase is one step of a submission, run in its own container.
type Phase struct {
	Name    string   `json:"name"`
	Inputs  []string `json:"inputs"`  // files the phase finds in /data
	Outputs []string `json:"outputs"` // files the phase must write to /output
	Limits  Limits   `json:"limits"`
}

// Spec is what an exercise version declares about itself. It is stored with
// the version and never changes once an invite references the version.
type Spec struct {
	Slug  string `json:"slug"`
	Kind  Kind   `json:"kind"`
	Title string `json:"title"`
	Brief string `json:"brief"` // Markdown
	Image string `json:"image"` // sandbox image reference
	// Phases run in order. The first one builds the workspace (trains a
	// model, builds an index); every step of a later phase, and a later
	// phase may run several times, sees /workspace read-only, exactly as
	// the first phase left it, with a fresh /tmp: no run of a later phase
	// can leave state for another to find.
	Phases   []Phase `json:"phases"`
	Headline string  `json:"headline"` // name of the headline metric
	// Engine is the slug of the registered exercise that runs and scores
	// this version; empty means Slug. Versions imported from data (e.g. a
	// team's own BEIR folder) have a slug of their own and the engine of
	// the exercise kind they reuse.
	Engine string `json:"engine,omitempty"`
	// Models, when set, gives phases models through the platform's gateway
	// (OpenAI's API on 127.0.0.1:8765 inside the sandbox).
	Models *ModelAccess `json:"models,omitempty"`
}

// EngineSlug is the slug of the exercise that runs and scores the spec.
func (s Spec) EngineSlug() string {
	if s.Engine != "" {
		return s.Engine
	}
	return s.Slug
}

// PhaseNames lists the phases in order.
func (s Spec) PhaseNames() []string {
	names := make([]string, len(s.Phases))
	for i, p := range s.Phases {
		names[i] = p.Name
	}
	return names
}

// Item is one row of an eval set. Input is what a submission may see; Label
// and Meta are hidden and only ever reach the scorer.
type Item struct {
	Key   string          `json:"key"`
	Input json.RawMessage `json:"input"`
	Label json.RawMessage `json:"label"`
	Meta  json.RawMessage `json:"meta,omitempty"`
}

// EvalSet is a named set of items: "public" for check runs, "hidden" for
// final runs.
type EvalSet struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
	// Meta is hidden data about the whole set that only the scorer reads,
	// e.g. the reference models' scores on it.
	Meta json.RawMessage `json:"meta,omitempty"`
}

// Names of the two eval sets every version has.
const (
	SetPublic = "public"
	SetHidden = "hidden"
)

// SetFor returns the eval set name a mode runs on.
func SetFor(m Mode) string {
	if m == ModeCheck {
		return SetPublic
	}
	return SetHidden
}

// Version is everything one exercise version is made of.
type Version struct {
	Spec       Spec
	Seed       uint64
	StarterKit []File
	Assets     []File // public files phases may receive as inputs
	Sets       []EvalSet
}

// Set returns the version's eval set with the given name.
func (v *Version) Set(name string) (EvalSet, error) {
	for _, s := range v.Sets {
		if s.Name == name {
			return s, nil
		}
	}
	return EvalSet{}, fmt.Errorf("exercise %s: no eval set %q", v.Spec.Slug, name)
}

// Step is one container run of a grading run: a phase of the spec, or an extra
// probe of a phase (for instance a second predict on perturbed inputs).
type Step struct {
	Name   string // unique within a run, e.g. "predict" or "probe-plan"
	Phase  string // the phase whose command runs
	Inputs []File // files placed in /data
	// State, when set, names a writable /state the step shares with the
	// other steps of the same state, and no others, in order (e.g. the
	// weeks of one monitoring stream); it starts empty.
	State string
}

// ScoreInput is what a scorer gets: the outputs of every step and the
// labelled eval set. It runs in the runner, never in a sandbox.
type ScoreInput struct {
	Spec          Spec
	Mode          Mode
	Set           EvalSet
	Outputs       map[string][]File // by step name
	Workspace     []File            // the submission's own files (e.g. its eval set)
	Assets        []File            // the version's public files, e.g. the corpus the spans index
	ExpectedScore *float64
	// ExpectedFalseAlarms is the monitor's declared false alarms per 52
	// weeks without change (takehome.yaml's monitor block), nil if none.
	ExpectedFalseAlarms *float64
	Usage               map[string]StepUsage // by step name: what each step took
}

// StepUsage is the time and memory one step took, as the sandbox measured
// them, for scorers that report speed (e.g. queries per second).
type StepUsage struct {
	Wall       time.Duration
	PeakMemory int64 // bytes; 0 when the engine reported none
	// Model use through the gateway, when the step had model access.
	ModelCalls     int
	ModelTokens    int   // prompt and completion
	ModelCostMicro int64 // micro-USD
	BudgetExceeded bool  // a call was refused because the budget could not hold it
}

// Metric is one named number with the convention it follows.
type Metric struct {
	Name       string   `json:"name"`
	Value      *float64 `json:"value"` // nil when undefined (e.g. AUC with one class)
	Low        *float64 `json:"low,omitempty"`
	High       *float64 `json:"high,omitempty"`
	Convention string   `json:"convention,omitempty"`
}

// Result is an exercise's verdict on a submission's outputs.
type Result struct {
	Valid    bool            `json:"valid"`              // false: outputs broke the contract
	Problems []string        `json:"problems,omitempty"` // specific reasons when invalid
	Score    *float64        `json:"score,omitempty"`    // 0..100
	Headline *Metric         `json:"headline,omitempty"`
	Metrics  []Metric        `json:"metrics,omitempty"`
	Findings []string        `json:"findings,omitempty"` // plain sentences for interviewers
	Charts   []Chart         `json:"charts,omitempty"`   // drawn by the web app as SVG
	Tables   []Table         `json:"tables,omitempty"`   // shown as HTML tables
	Details  json.RawMessage `json:"details,omitempty"`  // exercise specific
}

// Chart is a plot an exercise asks the web app to draw, so the web app needs
// no knowledge of any exercise. Line charts join each series' points in
// order; bar charts draw one bar per point, labelled by Point.Label.
type Chart struct {
	ID     string   `json:"id"` // stable within a result, e.g. "roc"
	Title  string   `json:"title"`
	Kind   string   `json:"kind"` // "line" or "bar"
	XLabel string   `json:"x_label"`
	YLabel string   `json:"y_label"`
	Series []Series `json:"series"`
	// Bands shade spans of x behind a line chart, e.g. the weeks a change
	// lasted.
	Bands []Band `json:"bands,omitempty"`
}

// Band is a shaded span of x, from From to To, named by Label.
type Band struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Label string  `json:"label"`
}

// Series is one named line or set of bars of a chart.
type Series struct {
	Name   string  `json:"name"`
	Points []Point `json:"points"`
	// Marks draws the points as markers without a joining line, e.g. the
	// weeks an alert was raised.
	Marks bool `json:"marks,omitempty"`
}

// Point is one point of a series; Label names a bar or a category.
type Point struct {
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Label string  `json:"label,omitempty"`
}

// Table is a titled table of strings. StaffOnly tables (e.g. the worst
// queries beside their gold evidence) are never shown to a candidate.
type Table struct {
	Title     string     `json:"title"`
	Columns   []string   `json:"columns"`
	Rows      [][]string `json:"rows"`
	StaffOnly bool       `json:"staff_only,omitempty"`
}

// Exercise is the contract an exercise implements. Implementations are pure
// Go: they generate data and score outputs but do no I/O of their own.
type Exercise interface {
	// Slug names the exercise, e.g. "tabular-churn".
	Slug() string
	// Build generates the version for a seed; the same seed gives the same bytes.
	Build(seed uint64) (*Version, error)
	// Steps lists the container runs of a grading run on the given set, in
	// order, with the inputs each receives. assets are the version's assets.
	// Inputs never contain labels.
	Steps(spec Spec, assets []File, set EvalSet) ([]Step, error)
	// Score turns the outputs of the steps into a result.
	Score(in ScoreInput) (Result, error)
}

// FindFile returns the file with the given name.
func FindFile(files []File, name string) (File, bool) {
	for _, f := range files {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}

// Reference is a reference submission an exercise ships, so admins can run
// it against a version before publishing and tests can check the grader
// ranks known-good above known-bad.
type Reference struct {
	Name        string // e.g. "careful"
	Description string // one sentence for admins
	Files       []File // the submission's files, takehome.yaml at the root
}

// Referencer is implemented by exercises that ship reference submissions.
type Referencer interface {
	References() ([]Reference, error)
}

// VersionReferencer is implemented by exercises whose references differ
// by version: an older version's spec may lack a phase today's references
// have commands for.
type VersionReferencer interface {
	ReferencesFor(spec Spec) ([]Reference, error)
}

// WorkspaceStepper is implemented by exercises that add probe steps built
// from the submission's own files, e.g. a run of the query phase on the
// candidate's own eval set. The steps run after the exercise's Steps; their
// names must differ from their phase so that a failure only loses the probe.
// Bad candidate files must yield no step, not an error: an error is taken as
// an infrastructure fault.
type WorkspaceStepper interface {
	WorkspaceSteps(spec Spec, files []File) ([]Step, error)
}

// PythonImage is the sandbox image every built-in exercise runs in: Python
// with numpy, pandas, scipy and scikit-learn (images/python).
const PythonImage = "takehome/python:1"
