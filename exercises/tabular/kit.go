package tabular

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"takehome/exercises"
)

//go:embed kit/BRIEF.md
var brief string

//go:embed kit/DATA_DICTIONARY.md
var dictionary []byte

//go:embed references
var referenceFS embed.FS

// starterKit is what the invite's zip holds: the brief, the dictionary, the
// training data and the baseline submission to start from.
func starterKit(trainCSV []byte) []exercises.File {
	kit := []exercises.File{
		{Name: "README.md", Data: []byte(brief)},
		{Name: "DATA_DICTIONARY.md", Data: dictionary},
		{Name: TrainFile, Data: trainCSV},
	}
	base, err := exercises.ReadFiles(referenceFS, "references/baseline")
	if err != nil {
		panic(err) // embedded at build time: cannot fail at run time
	}
	return append(kit, base...)
}

// practiceKit is the practice stream as the starter kit ships it: each
// week's /data as the monitor phase sees it, and, since it is for
// practice, every label and the schedule of its changes.
func practiceKit(s Stream) []exercises.File {
	var kit []exercises.File
	var all bytes.Buffer
	all.WriteString("week,id,label\n")
	for k := 1; k <= len(s.Weeks); k++ {
		dir := fmt.Sprintf("practice/week-%02d/", k)
		var labelled []WeekRow
		if k > LabelDelay {
			labelled = s.Weeks[k-1-LabelDelay]
		}
		kit = append(kit,
			exercises.File{Name: dir + WeekFile, Data: WeekCSV(s.Weeks[k-1])},
			exercises.File{Name: dir + LabelsFile, Data: LabelsCSV(labelled)},
			exercises.File{Name: dir + MetaFile, Data: WeekMeta(s, k)})
		for _, r := range s.Weeks[k-1] {
			fmt.Fprintf(&all, "%d,%s,%s\n", k, r.ID, label(r.Churned))
		}
	}
	events, _ := json.MarshalIndent(s.Events, "", "  ") // plain structs: cannot fail
	return append(kit, exercises.File{Name: "practice/all_labels.csv", Data: all.Bytes()},
		exercises.File{Name: "practice/events.json", Data: append(events, '\n')})
}

var references = []exercises.Reference{
	{Name: "leaky", Description: "Gradient boosting on every column, validated on a random split: rides the planted leaks."},
	{Name: "baseline", Description: "Logistic regression on four honest columns; the starter kit's baseline."},
	{Name: "careful", Description: "Drops the leaks, deduplicates, validates forward in time and declares that score; monitors the score distribution and data invariants with corrections, estimates AUC by CBPE until labels arrive, retrains only on realized loss."},
	{Name: "monitor-naive", Description: "The careful model with a naive monitor: a KS test per feature at p < 0.05, uncorrected, and a retrain on every alert."},
	{Name: "monitor-silent", Description: "The careful model with a monitor that never alerts and estimates a constant."},
}

// overlays are references made of another one's files with some replaced:
// the monitor-only references share careful's model.
var overlays = map[string]string{"monitor-naive": "careful", "monitor-silent": "careful"}

// References implements exercises.Referencer.
func (Exercise) References() ([]exercises.Reference, error) {
	refs, err := exercises.ReadReferences(referenceFS, "references", references)
	if err != nil {
		return nil, err
	}
	byName := map[string][]exercises.File{}
	for _, r := range refs {
		byName[r.Name] = r.Files
	}
	for i, r := range refs {
		if base, ok := overlays[r.Name]; ok {
			refs[i].Files = overlay(byName[base], r.Files)
		}
	}
	return refs, nil
}

// ReferencesFor implements exercises.VersionReferencer: a version built
// before the monitor phase gets the references without it (no monitor-only
// references, and no monitor command or block in takehome.yaml), so that
// they run on it as they always did.
func (e Exercise) ReferencesFor(spec exercises.Spec) ([]exercises.Reference, error) {
	refs, err := e.References()
	if err != nil || hasMonitor(spec) {
		return refs, err
	}
	var out []exercises.Reference
	for _, r := range refs {
		if _, monitorOnly := overlays[r.Name]; monitorOnly {
			continue
		}
		files := slices.Clone(r.Files)
		for i, f := range files {
			if f.Name != "takehome.yaml" {
				continue
			}
			if files[i].Data, err = withoutMonitor(f.Data); err != nil {
				return nil, fmt.Errorf("reference %s: %w", r.Name, err)
			}
		}
		r.Files = files
		out = append(out, r)
	}
	return out, nil
}

// withoutMonitor removes the monitor phase's command and the monitor block
// from a takehome.yaml, keeping the rest and its comments.
func withoutMonitor(data []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("takehome.yaml is not a mapping")
	}
	top := doc.Content[0]
	deleteKey(top, MonitorPhase)
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "phases" {
			deleteKey(top.Content[i+1], MonitorPhase)
		}
	}
	return yaml.Marshal(&doc)
}

// deleteKey removes a key and its value from a YAML mapping node.
func deleteKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// overlay is base's files with those of top in place of the ones of the
// same name, and top's others added.
func overlay(base, top []exercises.File) []exercises.File {
	out := slices.Clone(top)
	for _, f := range base {
		if _, ok := exercises.FindFile(top, f.Name); !ok {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b exercises.File) int { return strings.Compare(a.Name, b.Name) })
	return out
}
