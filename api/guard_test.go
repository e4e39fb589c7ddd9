package api_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/eulagate/eulagate"

// TestNoPathLiteralsOutsideAPI fails if a Go file outside this package
// (tests included) writes a path of the HTTP API as a string literal: every
// path comes from the constants and functions here, so that a change to
// the contract is a change to this package.
func TestNoPathLiteralsOutsideAPI(t *testing.T) {
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(self)
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch name := d.Name(); {
			case path == self, name == "node_modules", name == "testdata", path != root && strings.HasPrefix(name, "."):
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "api/v1") {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: the literal %.60q holds an API path: use package api's constants", rel, fset.Position(lit.Pos()).Line, s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Errorf("walked only %d Go files from %s: the test no longer sees the module", files, root)
	}
}

// storeImplementations are the packages that implement eula.Store.
var storeImplementations = []string{
	module + "/eula/sqlite",
	module + "/eula/postgres",
	module + "/eula/internal/sqlstore",
}

// TestWebImportsNoStore fails if the HTTP server's package reaches a store
// implementation, directly or through another package: it works on the
// eula.Store it is given, and the main chooses the store.
func TestWebImportsNoStore(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", module+"/web").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s/web: %v\n%s", module, err, out)
	}
	deps := strings.Fields(string(out))
	if !contains(deps, module+"/eula") {
		t.Fatalf("go list did not list package eula among web's dependencies:\n%s", out)
	}
	for _, p := range deps {
		for _, store := range storeImplementations {
			if p == store || strings.HasPrefix(p, store+"/") {
				t.Errorf("package web imports %s, a store implementation: take an eula.Store instead", p)
			}
		}
	}
}

// TestAPIImportsStandardLibraryOnly: the contract, compiled into the wasm,
// uses the standard library only, and not net/http.
func TestAPIImportsStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", module+"/api").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if deps := strings.Fields(string(out)); len(deps) != 1 || deps[0] != module+"/api" {
		t.Errorf("package api imports packages outside the standard library: %v", deps)
	}
	out, err = exec.Command("go", "list", "-deps", module+"/api").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if contains(strings.Fields(string(out)), "net/http") {
		t.Error("package api imports net/http: keep it in api/apihttp, which the wasm does not link")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
