// Package gateway is the model gateway sandboxed code calls for chat and
// embeddings (OpenAI's API shapes). This file and validate.go are its
// request checks; the transport, budgets (internal/postgres llm_budgets)
// and providers are wired around them.
package gateway

import (
	"encoding/json"
	"net/http"
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
	_ = json.NewEncoder(w).Encode(map[string]*Error{"error": e})
}
