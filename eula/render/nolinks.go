package render

import (
	"bytes"
	"regexp"

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

// linkFilter is the AST transformer that keeps only the links and images
// of the output contract (see the package documentation): a link, autolink
// or image whose URL has a scheme other than those allowed is replaced by
// its text. With all set (WithoutLinks) every link is replaced.
type linkFilter struct {
	all bool
}

// Transform implements parser.ASTTransformer.
func (f linkFilter) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var drop []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var keep bool
		switch n := n.(type) {
		case *ast.Link:
			// goldmark writes the destination as URLEscape makes it.
			keep = !f.all && linkSchemes[scheme(util.URLEscape(n.Destination, true))]
		case *ast.AutoLink:
			keep = !f.all && linkSchemes[scheme(util.URLEscape(n.URL(src), false))]
		case *ast.Image:
			keep = imageSchemes[scheme(util.URLEscape(n.Destination, true))]
		default:
			return ast.WalkContinue, nil
		}
		if !keep {
			drop = append(drop, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	}) // the walker function never fails
	for _, n := range drop {
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

var _ parser.ASTTransformer = linkFilter{}

// The schemes a link's and an image's URL may have; "" is a URL without a
// scheme (relative, or a fragment).
var (
	linkSchemes  = map[string]bool{"": true, "http": true, "https": true, "mailto": true}
	imageSchemes = map[string]bool{"": true, "http": true, "https": true}
)

// schemeRE matches a URL's scheme, as the WHATWG URL parser reads one.
var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.\-]*):`)

// scheme returns the lower-case scheme a browser reads in the URL u, or ""
// for a URL without one: like the WHATWG URL parser, it ignores leading
// and trailing C0 controls and spaces, and tabs and newlines anywhere.
func scheme(u []byte) string {
	u = bytes.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	u = bytes.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	m := schemeRE.FindSubmatch(u)
	if m == nil {
		return ""
	}
	return string(bytes.ToLower(m[1]))
}
