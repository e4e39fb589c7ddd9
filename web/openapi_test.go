package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// route matches the patterns the server registers for its API.
var route = regexp.MustCompile(`"(GET|POST|PUT|DELETE) (/api/v1/[^"]*|/healthz)"`)

// TestOpenAPICoversRoutes: the served OpenAPI document parses and describes
// every API route the server registers, with its method.
func TestOpenAPICoversRoutes(t *testing.T) {
	ts := newTestServer(t)
	resp, body := ts.get(t, "/api/v1/openapi.json")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range route.FindAllStringSubmatch(string(src), -1) {
			n++
			method, path := strings.ToLower(m[1]), m[2]
			if _, ok := doc.Paths[path][method]; !ok {
				t.Errorf("%s %s (in %s) is not in openapi.json", m[1], path, f)
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d routes: the pattern no longer matches how routes are registered", n)
	}
}
