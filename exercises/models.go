package exercises

import (
	"fmt"
	"slices"
)

// ModelAccess gives a version's phases models through the platform's
// gateway: which provider serves them, at what price, and what a run may
// spend. Prices are the version's own (local, never fetched), in micro-USD
// per million tokens.
type ModelAccess struct {
	Provider string  `json:"provider"` // "builtin" (offline, the default) or a provider an admin configured
	Models   []Model `json:"models"`
	// Phases that get access; empty means every phase.
	Phases []string `json:"phases,omitempty"`
	// BudgetMicroUSD is what one grading run may spend on calls.
	BudgetMicroUSD int64 `json:"budget_micro_usd"`
	// PhaseBudgetMicroUSD optionally caps single phases within the run's
	// budget (all runs of a phase share its cap).
	PhaseBudgetMicroUSD map[string]int64 `json:"phase_budget_micro_usd,omitempty"`
	// ExternalOnHidden allows phases that see hidden data to send prompts to
	// a provider outside the platform; off, they get the builtin one only.
	ExternalOnHidden bool `json:"external_on_hidden,omitempty"`
}

// Model is one model a run may call, with its price.
type Model struct {
	Name     string `json:"name"`               // what the candidate asks for
	Upstream string `json:"upstream,omitempty"` // the provider's name for it; empty means Name
	Kind     string `json:"kind"`               // "chat" or "embedding"
	// Prices in micro-USD per million tokens: 150000 is $0.15 per 1M.
	InputPrice  int64 `json:"input_micro_usd_per_mtok"`
	OutputPrice int64 `json:"output_micro_usd_per_mtok,omitempty"`
	// MaxOutput caps a chat reply when the request sets no cap.
	MaxOutput int `json:"max_output_tokens,omitempty"`
}

// Model kinds.
const (
	ModelChat      = "chat"
	ModelEmbedding = "embedding"
)

// maxPrice refuses prices above $1,000 per million tokens: the usual slip is
// a price per token entered as a price per million.
const maxPrice = 1_000_000_000

// Check reports the first problem of the access settings, if any.
func (a *ModelAccess) Check(phases []string) error {
	if len(a.Models) == 0 {
		return fmt.Errorf("model access lists no models")
	}
	if a.BudgetMicroUSD <= 0 {
		return fmt.Errorf("model access needs a budget above 0 micro-USD")
	}
	seen := map[string]bool{}
	for _, m := range a.Models {
		switch {
		case m.Name == "" || seen[m.Name]:
			return fmt.Errorf("model name %q is empty or repeated", m.Name)
		case m.Kind != ModelChat && m.Kind != ModelEmbedding:
			return fmt.Errorf("model %s: kind %q, want chat or embedding", m.Name, m.Kind)
		case m.InputPrice < 0 || m.OutputPrice < 0 || m.InputPrice > maxPrice || m.OutputPrice > maxPrice:
			return fmt.Errorf("model %s: prices must be 0 to %d micro-USD per million tokens (is a per-token price entered per million?)", m.Name, maxPrice)
		}
		seen[m.Name] = true
	}
	for _, p := range a.Phases {
		if !slices.Contains(phases, p) {
			return fmt.Errorf("model access names phase %q, which the version does not have", p)
		}
	}
	for p := range a.PhaseBudgetMicroUSD {
		if !slices.Contains(phases, p) {
			return fmt.Errorf("model budget names phase %q, which the version does not have", p)
		}
	}
	return nil
}

// For says whether a phase gets model access.
func (a *ModelAccess) For(phase string) bool {
	return a != nil && (len(a.Phases) == 0 || slices.Contains(a.Phases, phase))
}

// Find returns the model of that name.
func (a *ModelAccess) Find(name string) (Model, bool) {
	for _, m := range a.Models {
		if m.Name == name {
			return m, true
		}
	}
	return Model{}, false
}

// Names lists the models' names in order.
func (a *ModelAccess) Names() []string {
	names := make([]string, len(a.Models))
	for i, m := range a.Models {
		names[i] = m.Name
	}
	return names
}

// UpstreamName is the model's name at its provider.
func (m Model) UpstreamName() string {
	if m.Upstream != "" {
		return m.Upstream
	}
	return m.Name
}
