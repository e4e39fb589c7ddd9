package render

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
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
func New(opts ...Option) *Renderer {
	var c config
	for _, o := range opts {
		o(&c)
	}
	// Transformers run in ascending priority: links are made, then
	// filtered, then attributes are filtered.
	transformers := []util.PrioritizedValue{
		util.Prioritized(urlLinker{}, 900),
		util.Prioritized(linkFilter{all: c.noLinks}, 950),
		util.Prioritized(attributeFilter{}, 1000),
	}
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(extension.Linkify),
		goldmark.WithParserOptions(
			parser.WithAttribute(),
			parser.WithASTTransformers(transformers...),
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

// SectionString is Section as a plain string: the shape of the server's
// section renderers (web.Config's Render and RenderKiosk).
func (r *Renderer) SectionString(s *eula.Section) (string, error) {
	h, err := r.Section(s)
	return string(h), err
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
// It also drops the info string of fenced code, which goldmark would write
// as a class attribute: a document's text chooses no class of the page.
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
		switch n := n.(type) {
		case *ast.AutoLink, *ast.Link:
			n.SetAttributeString("rel", []byte("noopener noreferrer"))
		case *ast.FencedCodeBlock:
			n.Info = nil
		}
		return ast.WalkContinue, nil
	}) // the walker function never fails
}

// urlRE matches a URL written in running text. Only ASCII is part of it, so
// that a URL followed directly by Japanese text ends where the Latin text
// does.
var urlRE = regexp.MustCompile(`https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%_]+[A-Za-z0-9\-_~/#=%]`)

// urlLinker links the URLs that goldmark's Linkify leaves as text because
// they follow a character other than a space or an opening bracket, as in
// Japanese ("…一覧（https://…）").
type urlLinker struct{}

// Transform implements parser.ASTTransformer.
func (urlLinker) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.CodeSpan:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if !entering || n.IsRaw() {
				break
			}
			// The parser splits text at delimiters such as "_" even where
			// they are not emphasis; join contiguous pieces first.
			for {
				next, ok := n.NextSibling().(*ast.Text)
				if !ok || next.IsRaw() || n.SoftLineBreak() || n.HardLineBreak() || next.Segment.Start != n.Segment.Stop {
					break
				}
				n.Segment = n.Segment.WithStop(next.Segment.Stop)
				n.SetSoftLineBreak(next.SoftLineBreak())
				n.SetHardLineBreak(next.HardLineBreak())
				n.Parent().RemoveChild(n.Parent(), next)
			}
			if bytes.Contains(n.Segment.Value(source), []byte("://")) {
				texts = append(texts, n)
			}
		}
		return ast.WalkContinue, nil
	}) // the walker function never fails
	for _, t := range texts {
		seg := t.Segment
		value := seg.Value(source)
		ms := urlRE.FindAllIndex(value, -1)
		if len(ms) == 0 {
			continue
		}
		parent := t.Parent()
		at := 0
		var last ast.Node
		insert := func(n ast.Node) {
			parent.InsertBefore(parent, t, n)
			last = n
		}
		for _, m := range ms {
			if m[0] > at {
				insert(ast.NewTextSegment(text.NewSegment(seg.Start+at, seg.Start+m[0])))
			}
			insert(ast.NewAutoLink(ast.AutoLinkURL, ast.NewTextSegment(text.NewSegment(seg.Start+m[0], seg.Start+m[1]))))
			at = m[1]
		}
		if at < len(value) {
			rest := ast.NewTextSegment(text.NewSegment(seg.Start+at, seg.Stop))
			insert(rest)
		}
		if lt, ok := last.(*ast.Text); ok {
			lt.SetSoftLineBreak(t.SoftLineBreak())
			lt.SetHardLineBreak(t.HardLineBreak())
		}
		parent.RemoveChild(parent, t)
	}
}
