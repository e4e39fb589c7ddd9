package api

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Codes of the error body: stable, for clients to branch on. The HTTP
// status of each is in parentheses.
const (
	CodeInvalid              = "invalid"                // 400: the request is wrong; the message says how
	CodeUnauthorized         = "unauthorized"           // 401: the administrator token is missing or wrong
	CodeForbidden            = "forbidden"              // 403: not allowed here (another site, an expired page, an administrator's record)
	CodeNotFound             = "not_found"              // 404
	CodeMethodNotAllowed     = "method_not_allowed"     // 405
	CodeConflict             = "conflict"               // 409: e.g. an Idempotency-Key reused with another body
	CodeTooLarge             = "too_large"              // 413: the body is over the limit
	CodeUnsupportedMediaType = "unsupported_media_type" // 415: the body is not application/json
	CodeTooManyRequests      = "too_many_requests"      // 429: too many wrong administrator tokens; wait Retry-After seconds
	CodeInternal             = "internal"               // 500: the server failed; the message says nothing more
)

// Codes returns every error code, in the order above.
func Codes() []string {
	return []string{
		CodeInvalid, CodeUnauthorized, CodeForbidden, CodeNotFound, CodeMethodNotAllowed,
		CodeConflict, CodeTooLarge, CodeUnsupportedMediaType, CodeTooManyRequests, CodeInternal,
	}
}

// ErrorBody is the JSON body of every error answer:
// {"error": {"code": ..., "message": ...}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the content of ErrorBody.
type ErrorDetail struct {
	// Code is one of the Code constants.
	Code string `json:"code"`
	// Message says what was wrong, in English.
	Message string `json:"message"`
}

// Error is the error a Client returns for an answer that is not a success:
// the HTTP status and, when the body is an ErrorBody, its code and
// message. Branch on it with errors.As (or AsError), ErrorCode and
// HTTPStatus.
type Error struct {
	// Method and Path are the request's.
	Method, Path string
	// Status is the HTTP status code of the answer.
	Status int
	// Code and Message are the error body's. When the body was not one
	// (such as a proxy's error page), Code is empty and Message holds the
	// start of the body's text.
	Code, Message string
}

// Error implements error.
func (e *Error) Error() string {
	code := e.Code
	if code == "" {
		code = "no error code"
	}
	return fmt.Sprintf("%s %s: %d (%s): %s", e.Method, e.Path, e.Status, code, e.Message)
}

// maxErrorText bounds the text kept of a body that is not an ErrorBody.
const maxErrorText = 512

// newError makes the Error of an answer with the given status and body.
func newError(method, path string, status int, body []byte) *Error {
	e := &Error{Method: method, Path: path, Status: status}
	var b ErrorBody
	if unmarshal(body, &b) == nil && b.Error.Code != "" {
		e.Code, e.Message = b.Error.Code, b.Error.Message
		return e
	}
	text := strings.TrimSpace(string(body))
	if len(text) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	e.Message = text
	return e
}

// AsError returns the *Error in err's chain, as errors.As finds it, and
// whether there is one. Unlike errors.As it needs no reflection, which
// keeps the wasm viewer small.
func AsError(err error) (*Error, bool) {
	for err != nil {
		switch u := err.(type) {
		case *Error:
			return u, true
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, err := range u.Unwrap() {
				if e, ok := AsError(err); ok {
					return e, true
				}
			}
			return nil, false
		default:
			return nil, false
		}
	}
	return nil, false
}

// ErrorCode returns the code of the *Error in err's chain, or "" when there
// is none (the server was not reached, or answered something else).
func ErrorCode(err error) string {
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return ""
}

// HTTPStatus returns the HTTP status of the *Error in err's chain, or 0
// when there is none.
func HTTPStatus(err error) int {
	if e, ok := AsError(err); ok {
		return e.Status
	}
	return 0
}

// ErrUnexpectedAnswer reports a success answer whose body is not what the
// API sends: another server answered, or a proxy changed the answer.
var ErrUnexpectedAnswer = errors.New("the answer is not what the eulagate API sends")
