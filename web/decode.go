package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/eulagate/eulagate/eula"
)

// decodeStrict reads one JSON value of type T: no unknown fields, the right
// types, nothing after it. Errors wrap eula.ErrInvalid (or errTooLarge when
// the body went over MaxBodyBytes) and say what is wrong.
func decodeStrict[T any](body io.Reader) (T, error) {
	var v T
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		var tooLarge *http.MaxBytesError
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooLarge):
			return v, fmt.Errorf("the body is larger than %d bytes: %w", tooLarge.Limit, errTooLarge)
		case errors.As(err, &syntax):
			return v, fmt.Errorf("the body is not valid JSON (at byte %d): %w", syntax.Offset, eula.ErrInvalid)
		case errors.As(err, &typ):
			return v, fmt.Errorf("field %q must be a JSON %s: %w", typ.Field, typ.Type, eula.ErrInvalid)
		case errors.Is(err, io.EOF):
			return v, fmt.Errorf("the body is empty: %w", eula.ErrInvalid)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return v, fmt.Errorf("%s: %w", strings.TrimPrefix(err.Error(), "json: "), eula.ErrInvalid)
		}
		return v, fmt.Errorf("the body cannot be read: %v: %w", err, eula.ErrInvalid)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return v, fmt.Errorf("the body holds more than one JSON value: %w", eula.ErrInvalid)
	}
	return v, nil
}
