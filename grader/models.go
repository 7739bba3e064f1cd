package grader

import (
	"context"
	"time"

	"takehome/exercises"
)

// ModelGrant is what one gateway token allows: calls by one step of one
// run, to the models of its version, against the run's budget.
type ModelGrant struct {
	RunID    int64
	Phase    string
	Step     string
	Hidden   bool // the step sees hidden data: its calls are for interviewers only
	Provider string
	Models   []exercises.Model
}

// Gateway hands steps their access to models. Grant issues a fresh token for
// one step; Finish revokes it when the step ends (a token also expires)
// and sums up the step's calls.
type Gateway interface {
	// Budget sets what the run may spend, before its first grant.
	Budget(ctx context.Context, runID int64, access *exercises.ModelAccess) error
	Grant(ctx context.Context, g ModelGrant, ttl time.Duration) (token string, err error)
	Finish(ctx context.Context, token string, g ModelGrant) (ModelUse, error)
}

// ModelUse sums up one step's model calls for its phase record.
type ModelUse struct {
	Provider         string `json:"provider"`
	External         bool   `json:"external"` // prompts left the platform
	Calls            int    `json:"calls"`
	Refused          int    `json:"refused"` // by the budget or the in-flight cap
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	CostMicro        int64  `json:"cost_micro_usd"`
	// BudgetExceeded is the step's ending beside its verdict: at least one
	// call was refused because the budget could not hold it.
	BudgetExceeded bool `json:"budget_exceeded"`
}

// StepGateway is what a step gets of the gateway: its token and the models
// it may name.
type StepGateway struct {
	Token  string
	Models []string
}

// CostSource says where a model call's settled cost came from.
type CostSource string

const (
	CostProvider  CostSource = "provider"  // the usage the provider reported
	CostEstimated CostSource = "estimated" // the gateway's own count (e.g. a cut stream)
	CostSwept     CostSource = "swept"     // never settled: charged its full reservation
)

// Call statuses.
const (
	CallOK             = "ok"
	CallBudgetExceeded = "budget_exceeded" // refused: the budget could not hold it
	CallRateLimited    = "rate_limited"    // refused: too many calls in flight
	CallUpstreamError  = "upstream_error"  // the provider failed or answered an error
	CallCanceled       = "canceled"        // the caller went away mid-call
	CallLost           = "lost"            // never settled (the gateway died): swept at its reservation
)

// ModelCall is one call through the gateway as recorded. Bodies are capped
// and gzipped; their hashes are of the full bodies.
type ModelCall struct {
	ID               int64
	RunID            int64
	Phase, Step      string
	Hidden           bool   // made on hidden data: for interviewers only
	Endpoint         string // "chat.completions" or "embeddings"
	Model            string // as requested
	ServedModel      string // as the provider answered
	Provider         string
	Stream           bool
	Status           string
	HTTPStatus       int
	PromptTokens     int
	CompletionTokens int
	ReservedMicro    int64
	CostMicro        int64
	CostSource       CostSource
	Capped           bool // the gateway set the output cap
	StartedAt        time.Time
	FirstToken       time.Duration // 0 when no token came
	Total            time.Duration
	RequestGz        []byte
	ResponseGz       []byte
	RequestSHA256    []byte
	ResponseSHA256   []byte
}

// LLMProvider is a model provider an admin configured: an upstream that
// speaks OpenAI's API. Key is write-only: it is never shown or logged and
// never reaches a sandbox.
type LLMProvider struct {
	Name           string
	BaseURL        string // up to and including /v1
	Key            string
	KeySet         bool   // in listings, which carry no key
	MaxTokensField string // max_completion_tokens or max_tokens
	UpdatedAt      time.Time
	UpdatedBy      string
}
