package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// Sentinels of the HTTP layer, mapped beside the domain's.
var (
	// errTooLarge reports a request body over the limit.
	errTooLarge = errors.New("request body too large")
	// errMethod reports a method the endpoint does not answer.
	errMethod = errors.New("method not allowed")
	// errUnsupportedMedia reports a body that is not JSON where JSON is due.
	errUnsupportedMedia = errors.New("unsupported media type")
	// errTooManyTries reports a client refused for a while after too many
	// wrong administrator tokens; a triesError says how long.
	errTooManyTries = errors.New("too many wrong administrator tokens")
)

// triesError is errTooManyTries with the wait before the next try.
type triesError struct{ wait time.Duration }

func (e triesError) Error() string {
	return fmt.Sprintf("%v from this address: try again in %d s", errTooManyTries, retrySeconds(e.wait))
}

func (e triesError) Is(target error) bool { return target == errTooManyTries }

// retrySeconds rounds a wait up to whole seconds, as Retry-After gives it.
func retrySeconds(d time.Duration) int64 { return int64((d + time.Second - 1) / time.Second) }

// errorMap is the one table from errors to HTTP status codes and the stable
// codes API clients branch on.
var errorMap = []struct {
	err    error
	status int
	code   string
}{
	{eula.ErrInvalid, http.StatusBadRequest, api.CodeInvalid},
	{eula.ErrNotFound, http.StatusNotFound, api.CodeNotFound},
	{eula.ErrConflict, http.StatusConflict, api.CodeConflict},
	{eula.ErrForbidden, http.StatusForbidden, api.CodeForbidden},
	{eula.ErrUnauthorized, http.StatusUnauthorized, api.CodeUnauthorized},
	{errTooLarge, http.StatusRequestEntityTooLarge, api.CodeTooLarge},
	{errMethod, http.StatusMethodNotAllowed, api.CodeMethodNotAllowed},
	{errUnsupportedMedia, http.StatusUnsupportedMediaType, api.CodeUnsupportedMediaType},
	{errTooManyTries, http.StatusTooManyRequests, api.CodeTooManyRequests},
}

// statusOf returns the HTTP status and code for err: 500 "internal" for
// anything not in errorMap.
func statusOf(err error) (int, string) {
	for _, m := range errorMap {
		if errors.Is(err, m.err) {
			return m.status, m.code
		}
	}
	return http.StatusInternalServerError, api.CodeInternal
}

// writeError answers err as JSON. Client errors carry the error's text,
// which says what was wrong; server faults are logged and answered with a
// generic message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code := statusOf(err)
	body := api.ErrorBody{Error: api.ErrorDetail{Code: code, Message: err.Error()}}
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		body.Error.Message = "The server could not complete the request. Try again; if it keeps failing, tell the administrator."
	}
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "POST")
	}
	var tries triesError
	if errors.As(err, &tries) {
		w.Header().Set("Retry-After", strconv.FormatInt(retrySeconds(tries.wait), 10))
	}
	writeJSON(w, status, body)
}

// writeJSON writes v as a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v) // a failed write means the client went away
}
