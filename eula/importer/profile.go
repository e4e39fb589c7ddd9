package importer

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/eulagate/eulagate/eula"
	"golang.org/x/text/language"
)

//go:embed data/*.txt
var dataFS embed.FS

// paragraphMode says how paragraphs are delimited in a language's extracted
// text.
type paragraphMode string

const (
	// modeBlank: a blank line ends a paragraph when the text before it ends
	// a sentence; otherwise it is extraction debris inside a paragraph.
	modeBlank paragraphMode = "blank"
	// modeCJK: every line is followed by a blank line, which means nothing;
	// a paragraph ends with a line whose last character is sentence-final
	// punctuation followed by trailing spaces. Lines join without a space.
	modeCJK paragraphMode = "cjk"
	// modeLine: every non-blank line is a paragraph (text from a web page).
	modeLine paragraphMode = "line"
)

// sectionSpec is one section as a profile describes it.
type sectionSpec struct {
	ID     string
	Level  int
	Inline bool   // a clause title that opens a paragraph, not a line of its own
	Text   string // the title as it appears in the source, whitespace collapsed
}

// profile describes one document in one language: how to recognise its
// parts in the extracted text. Profiles are data files in data/.
type profile struct {
	name     string // file name, for messages
	DocID    string
	Lang     language.Tag
	Version  string // the version the profile is for; empty for every version
	Title    string
	Footers  []string
	Mode     paragraphMode
	End      string // the part ends at the line that starts with End
	Sections []sectionSpec
}

// seed is one line of data/seeds.txt.
type seed struct {
	File      string
	DocID     string
	Version   string
	Languages []language.Tag
	Change    eula.Change // from the option reaccept=; material by default
	line      int
}

// loadProfiles reads every data/<document>.<language>.txt profile.
func loadProfiles(fsys fs.FS) (map[string]*profile, error) {
	names, err := fs.Glob(fsys, "data/*.*.txt")
	if err != nil {
		return nil, fmt.Errorf("list profiles: %w", err)
	}
	out := map[string]*profile{}
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read profile: %w", err)
		}
		p, err := parseProfile(name, string(src))
		if err != nil {
			return nil, err
		}
		key := profileKey(p.DocID, p.Lang, p.Version)
		if prev, dup := out[key]; dup {
			return nil, fmt.Errorf("%s: same document, language and version as %s: %w", name, prev.name, eula.ErrInvalid)
		}
		out[key] = p
	}
	// Every language of a document has the original's sections (those of
	// the same version's original, if it has its own).
	for _, p := range out {
		orig, ok := lookupProfile(out, p.DocID, eula.Original, p.Version)
		if !ok {
			return nil, fmt.Errorf("%s: no %s profile for document %q: %w", p.name, eula.Original, p.DocID, eula.ErrInvalid)
		}
		if len(orig.Sections) != len(p.Sections) {
			return nil, fmt.Errorf("%s: %d sections, the original has %d: %w", p.name, len(p.Sections), len(orig.Sections), eula.ErrInvalid)
		}
		for i, s := range p.Sections {
			o := orig.Sections[i]
			if s.ID != o.ID || s.Level != o.Level || s.Inline != o.Inline {
				return nil, fmt.Errorf("%s: section %d is %q, the original has %q: %w", p.name, i+1, s.ID, o.ID, eula.ErrInvalid)
			}
		}
	}
	return out, nil
}

func profileKey(docID string, lang language.Tag, version string) string {
	return docID + "." + lang.String() + "." + version
}

// lookupProfile returns the profile of a document in a language for a
// version: the one made for that version if there is one, else the one for
// every version.
func lookupProfile(profiles map[string]*profile, docID string, lang language.Tag, version string) (*profile, bool) {
	if p, ok := profiles[profileKey(docID, lang, version)]; ok {
		return p, true
	}
	p, ok := profiles[profileKey(docID, lang, "")]
	return p, ok
}

// footersFor returns the page footers of a version: every profile's footers
// with "{version}" replaced by the version.
func footersFor(profiles map[string]*profile, version string) map[string]bool {
	footers := map[string]bool{}
	for _, p := range profiles {
		for _, f := range p.Footers {
			footers[strings.ReplaceAll(f, "{version}", version)] = true
		}
	}
	return footers
}

func parseProfile(name, src string) (*profile, error) {
	p := &profile{name: name}
	sc := bufio.NewScanner(strings.NewReader(src))
	n := 0
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s: %w", name, n, fmt.Sprintf(format, args...), eula.ErrInvalid)
	}
	ids := map[string]bool{}
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, rest, _ := strings.Cut(line, " ")
		rest = collapse(rest)
		switch key {
		case "language":
			tag, err := language.Parse(rest)
			if err != nil {
				return nil, bad("unknown language tag %q", rest)
			}
			p.Lang = tag
		case "document":
			p.DocID = rest
		case "version":
			p.Version = rest
		case "title":
			p.Title = rest
		case "footer":
			p.Footers = append(p.Footers, rest)
		case "paragraphs":
			p.Mode = paragraphMode(rest)
			if p.Mode != modeBlank && p.Mode != modeCJK && p.Mode != modeLine {
				return nil, bad("paragraphs %q: want blank, cjk or line", rest)
			}
		case "end":
			p.End = rest
		case "clause", "heading":
			s := sectionSpec{Inline: key == "clause", Level: 2}
			if key == "heading" {
				lv, r, _ := strings.Cut(rest, " ")
				l, err := strconv.Atoi(lv)
				if err != nil || l < 2 || l > eula.MaxHeadingLevel {
					return nil, bad("heading level %q", lv)
				}
				s.Level, rest = l, r
			}
			s.ID, s.Text, _ = strings.Cut(rest, " ")
			if !eula.ValidSectionID(s.ID) || s.Text == "" {
				return nil, bad("want %s <id> <text>", key)
			}
			if ids[s.ID] {
				return nil, bad("section %q repeated", s.ID)
			}
			ids[s.ID] = true
			p.Sections = append(p.Sections, s)
		default:
			return nil, bad("unknown key %q", key)
		}
	}
	if p.DocID == "" || p.Lang == language.Und || p.Title == "" || p.Mode == "" {
		return nil, fmt.Errorf("%s: want document, language, title and paragraphs: %w", name, eula.ErrInvalid)
	}
	return p, nil
}

// loadSeeds reads data/seeds.txt: one seed file a line,
//
//	<file> <document> <version> <language>... [reaccept=editorial]
//
// where reaccept says whether the version requires re-acceptance (material,
// the default) or not (editorial); every seed of a version must say the
// same.
func loadSeeds(fsys fs.FS) ([]seed, error) {
	src, err := fs.ReadFile(fsys, "data/seeds.txt")
	if err != nil {
		return nil, fmt.Errorf("read seed list: %w", err)
	}
	var seeds []seed
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("data/seeds.txt:%d: want <file> <document> <version> <language>...: %w", i+1, eula.ErrInvalid)
		}
		s := seed{File: f[0], DocID: f[1], Version: f[2], Change: eula.ChangeMaterial, line: i + 1}
		for _, l := range f[3:] {
			if k, v, ok := strings.Cut(l, "="); ok {
				if k != "reaccept" || (v != string(eula.ChangeMaterial) && v != string(eula.ChangeEditorial)) {
					return nil, fmt.Errorf("data/seeds.txt:%d: option %q: want reaccept=material or reaccept=editorial: %w", i+1, l, eula.ErrInvalid)
				}
				s.Change = eula.Change(v)
				continue
			}
			tag, err := language.Parse(l)
			if err != nil {
				return nil, fmt.Errorf("data/seeds.txt:%d: unknown language tag %q: %w", i+1, l, eula.ErrInvalid)
			}
			s.Languages = append(s.Languages, tag)
		}
		if len(s.Languages) == 0 {
			return nil, fmt.Errorf("data/seeds.txt:%d: no language: %w", i+1, eula.ErrInvalid)
		}
		for _, o := range seeds {
			if o.DocID == s.DocID && o.Version == s.Version && o.Change != s.Change {
				return nil, fmt.Errorf("data/seeds.txt:%d: %s %s is reaccept=%s on line %d: %w", i+1, s.DocID, s.Version, o.Change, o.line, eula.ErrInvalid)
			}
		}
		seeds = append(seeds, s)
	}
	return seeds, nil
}

// collapse trims s and turns every run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
