package translog_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"

	"github.com/eulagate/eulagate/eula/translog"
)

// TestKindsComplete checks that Kinds lists every Kind constant declared in
// the package, once, so that every finding an audit can report is
// described to people.
func TestKindsComplete(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Kind" {
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					declared = append(declared, lit.Value[1:len(lit.Value)-1])
				}
			}
		}
		return true
	})
	var listed []string
	for _, k := range translog.Kinds {
		listed = append(listed, string(k))
	}
	slices.Sort(declared)
	slices.Sort(listed)
	if len(declared) == 0 || !slices.Equal(declared, listed) {
		t.Errorf("Kinds lists %v; audit.go declares %v", listed, declared)
	}
}
