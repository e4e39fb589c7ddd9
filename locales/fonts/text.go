package fonts

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// TextExts are the extensions of the files Scan reads: documents and
// catalogs. Other files (Go code, fonts) are not shown to readers.
var TextExts = []string{".md", ".json", ".toml", ".yaml", ".yml", ".txt", ".csv", ".html"}

// fontsDir is where the fonts live in a locales tree; Scan skips it.
const fontsDir = "fonts"

// Text is the characters that pages show, each with where it is first
// used and the languages whose pages show it.
type Text struct {
	langs []string
	uses  map[rune]*use
	order []rune // first use first
}

type use struct {
	at    Place
	langs map[string]bool
}

// Place is where a character is used: a position in a file, or a
// generated string.
type Place struct {
	// File is the path in the locales tree ("eula/20250212/ja.md"), or ""
	// for a string that is not in a file.
	File string
	// Line and Col (in characters) start at 1; 0 when unknown (a character
	// written as an escape in JSON).
	Line, Col int
	// What describes a string that is not in a file.
	What string
}

// String returns file:line:col, or the description.
func (p Place) String() string {
	switch {
	case p.File == "":
		return p.What
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Scan reads the documents and catalogs of a locales tree (every file
// with one of TextExts, outside fonts/). A file named after a language
// (ja.md, ru.json) is shown on that language's pages; any other file
// (a product catalog) on every page. The pages also show each language's
// name in itself (the language picker) and, in their own language, the
// names of the languages that golang.org/x/text can name (the notice
// that a language is not available): Scan counts those too.
func Scan(locales fs.FS) (*Text, error) {
	t := &Text{uses: map[rune]*use{}}
	langSet := map[string]bool{}
	type file struct {
		name, lang string
		src        []byte
	}
	var files []file
	err := fs.WalkDir(locales, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name == fontsDir || (name != "." && strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if !slices.Contains(TextExts, path.Ext(name)) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		src, err := fs.ReadFile(locales, name)
		if err != nil {
			return err
		}
		f := file{name: name, src: src}
		if tag, err := language.Parse(strings.TrimSuffix(d.Name(), path.Ext(name))); err == nil {
			f.lang = tag.String()
			langSet[f.lang] = true
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fonts: scan: %w", err)
	}
	for l := range langSet {
		t.langs = append(t.langs, l)
	}
	slices.Sort(t.langs)
	for _, f := range files {
		if err := t.addFile(f.name, f.lang, f.src); err != nil {
			return nil, err
		}
	}
	for _, l := range t.langs {
		tag := language.Make(l)
		self := display.Self.Name(tag)
		t.addString(self, Place{What: fmt.Sprintf("the name of %s in itself (golang.org/x/text)", l)}, "")
		if r, size := utf8.DecodeRuneInString(self); size > 0 {
			t.addString(string(unicode.ToUpper(r)), Place{What: fmt.Sprintf("the name of %s in itself, capitalized", l)}, "")
		}
		namer := display.Tags(tag)
		for _, other := range display.Supported.Tags() {
			t.addString(namer.Name(other), Place{What: fmt.Sprintf("the name of %s in %s (golang.org/x/text)", other, l)}, l)
		}
	}
	return t, nil
}

// addFile adds the characters of a file shown on lang's pages (every
// page if lang is "").
func (t *Text) addFile(name, lang string, src []byte) error {
	if !utf8.Valid(src) {
		return fmt.Errorf("fonts: %s is not UTF-8", name)
	}
	line, col := 1, 0
	seen := map[rune]bool{}
	for _, r := range string(src) {
		col++
		seen[r] = true
		t.add(r, Place{File: name, Line: line, Col: col}, lang)
		if r == '\n' {
			line, col = line+1, 0
		}
	}
	if path.Ext(name) != ".json" {
		return nil
	}
	// Characters written as escapes (\u65e5) appear only once decoded.
	var v any
	if err := json.Unmarshal(src, &v); err != nil {
		return fmt.Errorf("fonts: %s: %w", name, err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			for _, r := range v {
				if !seen[r] {
					t.add(r, Place{File: name}, lang)
				}
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				walk(k)
				walk(e)
			}
		}
	}
	walk(v)
	return nil
}

// addString adds the characters of a string shown on lang's pages.
func (t *Text) addString(s string, at Place, lang string) {
	for _, r := range s {
		t.add(r, at, lang)
	}
}

func (t *Text) add(r rune, at Place, lang string) {
	u := t.uses[r]
	if u == nil {
		u = &use{at: at, langs: map[string]bool{}}
		t.uses[r] = u
		t.order = append(t.order, r)
	}
	if lang == "" {
		for _, l := range t.langs {
			u.langs[l] = true
		}
	} else {
		u.langs[lang] = true
	}
}

// Languages returns the languages that have a document or a catalog.
func (t *Text) Languages() []string { return slices.Clone(t.langs) }

// Runes returns every character used, in order.
func (t *Text) Runes() []rune {
	out := slices.Clone(t.order)
	slices.Sort(out)
	return out
}

// Where returns where r is first used.
func (t *Text) Where(r rune) (Place, bool) {
	u, ok := t.uses[r]
	if !ok {
		return Place{}, false
	}
	return u.at, true
}

// Slice is a set of characters that the same languages' pages show: one
// face per weight is made of each, so that a page downloads only the
// characters of its own language, and what every page shows (the
// language picker) is a slice of its own.
type Slice struct {
	// Name is "common" for the characters every language's pages show,
	// else the languages whose pages show them, joined by "_" ("ja").
	Name string
	// Runes are the characters, in order.
	Runes []rune
}

// Slices groups the characters outside System that the pages use, ordered
// by name.
func (t *Text) Slices() []Slice {
	byName := map[string][]rune{}
	for r, u := range t.uses {
		if InSystem(r) || !unicode.IsGraphic(r) {
			continue
		}
		var langs []string
		for l := range u.langs {
			langs = append(langs, l)
		}
		slices.Sort(langs)
		name := strings.Join(langs, "_")
		if slices.Equal(langs, t.langs) {
			name = "common"
		}
		byName[name] = append(byName[name], r)
	}
	var out []Slice
	for name, rs := range byName {
		slices.Sort(rs)
		out = append(out, Slice{Name: name, Runes: rs})
	}
	slices.SortFunc(out, func(a, b Slice) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Missing is a character that pages use and a shipped face lacks.
type Missing struct {
	Rune rune
	// At is where the character is first used.
	At Place
	// Weight is the font weight that lacks it.
	Weight int
}

// String names the place and the character.
func (m Missing) String() string {
	weight := ""
	if m.Weight != 0 {
		weight = fmt.Sprintf(" (weight %d)", m.Weight)
	}
	return fmt.Sprintf("%s: %U %q is not in the shipped fonts%s: run `make fonts`", m.At, m.Rune, m.Rune, weight)
}

// Missing returns, for each weight of faces, the characters outside
// System that the pages use and no face of that weight has, in order of
// first use. Invisible characters (controls, format characters) need no
// glyph and are left out.
func (t *Text) Missing(faces []Face) []Missing {
	have := map[int]map[rune]bool{}
	var weights []int
	for _, f := range faces {
		if have[f.Weight] == nil {
			have[f.Weight] = map[rune]bool{}
			weights = append(weights, f.Weight)
		}
		for _, r := range f.Runes {
			have[f.Weight][r] = true
		}
	}
	slices.Sort(weights)
	var out []Missing
	for _, r := range t.order {
		if InSystem(r) || !unicode.IsGraphic(r) {
			continue
		}
		if len(weights) == 0 {
			out = append(out, Missing{Rune: r, At: t.uses[r].at})
			continue
		}
		for _, w := range weights {
			if !have[w][r] {
				out = append(out, Missing{Rune: r, At: t.uses[r].at, Weight: w})
			}
		}
	}
	return out
}

// Check scans a locales tree and returns the characters it uses that the
// shipped faces lack, each with the file and position of its first use:
// the publisher's check that a document or catalog shows no missing glyph.
func Check(locales fs.FS) ([]Missing, error) {
	faces, err := Faces()
	if err != nil {
		return nil, err
	}
	t, err := Scan(locales)
	if err != nil {
		return nil, err
	}
	return t.Missing(faces), nil
}
