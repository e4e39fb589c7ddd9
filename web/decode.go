package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
)

// decodeStrict reads one JSON value of type T, the one decoder of every
// API request body. It has the semantics of encoding/json/v2 (the
// standard library's needs GOEXPERIMENT=jsonv2 in Go 1.26, so
// github.com/go-json-experiment/json, its source, is used): member names
// match the field names exactly, a name given twice is refused (else the
// last would win, and {"decision":"declined","decision":"accepted"} would
// record an acceptance), so is an unknown member, a value of the wrong
// type, a string that is not UTF-8, and anything after the value.
//
// Errors wrap eula.ErrInvalid (or errTooLarge when the body went over
// MaxBodyBytes) and name the field at fault, nested fields with dots
// ("document.version").
func decodeStrict[T any](body io.Reader) (T, error) {
	var v T
	err := json.UnmarshalRead(body, &v, json.RejectUnknownMembers(true))
	if err == nil {
		return v, nil
	}
	var (
		tooLarge *http.MaxBytesError
		sem      *json.SemanticError
		syn      *jsontext.SyntacticError
	)
	switch {
	case errors.As(err, &tooLarge):
		return v, fmt.Errorf("the body is larger than %d bytes: %w", tooLarge.Limit, errTooLarge)
	case errors.Is(err, jsontext.ErrDuplicateName) && errors.As(err, &syn):
		return v, fmt.Errorf("field %q is given twice: %w", fieldName(syn.JSONPointer), eula.ErrInvalid)
	case errors.Is(err, json.ErrUnknownName) && errors.As(err, &sem):
		return v, fmt.Errorf("unknown field %q (names are case-sensitive): %w", fieldName(sem.JSONPointer), eula.ErrInvalid)
	case errors.As(err, &sem) && sem.GoType != nil && sem.JSONKind != 0:
		what := "the body"
		if sem.JSONPointer != "" {
			what = fmt.Sprintf("field %q", fieldName(sem.JSONPointer))
		}
		return v, fmt.Errorf("%s must be a JSON %s, not %s: %w", what, jsonKindOf(sem.GoType), kindName(sem.JSONKind), eula.ErrInvalid)
	case errors.Is(err, io.ErrUnexpectedEOF) && errors.As(err, &syn) && syn.ByteOffset == 0:
		return v, fmt.Errorf("the body is empty: %w", eula.ErrInvalid)
	case errors.As(err, &syn) && strings.Contains(syn.Err.Error(), "after top-level value"):
		return v, fmt.Errorf("the body holds more than one JSON value: %w", eula.ErrInvalid)
	case errors.As(err, &syn):
		return v, fmt.Errorf("the body is not valid JSON (at byte %d): %v: %w", syn.ByteOffset, syn.Err, eula.ErrInvalid)
	}
	return v, fmt.Errorf("the body cannot be read: %v: %w", err, eula.ErrInvalid)
}

// fieldName writes a JSON pointer (RFC 6901) as the field it points to,
// nested names joined with dots: "/document/version" is
// "document.version".
func fieldName(p jsontext.Pointer) string {
	var names []string
	for tok := range p.Tokens() {
		names = append(names, tok)
	}
	return strings.Join(names, ".")
}

// jsonKindOf says which JSON kind decodes into a value of Go type t.
func jsonKindOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	}
	return "value of another kind"
}

// kindName names a JSON kind with its article, for messages.
func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "another kind"
}

// form wraps the handler of a plain HTML form. It reads the form before h
// runs, so that a body over MaxBodyBytes is answered 413, as the API
// answers it, and a body that cannot be read 400: each with the form's own
// page (problem) in the reader's language, not JSON.
func form(h http.HandlerFunc, problem func(w http.ResponseWriter, r *http.Request, status int)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			status := http.StatusBadRequest
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				status = http.StatusRequestEntityTooLarge
			}
			problem(w, r, status)
			return
		}
		h(w, r)
	}
}

// decideProblem shows the viewer with the problem of a decision form that
// could not be read. The form's fields (language, product) are lost with
// it: the page is in the reader's remembered or browser language, with the
// product picker.
func (s *Server) decideProblem(w http.ResponseWriter, r *http.Request, status int) {
	s.page(&statusWriter{ResponseWriter: w, status: status}, problemPage(r, ui.PathViewer, status))
}

// problemPage returns r as the GET of the page at path that says what
// went wrong with a form that could not be read (status: too large, or
// unreadable), by the page's problem parameter.
func problemPage(r *http.Request, path string, status int) *http.Request {
	code := "invalid"
	if status == http.StatusRequestEntityTooLarge {
		code = "too_large"
	}
	return getOf(r, &url.URL{Path: path, RawQuery: url.Values{"problem": {code}}.Encode()})
}

// getOf returns r as a GET of u without a body: a posted form answered
// with a page, as the page's own address would be.
func getOf(r *http.Request, u *url.URL) *http.Request {
	r2 := r.Clone(r.Context())
	r2.Method, r2.Body, r2.ContentLength = http.MethodGet, http.NoBody, 0
	r2.URL = u
	return r2
}

// dealerProblem shows the dealer's form, empty, with the problem of a
// submission that could not be read.
func (s *Server) dealerProblem(w http.ResponseWriter, r *http.Request, status int) {
	v := s.dealerForm(r, ui.ParseQuery(r.URL), r.URL.Query().Get("lang"), "")
	v.DealerForm.Problem = v.Labels.Get("dealer." + dealerProblemKey(status))
	s.serveView(w, r, status, v)
}

// dealerProblemKey is the message of a dealer page's form that could not
// be read, by status.
func dealerProblemKey(status int) string {
	if status == http.StatusRequestEntityTooLarge {
		return "err.too_large"
	}
	return "err.expired"
}

// statusWriter answers status where the handler it wraps answers 200.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if code == http.StatusOK {
		code = w.status
	}
	w.wroteHeader = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
