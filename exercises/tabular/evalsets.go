package tabular

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"takehome/exercises"
	"takehome/metric/classify"
)

// setMeta is the hidden metadata stored with each eval set.
type setMeta struct {
	// Clean is the clean reference model on this set.
	Clean classify.Report `json:"clean_reference"`
	// CleanPublic is the clean reference on the public block (hidden set
	// only), so the scorer can show the clean public-to-hidden gap.
	CleanPublic *classify.Report `json:"clean_reference_public,omitempty"`
	// TrainPrevalence is the churn rate of the training file, the constant
	// a model without features would predict.
	TrainPrevalence float64 `json:"train_prevalence"`
	// PublicLabels are the public block's labels by id (hidden set only):
	// final runs also predict the public block to measure the gap.
	PublicLabels map[string]int `json:"public_labels,omitempty"`
	// Monitor holds the set's monitoring streams (versions with a monitor
	// phase): the practice stream in the public set, the hidden ones in
	// the hidden set.
	Monitor *monitorMeta `json:"monitor,omitempty"`
}

// itemMeta is the hidden metadata of one row: when it was taken and the
// values of its leaky columns as numbers (nil when missing).
type itemMeta struct {
	Month int                 `json:"month"`
	Leaks map[string]*float64 `json:"leaks"`
}

// evalSets builds the public and hidden sets; practice and streams are
// their monitoring streams.
func evalSets(d dataset, practice, streams *monitorMeta) (public, hidden exercises.EvalSet, err error) {
	ref := cleanReference(d.train)
	meta := setMeta{TrainPrevalence: prevalence(d.train), Monitor: practice}
	pubReport := referenceReport(ref, d.public)
	meta.Clean = pubReport
	if public, err = evalSet(exercises.SetPublic, d.public, meta); err != nil {
		return public, hidden, err
	}
	meta.Clean = referenceReport(ref, d.hidden)
	meta.CleanPublic = &pubReport
	meta.Monitor = streams
	meta.PublicLabels = make(map[string]int, len(d.public))
	for _, r := range d.public {
		meta.PublicLabels[r.id] = int(b2f(r.a.churned))
	}
	hidden, err = evalSet(exercises.SetHidden, d.hidden, meta)
	return public, hidden, err
}

func evalSet(name string, rows []row, meta setMeta) (exercises.EvalSet, error) {
	set := exercises.EvalSet{Name: name}
	var err error
	if set.Meta, err = json.Marshal(meta); err != nil {
		return set, fmt.Errorf("%s set meta: %w", name, err)
	}
	for _, r := range sortedByID(rows) {
		it := exercises.Item{Key: r.id, Label: json.RawMessage(label(r.a.churned))}
		if it.Input, err = json.Marshal(r.cells); err != nil {
			return set, fmt.Errorf("%s row %s: %w", name, r.id, err)
		}
		if it.Meta, err = json.Marshal(leakMeta(r.a)); err != nil {
			return set, fmt.Errorf("%s row %s: %w", name, r.id, err)
		}
		set.Items = append(set.Items, it)
	}
	return set, nil
}

func leakMeta(a account) itemMeta {
	offer, seg, acct := b2f(a.offer), a.segRate, float64(a.acctNo)
	m := itemMeta{Month: a.month, Leaks: map[string]*float64{
		"retention_offer_sent": &offer, "segment_churn_rate": &seg, "account_number": &acct,
	}}
	if a.offerNA {
		m.Leaks["retention_offer_sent"] = nil
	}
	if a.segRateN {
		m.Leaks["segment_churn_rate"] = nil
	}
	return m
}

func referenceReport(predict func(account) float64, rows []row) classify.Report {
	y := make([]bool, len(rows))
	p := make([]float64, len(rows))
	for i, r := range rows {
		y[i], p[i] = r.a.churned, predict(r.a)
	}
	return classify.Evaluate(y, p)
}

func prevalence(rows []row) float64 {
	n := 0.0
	for _, r := range rows {
		n += b2f(r.a.churned)
	}
	return math.Round(n/float64(len(rows))*1e6) / 1e6
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// sortedByID returns the rows in the order the store lists items: by key,
// bytewise.
func sortedByID(rows []row) []row {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b row) int { return strings.Compare(a.id, b.id) })
	return out
}
