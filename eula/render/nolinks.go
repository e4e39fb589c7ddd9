package render

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Option configures a Renderer.
type Option func(*config)

type config struct {
	noLinks bool
}

// WithoutLinks renders links as their text: the kiosk of an appliance's
// first boot has no way back from a page it leaves, so nothing in the
// document may take the reader away. URLs stay readable.
func WithoutLinks() Option {
	return func(c *config) { c.noLinks = true }
}

// unlinker is the AST transformer behind WithoutLinks: it replaces every
// link and autolink by its text.
type unlinker struct{}

func (unlinker) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var links []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Link, *ast.AutoLink:
			links = append(links, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range links {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(src)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

var _ parser.ASTTransformer = unlinker{}

// unlinkerPriority runs the unlinker after the linkers.
var unlinkerTransformer = util.Prioritized(unlinker{}, 100)
