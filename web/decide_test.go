package web

import (
	"errors"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
)

func TestDecodeDecision(t *testing.T) {
	for _, test := range []struct {
		name, body string
		wantErr    error
		wantMsg    string
	}{
		{"ok", `{"decision":"accepted","document":{"id":"eula","version":"20250212","language":"en"},"product":"husky-m20"}`, nil, ""},
		{"empty", ``, eula.ErrInvalid, "empty"},
		{"not json", `decision=accepted`, eula.ErrInvalid, "not valid JSON"},
		{"unknown field", `{"decision":"accepted","admin":true}`, eula.ErrInvalid, `unknown field "admin"`},
		{"wrong type", `{"decision":1}`, eula.ErrInvalid, `field "decision" must be a JSON string`},
		{"two values", `{"decision":"accepted"} {}`, eula.ErrInvalid, "more than one JSON value"},
		{"array", `[]`, eula.ErrInvalid, "must be a JSON"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := decodeDecision(strings.NewReader(test.body))
			if test.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, test.wantErr) || !strings.Contains(err.Error(), test.wantMsg) {
				t.Errorf("error %v, want %v containing %q", err, test.wantErr, test.wantMsg)
			}
		})
	}
}

// FuzzDecodeDecision: any body is decoded or rejected with ErrInvalid (or
// errTooLarge), never a panic or another error.
func FuzzDecodeDecision(f *testing.F) {
	f.Add(`{"decision":"accepted","document":{"id":"eula","version":"20250212","language":"en"},"product":"husky-m20","installer":{"machine_id":"m"}}`)
	f.Add(`{"actor":{"name":"\u202eevil","email":"a@b"},"bound":null,"register_consent":true}`)
	f.Add(`{"decision":"accepted"}{"x":1}`)
	f.Add(`{"document":[]}`)
	f.Fuzz(func(t *testing.T, body string) {
		_, err := decodeDecision(strings.NewReader(body))
		if err != nil && !errors.Is(err, eula.ErrInvalid) && !errors.Is(err, errTooLarge) {
			t.Fatalf("error %v wraps neither ErrInvalid nor errTooLarge", err)
		}
	})
}
