package main

import (
	"os/exec"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/eulagate/eulagate"

// serverOnly are the packages that must never reach app.wasm: our HTTP
// server, the stores and their drivers, the Markdown renderer, the importer,
// the transparency log and the package embedding every document. Each entry
// also forbids its subpackages, except where allowed says otherwise.
//
// net/http itself is not in the list: go-app's own package imports it (for
// its Handler, compiled into every GOOS=js build), so it is unavoidable;
// the linker drops it, as nothing in the wasm calls it (TestWasmOwnImports
// keeps it so). What costs megabytes is our server code and the libraries
// only it uses (DESIGN.md: 7.3 MB raw without them, 19.4 MB with), so
// those are what the test checks. The API's net/http transport
// (api/apihttp) is server-only: the viewer calls the API over fetch.
// golang.org/x/text/language (and package i18n, which uses it) is the
// server's too: the wasm chooses no language (the server sends the labels
// of the shown one), and its tables would add 154 kB raw even unused.
// database/sql/driver is allowed: github.com/google/uuid, which go-app
// uses, imports it for its Value method; database/sql itself is not.
var serverOnly = []string{
	"github.com/yuin/goldmark",
	"github.com/tdewolff/minify",
	"golang.org/x/text/language",
	"modernc.org/sqlite",
	"modernc.org/libc",
	"github.com/jackc/pgx",
	"database/sql",
	"net/http/httptest",
	module + "/api/apihttp",
	module + "/web",
	module + "/eula/render",
	module + "/eula/importer",
	module + "/eula/sqlite",
	module + "/eula/postgres",
	module + "/eula/translog",
	module + "/eula/storetest",
	module + "/eula/internal/sqlstore",
	module + "/internal/headless",
	module + "/locales",
}

// allowed are subpackages of serverOnly entries that the wasm may import.
var allowed = []string{
	"database/sql/driver",
	module + "/locales/ui",
}

// forbidden returns the packages of deps that serverOnly rules out.
func forbidden(deps []string) []string {
	var bad []string
	for _, p := range deps {
		if matches(p, allowed) {
			continue
		}
		if matches(p, serverOnly) {
			bad = append(bad, p)
		}
	}
	return bad
}

// matches reports whether pkg is one of roots or below one of them.
func matches(pkg string, roots []string) bool {
	for _, r := range roots {
		if pkg == r || strings.HasPrefix(pkg, r+"/") {
			return true
		}
	}
	return false
}

// TestWasmDependencies fails if the wasm build reaches server-only code.
func TestWasmDependencies(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go list -deps ./wasm: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !matches(module+"/wasm", deps) {
		t.Fatalf("go list did not list the wasm main itself:\n%s", out)
	}
	for _, p := range forbidden(deps) {
		t.Errorf("app.wasm imports %s, which is server-only; keep it behind a package the wasm does not import (or //go:build !wasm)", p)
	}
}

// TestWasmOwnImports fails if a package of this module that the wasm
// builds imports net/http: then the linker would keep it (megabytes). The
// API client reaches the server through package api's Doer, which the
// browser side implements over fetch.
func TestWasmOwnImports(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go list -deps ./wasm: %v\n%s", err, out)
	}
	own := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if !matches(pkg, []string{module}) {
			continue
		}
		own++
		for _, imp := range strings.Fields(imports) {
			if imp == "net/http" {
				t.Errorf("%s imports net/http and is compiled into app.wasm", pkg)
			}
		}
	}
	if own < 3 {
		t.Errorf("found only %d packages of the module in the wasm build:\n%s", own, out)
	}
}

func TestForbidden(t *testing.T) {
	for _, test := range []struct {
		pkg  string
		want bool
	}{
		{"github.com/yuin/goldmark/parser", true},
		{"modernc.org/sqlite/lib", true},
		{"github.com/jackc/pgx/v5/pgconn", true},
		{"database/sql", true},
		{"database/sql/driver", false},
		{module + "/web", true},
		{module + "/web/internal/precompress", true},
		{module + "/webfonts", false},
		{module + "/locales", true},
		{module + "/locales/ui", false},
		{module + "/eula", false},
		{module + "/eula/render", true},
		{module + "/app", false},
		{module + "/api", false},
		{module + "/api/apihttp", true},
		{"golang.org/x/text/language", true},
		{"net/http", false},
	} {
		got := len(forbidden([]string{test.pkg})) == 1
		if got != test.want {
			t.Errorf("forbidden(%s) = %v, want %v", test.pkg, got, test.want)
		}
	}
}
