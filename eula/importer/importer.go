package importer

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/eulagate/eulagate/eula"
)

// Import reads the seed files in seedsDir and writes the documents into
// localesDir as "<document>/<version>/<language>.md". It is deterministic: a
// file whose content would not change is not rewritten, so running it twice
// changes nothing. It fails, writing nothing, if a seed is missing or
// malformed, if a section cannot be found, or if the English copies of a
// document differ.
func Import(seedsDir, localesDir string) error {
	files, err := Build(os.DirFS(seedsDir))
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(files) {
		dst := filepath.Join(localesDir, filepath.FromSlash(name))
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, files[name]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		if err := os.WriteFile(dst, files[name], 0o644); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	return nil
}

// Check reports the files under localesDir that are missing or differ from
// what Import would write, in an error wrapping eula.ErrConflict; nil means
// the committed documents are up to date with the seeds and the importer.
// It writes nothing.
func Check(seedsDir, localesDir string) error {
	files, err := Build(os.DirFS(seedsDir))
	if err != nil {
		return err
	}
	var stale []string
	for _, name := range sortedKeys(files) {
		old, err := os.ReadFile(filepath.Join(localesDir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(old, files[name]) {
			stale = append(stale, name)
		}
	}
	if len(stale) > 0 {
		return fmt.Errorf("import check: out of date in %s: %s (run eulagate import): %w",
			localesDir, strings.Join(stale, ", "), eula.ErrConflict)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Build imports the seed files of seeds (a directory such as
// os.DirFS("../shared/seeds")) and returns the Markdown files to write,
// keyed by their slash-separated path under locales/, such as
// "eula/20250212/ru.md". Every file parses with eula.Parse.
func Build(seeds fs.FS) (map[string][]byte, error) {
	return buildWith(seeds, dataFS)
}

// buildWith is Build with the importer's data (data/seeds.txt and the
// profiles) read from data.
func buildWith(seeds, data fs.FS) (map[string][]byte, error) {
	docs, err := buildDocuments(seeds, data)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, d := range docs {
		out[localesPath(d.Meta)] = []byte(d.Markdown())
	}
	return out, nil
}

func localesPath(m eula.Meta) string {
	return path.Join(m.DocID, m.Version, m.Language.String()+".md")
}

// buildDocuments imports every seed, checks that the copies of an original
// agree, and returns the documents in a fixed order.
func buildDocuments(seeds, data fs.FS) ([]*eula.Document, error) {
	profiles, err := loadProfiles(data)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	list, err := loadSeeds(data)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	type copyOf struct {
		doc  *eula.Document
		file string
	}
	byPath := map[string][]copyOf{}
	var order []string
	for _, s := range list {
		src, err := fs.ReadFile(seeds, s.File)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		parts, err := importSeed(s, string(src), profiles, footersFor(profiles, s.Version))
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", s.File, err)
		}
		for _, d := range parts {
			p := localesPath(d.Meta)
			if byPath[p] == nil {
				order = append(order, p)
			}
			byPath[p] = append(byPath[p], copyOf{d, s.File})
		}
	}
	var docs []*eula.Document
	for _, p := range order {
		copies := byPath[p]
		first := copies[0]
		var sources []string
		for _, c := range copies {
			sources = append(sources, c.file)
			if err := sameText(first.doc, c.doc); err != nil {
				return nil, fmt.Errorf("import: %s: the copies in %s and %s differ: %w", p, first.file, c.file, err)
			}
		}
		d := first.doc
		d.Meta.Source = strings.Join(sources, " ")
		// Round trip through the file format, which also validates and hashes.
		parsed, err := eula.Parse([]byte(d.Markdown()))
		if err != nil {
			return nil, fmt.Errorf("import: %s: %w", p, err)
		}
		docs = append(docs, parsed)
	}
	// Every translation has the original's sections, in the same order.
	for _, d := range docs {
		orig := docs[0]
		for _, o := range docs {
			if o.Meta.DocID == d.Meta.DocID && o.Meta.Version == d.Meta.Version && o.Meta.Language == eula.Original {
				orig = o
			}
		}
		if !slices.Equal(orig.SectionIDs(), d.SectionIDs()) {
			return nil, fmt.Errorf("import: %s: section ids differ from %s: %w", localesPath(d.Meta), localesPath(orig.Meta), eula.ErrInvalid)
		}
	}
	return docs, nil
}

// sameText reports the first section where two imports of the same document
// differ.
func sameText(a, b *eula.Document) error {
	for i := 0; i < max(len(a.Sections), len(b.Sections)); i++ {
		if i >= len(a.Sections) || i >= len(b.Sections) {
			return fmt.Errorf("%d sections against %d: %w", len(a.Sections), len(b.Sections), eula.ErrConflict)
		}
		x, y := a.Sections[i].Markdown, b.Sections[i].Markdown
		if x != y {
			return fmt.Errorf("section %q: %s: %w", a.Sections[i].ID, firstDifference(x, y), eula.ErrConflict)
		}
	}
	return nil
}

// firstDifference shows where two texts first differ, with some context.
func firstDifference(x, y string) string {
	i := 0
	for i < len(x) && i < len(y) && x[i] == y[i] {
		i++
	}
	for i > 0 && !utf8.RuneStart(x[min(i, len(x)-1)]) {
		i--
	}
	from := max(0, i-40)
	for from > 0 && !utf8.RuneStart(x[from]) {
		from--
	}
	ctx := func(s string) string {
		to := min(len(s), i+40)
		for to < len(s) && !utf8.RuneStart(s[to]) {
			to++
		}
		return s[from:to]
	}
	return fmt.Sprintf("at byte %d: %q against %q", i, ctx(x), ctx(y))
}

// importSeed cuts one seed file into its language parts and imports each.
func importSeed(s seed, src string, profiles map[string]*profile, footers map[string]bool) ([]*eula.Document, error) {
	if !utf8.ValidString(src) {
		line := 1
		for i := 0; i < len(src); {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			if r == '\n' {
				line++
			}
			i += size
		}
		return nil, fmt.Errorf("line %d: not UTF-8: %w", line, eula.ErrInvalid)
	}
	lines := splitLines(src, footers)
	var ps []*profile
	for _, tag := range s.Languages {
		p, ok := lookupProfile(profiles, s.DocID, tag, s.Version)
		if !ok {
			return nil, fmt.Errorf("no profile for %s in %s: %w", s.DocID, tag, eula.ErrInvalid)
		}
		ps = append(ps, p)
	}
	bounds, err := partBounds(lines, ps)
	if err != nil {
		return nil, err
	}
	var docs []*eula.Document
	for i, p := range ps {
		d, err := importPart(lines[bounds[i][0]:bounds[i][1]], p)
		if err != nil {
			return nil, fmt.Errorf("%s part: %w", p.Lang, err)
		}
		d.Meta.DocID, d.Meta.Version, d.Meta.Source, d.Meta.Change = s.DocID, s.Version, s.File, s.Change
		docs = append(docs, d)
	}
	return docs, nil
}

// partBounds returns the [start, end) line ranges of each language's part:
// the first starts at the top, each next one where its title is, and the
// last ends at the end of the file or at its profile's end line.
func partBounds(lines []srcLine, ps []*profile) ([][2]int, error) {
	bounds := make([][2]int, len(ps))
	from := 0
	for i, p := range ps {
		start := from
		if i > 0 {
			found := false
			for j := from + 1; j < len(lines); j++ {
				if _, _, ok := matchAt(lines, j, p.Title, false, p.Mode); ok {
					start, found = j, true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("the %s part's title %q not found after line %d: %w", p.Lang, p.Title, from+1, eula.ErrInvalid)
			}
			bounds[i-1][1] = start
		}
		bounds[i] = [2]int{start, len(lines)}
		from = start
	}
	last := ps[len(ps)-1]
	if last.End != "" {
		end := -1
		for j := from; j < len(lines); j++ {
			if strings.HasPrefix(lines[j].Text, last.End) {
				end = j
				break
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("end line %q not found: %w", last.End, eula.ErrInvalid)
		}
		bounds[len(ps)-1][1] = end
	}
	for i, b := range bounds {
		if b[0] >= b[1] {
			return nil, fmt.Errorf("line %d: the %s part is empty: %w", b[0]+1, ps[i].Lang, eula.ErrInvalid)
		}
	}
	return bounds, nil
}

// matchAt reports whether the section title text starts at line i (possibly
// running over a few lines). It returns the index of the first line after
// the title and what is left of the last line the title ends on. A heading
// must end at a line end; a clause title must be followed by its clause.
func matchAt(lines []srcLine, i int, text string, inline bool, mode paragraphMode) (next int, rest string, ok bool) {
	if i >= len(lines) || lines[i].blank() {
		return 0, "", false
	}
	acc := ""
	var prev srcLine
	used := 0
	for j := i; j < len(lines) && used < 4; j++ {
		l := lines[j]
		if l.blank() {
			if mode == modeCJK && acc != "" {
				continue
			}
			return 0, "", false
		}
		if acc == "" {
			acc = l.Text
		} else {
			acc += joiner(acc, prev, l, mode) + l.Text
		}
		prev = l
		used++
		if len(acc) < len(text) {
			if !strings.HasPrefix(text, acc) {
				return 0, "", false
			}
			continue
		}
		if !strings.HasPrefix(acc, text) {
			return 0, "", false
		}
		rest = acc[len(text):]
		if !inline && rest != "" {
			return 0, "", false
		}
		if inline && rest != "" {
			last, _ := utf8.DecodeLastRuneInString(text)
			if isWordRune(last) && rest[0] != ' ' {
				return 0, "", false
			}
		}
		return j + 1, strings.TrimPrefix(rest, " "), true
	}
	return 0, "", false
}

// importPart imports one language's part of a seed file.
func importPart(lines []srcLine, p *profile) (*eula.Document, error) {
	if len(lines) == 0 {
		return nil, fmt.Errorf("no lines: %w", eula.ErrInvalid)
	}
	first := 0
	for first < len(lines) && lines[first].blank() {
		first++
	}
	if first == len(lines) {
		return nil, fmt.Errorf("lines %d-%d: no text: %w", lines[0].N, lines[len(lines)-1].N, eula.ErrInvalid)
	}
	next, _, ok := matchAt(lines, first, p.Title, false, p.Mode)
	if !ok {
		return nil, fmt.Errorf("line %d: want the title %q: %w", lines[first].N, p.Title, eula.ErrInvalid)
	}
	type found struct {
		spec  sectionSpec
		line  int // line number of the heading
		start int // first body line index
		rest  string
		restN srcLine
	}
	secs := []found{{spec: sectionSpec{ID: "preamble", Level: 1, Text: p.Title}, line: lines[first].N, start: next}}
	cursor := next
	for _, spec := range p.Sections {
		hit := false
		for j := cursor; j < len(lines); j++ {
			n, r, ok := matchAt(lines, j, spec.Text, spec.Inline, p.Mode)
			if !ok {
				continue
			}
			f := found{spec: spec, line: lines[j].N, start: n, rest: r, restN: lines[n-1]}
			secs = append(secs, f)
			cursor, hit = n, true
			break
		}
		if !hit {
			return nil, fmt.Errorf("section %s (%q) not found after line %d: %w", spec.ID, spec.Text, lines[min(cursor, len(lines)-1)].N, eula.ErrInvalid)
		}
	}
	// Each section's body runs from the end of its heading to the start of
	// the next heading.
	d := &eula.Document{Meta: eula.Meta{
		Language: p.Lang, Title: p.Title, Prevails: eula.Original, Change: eula.ChangeMaterial,
	}}
	short := shortLine(lines, p.Mode)
	for k, f := range secs {
		end := len(lines)
		if k+1 < len(secs) {
			end = headingStart(lines, secs[k+1].line)
		}
		var body []srcLine
		if f.rest != "" {
			rl := f.restN
			rl.Text = f.rest
			body = append(body, rl)
		}
		if f.start < end {
			body = append(body, lines[f.start:end]...)
		}
		md := eula.HeadingLine(f.spec.Level, escapeInline(f.spec.Text), f.spec.ID)
		if text := markdownParagraphs(buildParagraphs(body, p.Mode, short)); text != "" {
			md += "\n\n" + text
		}
		d.Sections = append(d.Sections, eula.Section{
			ID: f.spec.ID, Title: f.spec.Text, Level: f.spec.Level, Kind: eula.KindOf(f.spec.ID), Markdown: md, Line: f.line,
		})
	}
	return d, nil
}

// headingStart returns the index in lines of the line numbered n.
func headingStart(lines []srcLine, n int) int {
	return n - lines[0].N
}
