package builtin

import (
	"fmt"
	"net/http"
)

// apiError is an error in OpenAI's envelope,
// {"error": {"message", "type", "param", "code"}}, which the SDKs parse.
// It is this package's own (not gateway.Error) so that the gateway can
// import the provider without a cycle.
type apiError struct {
	status  int
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *apiError) write(w http.ResponseWriter) {
	body, _ := marshal(map[string]*apiError{"error": e}) // plain strings: cannot fail
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

// optional is nil for "" so that an absent param or code is JSON null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// invalid is a 400 invalid_request_error about param ("" for none).
func invalid(param, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, Message: message, Type: "invalid_request_error", Param: optional(param)}
}

// badJSON is OpenAI's answer to a body it cannot decode.
func badJSON(err error) *apiError {
	return invalid("", "We could not parse the JSON body of your request: "+err.Error())
}

// notFound is OpenAI's answer to an unknown method or path.
func notFound(r *http.Request) *apiError {
	msg := fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path)
	return &apiError{status: http.StatusNotFound, Message: msg, Type: "invalid_request_error"}
}

// modelNotFound is OpenAI's answer to a model it does not serve.
func modelNotFound(model, want string) *apiError {
	if model == "" {
		return invalid("model", "you must provide a model parameter")
	}
	msg := fmt.Sprintf("The model `%s` does not exist or you do not have access to it (this endpoint serves %s).", model, want)
	return &apiError{status: http.StatusNotFound, Message: msg, Type: "invalid_request_error", Param: optional("model"), Code: optional("model_not_found")}
}

// internal is a 500 for what cannot happen with well-formed values.
func internal(err error) *apiError {
	return &apiError{status: http.StatusInternalServerError, Message: "builtin provider: " + err.Error(), Type: "server_error"}
}
