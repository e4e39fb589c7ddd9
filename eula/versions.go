package eula

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// ChangeOf returns whether a version of a document requires re-acceptance,
// as the front matter of its original says ("reaccept: editorial" or the
// default, material); a translation's own reaccept line is not consulted.
// The error wraps ErrNotFound.
func (l *Library) ChangeOf(docID, version string) (Change, error) {
	docs, err := l.versionDocs(docID, version)
	if err != nil {
		return "", err
	}
	return docs[0].Meta.Change, nil
}

func (l *Library) versionDocs(docID, version string) ([]*Document, error) {
	versions, ok := l.docs[docID]
	if !ok {
		return nil, fmt.Errorf("document %q: %w", docID, ErrNotFound)
	}
	docs, ok := versions[version]
	if !ok {
		return nil, fmt.Errorf("document %q version %q: %w", docID, version, ErrNotFound)
	}
	return docs, nil
}

// StillValid returns the gate's rule for a document (see StatusOf): an
// acceptance of version accepted counts while version current is in force
// if they are the same version, or if accepted is an earlier version of the
// document and every version after it, up to and including current, is
// editorial. An acceptance of a version the library does not hold counts
// only for that same version.
func (l *Library) StillValid(docID string) StillValid {
	vs := l.Versions(docID)
	editorial := make([]bool, len(vs))
	for i, v := range vs {
		c, _ := l.ChangeOf(docID, v) // v comes from Versions, so it exists
		editorial[i] = c == ChangeEditorial
	}
	return func(accepted, current string) bool {
		if accepted == current {
			return true
		}
		i, okA := slices.BinarySearch(vs, accepted)
		j, okC := slices.BinarySearch(vs, current)
		if !okA || !okC || i > j {
			return false
		}
		for k := i + 1; k <= j; k++ {
			if !editorial[k] {
				return false
			}
		}
		return true
	}
}

// upToDate reports whether d's text is of its own version: an original, or
// a translation made from the original of the same version.
func upToDate(d *Document) bool {
	return d.Meta.TranslationOf == "" || d.Meta.TranslationOf == d.Meta.Version
}

// CurrentLanguages returns the languages with a text of a version of a
// document, the original first: those of Languages without the translations
// that were made from an older version's original ("translation-of"), which
// are never shown for this version. It returns nil if there is no such
// version.
func (l *Library) CurrentLanguages(docID, version string) []language.Tag {
	var tags []language.Tag
	for _, d := range l.docs[docID][version] {
		if upToDate(d) {
			tags = append(tags, d.Meta.Language)
		}
	}
	return tags
}

// AllLanguages returns every language any version of a document has a text
// in, the original first and the others sorted by tag. Match a reader's
// preferences against this list (not just the latest version's) so that a
// reader whose translation lags behind is recognised, then call Resolve.
func (l *Library) AllLanguages(docID string) []language.Tag {
	seen := map[language.Tag]bool{}
	var tags []language.Tag
	for _, v := range l.Versions(docID) {
		for _, t := range l.CurrentLanguages(docID, v) {
			if !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		}
	}
	slices.SortFunc(tags, func(a, b language.Tag) int {
		if (a == Original) != (b == Original) {
			if a == Original {
				return -1
			}
			return 1
		}
		return strings.Compare(a.String(), b.String())
	})
	return tags
}

// VersionInfo describes one version of a document.
type VersionInfo struct {
	// Version is the version, such as "20250212".
	Version string
	// Change says whether the version requires re-acceptance.
	Change Change
	// Languages are the languages with a text of this version (see
	// CurrentLanguages), the original first.
	Languages []language.Tag
	// Lagging are the languages that an earlier version has a text in and
	// this one has not: their readers are shown the original, with a note.
	Lagging []language.Tag
}

// History returns the versions of a document, oldest first, with their
// kind of change and their languages; nil if there is no such document.
func (l *Library) History(docID string) []VersionInfo {
	var out []VersionInfo
	seen := map[language.Tag]bool{}
	for _, v := range l.Versions(docID) {
		c, _ := l.ChangeOf(docID, v) // v comes from Versions, so it exists
		info := VersionInfo{Version: v, Change: c, Languages: l.CurrentLanguages(docID, v)}
		for _, t := range l.AllLanguages(docID) {
			if seen[t] && !slices.Contains(info.Languages, t) {
				info.Lagging = append(info.Lagging, t)
			}
		}
		for _, t := range info.Languages {
			seen[t] = true
		}
		out = append(out, info)
	}
	return out
}

// Resolve returns the document to show a reader who wants language want
// (a tag of AllLanguages, chosen with i18n.Choose or an i18n.Matcher) for
// the latest version of a document. See ResolveVersion.
func (l *Library) Resolve(docID string, want language.Tag) (doc *Document, lagging bool, err error) {
	return l.ResolveVersion(docID, l.Latest(docID), want)
}

// ResolveVersion returns the document to show a reader who wants language
// want for one version of a document: the version's text in that language
// if it has an up-to-date one, else the version's original with lagging
// true. It never returns the text of another version: a translation that
// lags behind is replaced by the new original, never shown in its old
// form. The document's Meta says which version and language were really
// shown; record those. The error wraps ErrNotFound if there is no such
// document or version.
func (l *Library) ResolveVersion(docID, version string, want language.Tag) (doc *Document, lagging bool, err error) {
	docs, err := l.versionDocs(docID, version)
	if err != nil {
		return nil, false, err
	}
	for _, d := range docs {
		if d.Meta.Language == want && upToDate(d) {
			return d, false, nil
		}
	}
	return docs[0], true, nil
}

// Comparison is what changed between two versions of a document, as shown
// to a reader asked to accept again or printed by eulagate diff.
type Comparison struct {
	// DocID, Old and New name the document and the two versions.
	DocID, Old, New string
	// Language is the language of the texts compared: the one asked for if
	// both versions have an up-to-date text in it, else the original.
	Language language.Tag
	// Sections are every section of both versions (see Changes); which
	// ones changed is decided by the canonical hashes of the originals.
	Sections []SectionChange
}

// Changed returns the sections that were added, removed or changed, in
// order.
func (c *Comparison) Changed() []SectionChange {
	var out []SectionChange
	for _, s := range c.Sections {
		if s.Kind != SectionUnchanged {
			out = append(out, s)
		}
	}
	return out
}

// Unchanged returns the number of sections that did not change.
func (c *Comparison) Unchanged() int {
	return len(c.Sections) - len(c.Changed())
}

// Compare returns what changed from version from to version to of a
// document, in language lang where both versions have an up-to-date text in
// it and in the original otherwise. Which sections changed is decided by
// the originals' canonical section hashes, whatever the language shown;
// the word differences are those of the language shown. The error wraps
// ErrNotFound if there is no such document or version.
func (l *Library) Compare(docID, from, to string, lang language.Tag) (*Comparison, error) {
	oldDocs, err := l.versionDocs(docID, from)
	if err != nil {
		return nil, err
	}
	newDocs, err := l.versionDocs(docID, to)
	if err != nil {
		return nil, err
	}
	c := &Comparison{DocID: docID, Old: from, New: to, Language: Original, Sections: Changes(oldDocs[0], newDocs[0])}
	if lang == Original {
		return c, nil
	}
	o, oldLagging, _ := l.ResolveVersion(docID, from, lang) // the versions exist
	n, newLagging, _ := l.ResolveVersion(docID, to, lang)
	if oldLagging || newLagging {
		return c, nil
	}
	c.Language = lang
	for i := range c.Sections {
		s := &c.Sections[i]
		var oldSec, newSec *Section
		if s.Old != nil {
			oldSec, _ = o.Section(s.ID) // translations have the original's ids
		}
		if s.New != nil {
			newSec, _ = n.Section(s.ID)
		}
		s.Old, s.New = oldSec, newSec
		switch s.Kind {
		case SectionChanged:
			s.Edits = DiffText(PlainText(oldSec.Markdown), PlainText(newSec.Markdown))
		case SectionAdded:
			s.Edits = DiffText("", PlainText(newSec.Markdown))
		case SectionRemoved:
			s.Edits = DiffText(PlainText(oldSec.Markdown), "")
		}
	}
	return c, nil
}
