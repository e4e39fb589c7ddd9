package eula

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Change says whether a new version of a document requires readers who
// accepted an earlier version to accept again.
type Change string

// Kinds of change.
const (
	// ChangeMaterial requires re-acceptance. It is the default.
	ChangeMaterial Change = "material"
	// ChangeEditorial (typos, layout) does not require re-acceptance.
	ChangeEditorial Change = "editorial"
)

// Meta is the front matter of a document file.
//
// A file starts with a block of "key: value" lines between two "---" lines.
// Values are bare or Go-quoted strings. Required keys: document, version,
// language, title, source, prevails. Optional keys: reaccept (alias change;
// material or editorial, default material) and translation-of (the version
// of the original a translation was made from, default the same version).
type Meta struct {
	// DocID is the document id, such as DocEULA ("document").
	DocID string
	// Version is the version, such as "20250212" ("version"); versions of a
	// document sort as strings.
	Version string
	// Language is the language of the text ("language").
	Language language.Tag
	// Title is the document title in that language ("title").
	Title string
	// Source names the file(s) the text was imported from ("source").
	Source string
	// Prevails is the language whose text prevails in case of doubt or
	// dispute ("prevails"); equal to Language for an original.
	Prevails language.Tag
	// Change says whether this version requires re-acceptance ("reaccept").
	Change Change
	// TranslationOf is the version of the original this text translates
	// ("translation-of"); empty means Version.
	TranslationOf string
}

// Limits of front matter.
const (
	// MaxFrontMatterLines bounds the front matter block.
	MaxFrontMatterLines = 50
	// MaxDocVersionLen is the longest version string accepted.
	MaxDocVersionLen = 32
)

var (
	keyRE     = regexp.MustCompile(`^[a-z][a-z-]*$`)
	docIDRE   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	versionRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.-]*$`)
)

// Validate checks the fields. Errors wrap ErrInvalid.
func (m *Meta) Validate() error {
	switch {
	case !docIDRE.MatchString(m.DocID):
		return fmt.Errorf("document %q: %w", m.DocID, ErrInvalid)
	case len(m.Version) > MaxDocVersionLen || !versionRE.MatchString(m.Version):
		return fmt.Errorf("version %q: %w", m.Version, ErrInvalid)
	case m.Language == language.Und:
		return fmt.Errorf("missing language: %w", ErrInvalid)
	case m.Prevails == language.Und:
		return fmt.Errorf("missing prevails: %w", ErrInvalid)
	case m.Title == "" || len(m.Title) > MaxTitleLen || strings.ContainsAny(m.Title, "\n\r"):
		return fmt.Errorf("title %q: %w", m.Title, ErrInvalid)
	case m.Source == "":
		return fmt.Errorf("missing source: %w", ErrInvalid)
	case m.Change != ChangeMaterial && m.Change != ChangeEditorial:
		return fmt.Errorf("reaccept %q (want material or editorial): %w", m.Change, ErrInvalid)
	case m.TranslationOf != "" && (len(m.TranslationOf) > MaxDocVersionLen || !versionRE.MatchString(m.TranslationOf)):
		return fmt.Errorf("translation-of %q: %w", m.TranslationOf, ErrInvalid)
	}
	return nil
}

// Format returns the front matter block, "---" lines included, with the keys
// in a fixed order; optional keys are written only when they differ from
// their defaults.
func (m *Meta) Format() string {
	var b strings.Builder
	b.WriteString("---\n")
	kv := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, quoteIfNeeded(v)) }
	kv("document", m.DocID)
	kv("version", m.Version)
	kv("language", m.Language.String())
	kv("title", m.Title)
	kv("source", m.Source)
	kv("prevails", m.Prevails.String())
	if m.Change != "" && m.Change != ChangeMaterial {
		kv("reaccept", string(m.Change))
	}
	if m.TranslationOf != "" {
		kv("translation-of", m.TranslationOf)
	}
	b.WriteString("---\n")
	return b.String()
}

func quoteIfNeeded(v string) string {
	if v != "" && v == strings.TrimSpace(v) && !strings.ContainsAny(v, "\"#:\\'") && strconv.CanBackquote(v) && !isAllDigits(v) {
		return v
	}
	return strconv.Quote(v)
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ParseFrontMatter reads the front matter at the start of src and returns it
// with the 1-based line number where the body starts. Errors are *ParseError
// values naming the line, and wrap ErrInvalid.
func ParseFrontMatter(src []byte) (Meta, int, error) {
	m, _, line, err := parseFrontMatter(string(src))
	return m, line, err
}

func parseFrontMatter(text string) (m Meta, body string, bodyLine int, err error) {
	if !utf8.ValidString(text) {
		return m, "", 0, &ParseError{Line: firstInvalidLine(text), Err: fmt.Errorf("invalid UTF-8: %w", ErrInvalid)}
	}
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return m, "", 0, &ParseError{Line: 1, Err: fmt.Errorf(`missing front matter: want "---" on the first line: %w`, ErrInvalid)}
	}
	seen := map[string]int{}
	line := 1
	for {
		line++
		if line > MaxFrontMatterLines+2 {
			return m, "", 0, &ParseError{Line: line, Err: fmt.Errorf("front matter longer than %d lines: %w", MaxFrontMatterLines, ErrInvalid)}
		}
		var l string
		l, rest, ok = strings.Cut(rest, "\n")
		if !ok {
			return m, "", 0, &ParseError{Line: line, Err: fmt.Errorf(`unterminated front matter: want a closing "---": %w`, ErrInvalid)}
		}
		if l == "---" {
			break
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		key, val, found := strings.Cut(l, ":")
		if !found || !keyRE.MatchString(key) {
			return m, "", 0, &ParseError{Line: line, Err: fmt.Errorf(`malformed front matter line: want "key: value": %w`, ErrInvalid)}
		}
		val = strings.TrimSpace(val)
		if strings.HasPrefix(val, `"`) {
			uq, qerr := strconv.Unquote(val)
			if qerr != nil {
				return m, "", 0, &ParseError{Line: line, Err: fmt.Errorf("%s: malformed quoted value: %w", key, ErrInvalid)}
			}
			val = uq
		}
		if prev, dup := seen[key]; dup {
			return m, "", 0, &ParseError{Line: line, Err: fmt.Errorf("%s repeated (first on line %d): %w", key, prev, ErrInvalid)}
		}
		seen[key] = line
		if ferr := m.set(key, val); ferr != nil {
			return m, "", 0, &ParseError{Line: line, Err: ferr}
		}
	}
	if seen["reaccept"] != 0 && seen["change"] != 0 {
		return m, "", 0, &ParseError{Line: seen["change"], Err: fmt.Errorf("change and reaccept both given: %w", ErrInvalid)}
	}
	for _, k := range []string{"document", "version", "language", "title", "source", "prevails"} {
		if seen[k] == 0 {
			return m, "", 0, &ParseError{Line: line, Err: fmt.Errorf("front matter field %q missing: %w", k, ErrInvalid)}
		}
	}
	if m.Change == "" {
		m.Change = ChangeMaterial
	}
	if verr := m.Validate(); verr != nil {
		return m, "", 0, &ParseError{Line: line, Err: verr}
	}
	return m, rest, line + 1, nil
}

func (m *Meta) set(key, val string) error {
	var err error
	switch key {
	case "document":
		m.DocID = val
	case "version":
		m.Version = val
	case "language":
		m.Language, err = parseTag(val)
	case "title":
		m.Title = val
	case "source":
		m.Source = val
	case "prevails":
		m.Prevails, err = parseTag(val)
	case "reaccept", "change":
		m.Change = Change(val)
		if m.Change != ChangeMaterial && m.Change != ChangeEditorial {
			err = fmt.Errorf("%s %q (want material or editorial): %w", key, val, ErrInvalid)
		}
	case "translation-of":
		m.TranslationOf = val
	default:
		return fmt.Errorf("unknown front matter field %q: %w", key, ErrInvalid)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

func firstInvalidLine(s string) int {
	line := 1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line
}
