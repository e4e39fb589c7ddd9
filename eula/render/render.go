package render

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/eulagate/eulagate/eula"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// HTML is HTML produced by this package from a document: safe to insert in a
// page as is. Do not convert other strings to HTML.
type HTML string

// String returns the HTML text.
func (h HTML) String() string { return string(h) }

// Renderer renders documents. It is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
}

// New returns a Renderer: CommonMark with heading attributes (for section
// ids) and linkified URLs, raw HTML omitted.
func New() *Renderer {
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(extension.Linkify),
		goldmark.WithParserOptions(
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(attributeFilter{}, 1000)),
		),
	)}
}

var std = New()

// RenderSection renders one section, heading included, with the default
// Renderer.
func RenderSection(s *eula.Section) (HTML, error) { return std.Section(s) }

// RenderDocument renders a whole document with the default Renderer.
func RenderDocument(d *eula.Document) (HTML, error) { return std.Document(d) }

// Section renders one section, heading included.
func (r *Renderer) Section(s *eula.Section) (HTML, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(s.Markdown), &buf); err != nil {
		return "", fmt.Errorf("render section %s: %w", s.ID, err)
	}
	return HTML(buf.String()), nil
}

// Document renders a whole document: each section wrapped in
//
//	<section data-section="<id>" data-hash="<hash>">…</section>
func (r *Renderer) Document(d *eula.Document) (HTML, error) {
	var b strings.Builder
	for i := range d.Sections {
		s := &d.Sections[i]
		h, err := r.Section(s)
		if err != nil {
			return "", fmt.Errorf("render %s/%s/%s: %w", d.Meta.DocID, d.Meta.Version, d.Meta.Language, err)
		}
		fmt.Fprintf(&b, "<section data-section=\"%s\" data-hash=\"%s\">\n%s</section>\n",
			html.EscapeString(s.ID), html.EscapeString(s.Hash), h)
	}
	return HTML(b.String()), nil
}

// attributeFilter removes every attribute the Markdown sets except a
// well-formed section id on a heading, and marks links as leading outside.
type attributeFilter struct{}

// Transform implements parser.ASTTransformer.
func (attributeFilter) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var id []byte
		if h, ok := n.(*ast.Heading); ok {
			if v, ok := h.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok && eula.ValidSectionID(string(b)) {
					id = b
				}
			}
		}
		if n.Attributes() != nil {
			n.RemoveAttributes()
		}
		if id != nil {
			n.SetAttributeString("id", id)
		}
		switch n.(type) {
		case *ast.AutoLink, *ast.Link:
			n.SetAttributeString("rel", []byte("noopener noreferrer"))
		}
		return ast.WalkContinue, nil
	}) // the walker function never fails
}
