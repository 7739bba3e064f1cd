package grader

import (
	"errors"
	"fmt"
	"strconv"
)

// Code classifies an error for users: it maps to an HTTP status in web and
// to a retry decision in the queue.
type Code string

// Error codes.
const (
	CodeInvalid       Code = "invalid"       // 400/422: the input is wrong
	CodeUnauthorized  Code = "unauthorized"  // 401
	CodeForbidden     Code = "forbidden"     // 403
	CodeNotFound      Code = "not_found"     // 404
	CodeConflict      Code = "conflict"      // 409
	CodeTooLarge      Code = "too_large"     // 413
	CodeUnprocessable Code = "unprocessable" // 422
	CodeQuota         Code = "quota"         // 429
	CodeInternal      Code = "internal"      // 500
	CodeUnavailable   Code = "unavailable"   // 503
)

// Error is an error with a code and a message that is safe to show users.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, CodeInternal when it has none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
