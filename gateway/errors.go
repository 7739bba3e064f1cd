// Package gateway is the model gateway sandboxed code calls for chat and
// embeddings (OpenAI's API shapes). This file and validate.go are its
// request checks; the transport, budgets (internal/postgres llm_budgets)
// and providers are wired around them.
package gateway

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Error is an OpenAI-style API error: the gateway answers every refusal
// with one, as {"error": {"message", "type", "param", "code"}}, which the
// official SDKs parse.
type Error struct {
	Status  int     `json:"-"`
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *Error) Error() string { return e.Message }

// invalid is a 400 invalid_request_error about param ("" for none).
func invalid(param, code, message string) *Error {
	e := &Error{Status: http.StatusBadRequest, Message: message, Type: "invalid_request_error"}
	if param != "" {
		e.Param = &param
	}
	if code != "" {
		e.Code = &code
	}
	return e
}

// Write sends the error. A refusal the client must not retry (a bad
// request, an exhausted budget) says so in x-should-retry: the Stainless
// SDKs otherwise retry every 429 and 409 twice.
func (e *Error) Write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	retryable := e.Status >= 500 || (e.Status == http.StatusTooManyRequests && e.Type != "insufficient_quota")
	if !retryable {
		w.Header().Set("x-should-retry", "false")
	}
	w.WriteHeader(e.Status)
	_, _ = w.Write(e.body())
}

// body is the error's envelope.
func (e *Error) body() []byte {
	data, _ := json.Marshal(map[string]*Error{"error": e})
	return append(data, '\n')
}

// budgetExceeded refuses a call the budget cannot pay for. It is final:
// retrying restores nothing.
func budgetExceeded(why string) *Error {
	code := "budget_exceeded"
	return &Error{Status: http.StatusTooManyRequests, Type: "insufficient_quota", Code: &code,
		Message: "The model budget of this run is exhausted: " + why + ". Further calls are refused; the phase goes on."}
}

// unauthorized refuses a call whose API key is not a live token.
func unauthorized() *Error {
	code := "invalid_api_key"
	return &Error{Status: http.StatusUnauthorized, Type: "invalid_request_error", Code: &code,
		Message: "Incorrect API key provided: use the OPENAI_API_KEY of this step; it ends with the step."}
}

// busy refuses a call past the in-flight cap; the client may retry.
func busy(limit int) *Error {
	code := "rate_limit_exceeded"
	return &Error{Status: http.StatusTooManyRequests, Type: "requests", Code: &code,
		Message: "Too many calls in flight: at most " + strconv.Itoa(limit) + " at once per step."}
}

// upstreamFailed reports a provider failure without its body, which may
// echo the provider key or another tenant's details.
func upstreamFailed(status int, why string) *Error {
	code := "upstream_error"
	out := http.StatusBadGateway
	if status == http.StatusTooManyRequests {
		out = status // the provider's own rate limit: retryable
	}
	return &Error{Status: out, Type: "api_error", Code: &code, Message: "The model provider failed: " + why}
}
