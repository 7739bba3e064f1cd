package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"takehome/grader"
)

// statusByCode maps error codes to HTTP statuses; a code not listed is 500.
var statusByCode = map[grader.Code]int{
	grader.CodeInvalid:       http.StatusBadRequest,
	grader.CodeUnauthorized:  http.StatusUnauthorized,
	grader.CodeForbidden:     http.StatusForbidden,
	grader.CodeNotFound:      http.StatusNotFound,
	grader.CodeConflict:      http.StatusConflict,
	grader.CodeTooLarge:      http.StatusRequestEntityTooLarge,
	grader.CodeUnprocessable: http.StatusUnprocessableEntity,
	grader.CodeQuota:         http.StatusTooManyRequests,
	grader.CodeUnavailable:   http.StatusServiceUnavailable,
	grader.CodeInternal:      http.StatusInternalServerError,
}

// errorBody is the envelope of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    grader.Code `json:"code"`
	Message string      `json:"message"`
}

// renderError writes err as the error envelope. Errors without a code are
// internal: logged here with their detail, shown as "internal error".
func (s *Server) renderError(c *gin.Context, err error) {
	code, status, msg := s.describeError(c, err)
	if c.Writer.Written() {
		return // a body is on its way already; describeError logged the error
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="takehome"`)
	}
	c.AbortWithStatusJSON(status, errorBody{errorDetail{code, msg}})
}

func errNoRoute(r *http.Request) error {
	return grader.Errorf(grader.CodeNotFound, "no route for %s %s", r.Method, r.URL.Path)
}

// describeError gives err's code, HTTP status and message for the caller.
// Errors without a code are internal: logged here with their detail, and
// described as "internal error".
func (s *Server) describeError(c *gin.Context, err error) (grader.Code, int, string) {
	code, msg := grader.ErrorCode(err), grader.ErrorMessage(err)
	status, ok := statusByCode[code]
	if !ok || code == grader.CodeInternal {
		s.log.ErrorContext(c, "internal error", "method", c.Request.Method, "path", redactPath(c.Request.URL.Path), "err", err)
		return grader.CodeInternal, http.StatusInternalServerError, "internal error"
	}
	return code, status, msg
}
