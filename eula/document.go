package eula

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/language"
)

// Document identifiers of the documents eulagate shows.
const (
	// DocEULA is the end-user license agreement.
	DocEULA = "eula"
	// DocPrivacy is the privacy policy that forms asking for personal data
	// link to.
	DocPrivacy = "privacy"
)

// Limits of the document model, checked by validation.
const (
	// MaxSectionIDLen is the longest section id accepted.
	MaxSectionIDLen = 100
	// MaxTitleLen is the longest title (document or section) accepted, in
	// bytes.
	MaxTitleLen = 500
	// MaxHeadingLevel is the deepest Markdown heading that starts a section.
	MaxHeadingLevel = 3
)

// Kind says what a section is within a document; it is derived from the
// prefix of the section id.
type Kind string

// Section kinds.
const (
	// KindPreamble is the opening of a document, under the document title;
	// its id is "preamble".
	KindPreamble Kind = "preamble"
	// KindGeneral is a titled general clause; ids start with "general/".
	KindGeneral Kind = "general"
	// KindGroup is a product group heading; ids start with "groups/".
	KindGroup Kind = "group"
	// KindProduct is the specific terms of a product; ids start with
	// "products/".
	KindProduct Kind = "product"
)

// KindOf returns the kind of the section with the given id, or "" if the id
// has no known prefix.
func KindOf(id string) Kind {
	switch {
	case id == "preamble":
		return KindPreamble
	case strings.HasPrefix(id, "general/"):
		return KindGeneral
	case strings.HasPrefix(id, "groups/"):
		return KindGroup
	case strings.HasPrefix(id, "products/"):
		return KindProduct
	}
	return ""
}

var sectionIDRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$`)

// ValidSectionID reports whether id is a well-formed section id of a known
// kind: lowercase ASCII words joined by hyphens, in slash-separated parts,
// such as "general/affiliated-companies".
func ValidSectionID(id string) bool {
	return len(id) <= MaxSectionIDLen && sectionIDRE.MatchString(id) && KindOf(id) != ""
}

// Section is one addressable part of a document: the preamble, a general
// clause, a product group or a product's terms. A section has the same ID in
// every language of a version, so a translation can be shown beside its
// original.
type Section struct {
	// ID is stable across languages and versions, such as
	// "general/unattended-remote-updating" or "products/husky-m-series".
	ID string
	// Title is the heading text, Markdown escapes removed.
	Title string
	// Level is the Markdown heading level (1 for the preamble, 2 for general
	// clauses, groups and ungrouped products, 3 for grouped products).
	Level int
	// Kind is derived from ID.
	Kind Kind
	// Markdown is the section's source, heading line included, without a
	// trailing newline. It contains no raw HTML.
	Markdown string
	// Line is the line of the heading in the file the section was read from.
	Line int
	// Hash is the canonical hash of the section; see SectionHash.
	Hash string
}

// Document is one version of one document in one language.
type Document struct {
	Meta     Meta
	Sections []Section
	// Hash is the canonical hash of the whole document; see DocumentHash.
	Hash string
}

// Section returns the section with the given id.
func (d *Document) Section(id string) (*Section, bool) {
	for i := range d.Sections {
		if d.Sections[i].ID == id {
			return &d.Sections[i], true
		}
	}
	return nil, false
}

// SectionIDs returns the ids of the document's sections in order.
func (d *Document) SectionIDs() []string {
	ids := make([]string, len(d.Sections))
	for i, s := range d.Sections {
		ids[i] = s.ID
	}
	return ids
}

// Markdown returns the document as the Markdown file it is stored in: front
// matter, then the sections separated by blank lines. Parse(Markdown()) gives
// the document back.
func (d *Document) Markdown() string {
	var b strings.Builder
	b.WriteString(d.Meta.Format())
	for _, s := range d.Sections {
		b.WriteString("\n")
		b.WriteString(s.Markdown)
		b.WriteString("\n")
	}
	return b.String()
}

// Validate checks the document's metadata and sections: known fields, unique
// well-formed section ids, a preamble first. Errors wrap ErrInvalid.
func (d *Document) Validate() error {
	if err := d.Meta.Validate(); err != nil {
		return err
	}
	if len(d.Sections) == 0 {
		return fmt.Errorf("document has no sections: %w", ErrInvalid)
	}
	seen := make(map[string]bool, len(d.Sections))
	for i, s := range d.Sections {
		if !ValidSectionID(s.ID) {
			return &ParseError{Line: s.Line, Err: fmt.Errorf("malformed section id %q: %w", s.ID, ErrInvalid)}
		}
		if seen[s.ID] {
			return &ParseError{Line: s.Line, Err: fmt.Errorf("duplicate section id %q: %w", s.ID, ErrInvalid)}
		}
		seen[s.ID] = true
		if (i == 0) != (s.ID == "preamble") {
			return &ParseError{Line: s.Line, Err: fmt.Errorf("section %q: the preamble must come first, once: %w", s.ID, ErrInvalid)}
		}
		if s.Level < 1 || s.Level > MaxHeadingLevel {
			return &ParseError{Line: s.Line, Err: fmt.Errorf("section %q: heading level %d: %w", s.ID, s.Level, ErrInvalid)}
		}
		if len(s.Title) > MaxTitleLen {
			return &ParseError{Line: s.Line, Err: fmt.Errorf("section %q: title longer than %d bytes: %w", s.ID, MaxTitleLen, ErrInvalid)}
		}
	}
	return nil
}

// ParseError reports a problem at a line of a document file. It wraps
// ErrInvalid (or the error it carries).
type ParseError struct {
	// File is the file name, if known.
	File string
	// Line is the 1-based line number, 0 if the problem concerns the whole
	// file.
	Line int
	// Err is the problem.
	Err error
}

// Error returns "file:line: problem".
func (e *ParseError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.File != "":
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *ParseError) Unwrap() error { return e.Err }

// withFile sets the file name of a ParseError in err, or wraps err in one.
func withFile(name string, err error) error {
	if err == nil {
		return nil
	}
	var pe *ParseError
	if errors.As(err, &pe) && pe.File == "" {
		pe.File = name
		return err
	}
	if pe != nil {
		return err
	}
	return &ParseError{File: name, Err: err}
}

// headingRE matches a section heading: "## Title {id="general/x"}".
var headingRE = regexp.MustCompile(`^(#{1,6}) +(.*?) *\{id="([^"]*)"\}$`)

// HeadingLine returns the Markdown heading line that starts a section; title
// must already be Markdown-escaped.
func HeadingLine(level int, escapedTitle, id string) string {
	return strings.Repeat("#", level) + " " + escapedTitle + ` {id="` + id + `"}`
}

// Parse reads a document from its Markdown file: front matter, then sections,
// each starting with a heading line that carries its id. Errors are
// *ParseError values naming the line, and wrap ErrInvalid.
func Parse(src []byte) (*Document, error) {
	text := string(src)
	if strings.ContainsRune(text, '\r') {
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	meta, body, bodyLine, err := parseFrontMatter(text)
	if err != nil {
		return nil, err
	}
	doc := &Document{Meta: meta}
	lines := strings.Split(body, "\n")
	var cur *Section
	var buf []string
	flush := func() {
		if cur == nil {
			return
		}
		for len(buf) > 0 && strings.TrimSpace(buf[len(buf)-1]) == "" {
			buf = buf[:len(buf)-1]
		}
		cur.Markdown = strings.Join(buf, "\n")
		doc.Sections = append(doc.Sections, *cur)
	}
	inFence := false
	for i, line := range lines {
		n := bodyLine + i
		if strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(line, "#") {
			m := headingRE.FindStringSubmatch(line)
			if m == nil {
				if strings.HasPrefix(strings.TrimLeft(line, "#"), " ") || strings.TrimLeft(line, "#") == "" {
					return nil, &ParseError{Line: n, Err: fmt.Errorf("heading without a section id: %w", ErrInvalid)}
				}
			} else {
				flush()
				id := m[3]
				if !ValidSectionID(id) {
					return nil, &ParseError{Line: n, Err: fmt.Errorf("malformed section id %q: %w", id, ErrInvalid)}
				}
				cur = &Section{ID: id, Title: unescapeMarkdown(m[2]), Level: len(m[1]), Kind: KindOf(id), Line: n}
				buf = []string{line}
				continue
			}
		}
		if cur == nil {
			if strings.TrimSpace(line) != "" {
				return nil, &ParseError{Line: n, Err: fmt.Errorf("text before the first section heading: %w", ErrInvalid)}
			}
			continue
		}
		buf = append(buf, line)
	}
	flush()
	if err := doc.Validate(); err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			err = &ParseError{Line: bodyLine, Err: err}
		}
		return nil, err
	}
	doc.computeHashes()
	return doc, nil
}

// unescapeMarkdown removes backslash escapes before ASCII punctuation.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// PlainText returns the text of Markdown as written by the importer with the
// markup removed: heading markers and ids dropped, escapes undone. Clause
// numbers ("1.") are text of the source and are kept.
func PlainText(markdown string) string {
	var b strings.Builder
	for _, line := range strings.Split(markdown, "\n") {
		if m := headingRE.FindStringSubmatch(line); m != nil {
			line = m[2]
		}
		b.WriteString(unescapeMarkdown(line))
		b.WriteByte('\n')
	}
	return b.String()
}

// parseTag parses a BCP 47 tag and insists that it be known and canonical.
func parseTag(s string) (language.Tag, error) {
	tag, err := language.Parse(s)
	if err != nil {
		return language.Und, fmt.Errorf("unknown language tag %q: %w", s, ErrInvalid)
	}
	if tag.String() != s {
		return language.Und, fmt.Errorf("language tag %q is not canonical (want %q): %w", s, tag.String(), ErrInvalid)
	}
	return tag, nil
}
