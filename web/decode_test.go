package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneDecoder: request bodies are decoded only by decodeStrict, so that
// every endpoint refuses duplicate, case-changed and unknown fields alike.
// It fails on any JSON decoding call in the package's code outside
// decode.go.
func TestOneDecoder(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "decode.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		jsonNames := map[string]bool{}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if path != "encoding/json" && !strings.HasPrefix(path, "github.com/go-json-experiment/json") {
				continue
			}
			local := filepath.Base(path)
			if imp.Name != nil {
				local = imp.Name.Name
			}
			jsonNames[local] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && jsonNames[pkg.Name] && (strings.HasPrefix(sel.Sel.Name, "Unmarshal") || sel.Sel.Name == "NewDecoder") {
				t.Errorf("%s: %s.%s: decode request bodies with decodeStrict (decode.go)", fset.Position(sel.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
}
