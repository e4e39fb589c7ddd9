package eula

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Original is the language of the original text of every document; it
// prevails over translations.
var Original = language.English

// Library is the set of documents loaded from a file system: every version
// and language of every document. It is immutable once loaded and safe for
// concurrent use.
type Library struct {
	docs map[string]map[string][]*Document // document id -> version -> documents, original first
	// catalogs holds each version's product catalog, inherited from the
	// version before when a version has no catalog file.
	catalogs map[string]map[string]*Catalog // document id -> version -> catalog
}

// Load reads every "<document>/<version>/<language>.md" file of fsys (for
// example locales.FS), parses and validates it, and checks that each version
// has an English original and that every translation has exactly the
// original's section ids in the same order. A version's directory may hold a
// product catalog (CatalogFile, see ParseCatalog); a version without one
// keeps the catalog of the version before. CheckCatalogs says whether each
// product's sections are in the documents. Adding a language, a version or a product is adding or
// editing a file. Errors name the file and line and wrap ErrInvalid.
func Load(fsys fs.FS) (*Library, error) {
	lib := &Library{docs: map[string]map[string][]*Document{}, catalogs: map[string]map[string]*Catalog{}}
	own := map[string]map[string]*Catalog{} // the catalog files read, by document and version
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		parts := strings.Split(name, "/")
		if d.IsDir() || len(parts) != 3 {
			return nil // not a document file (for example a README)
		}
		if parts[2] == CatalogFile {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				return fmt.Errorf("load %s: %w", name, err)
			}
			c, err := ParseCatalog(src)
			if err != nil {
				return &ParseError{File: name, Err: err}
			}
			if own[parts[0]] == nil {
				own[parts[0]] = map[string]*Catalog{}
			}
			own[parts[0]][parts[1]] = c
			return nil
		}
		if path.Ext(name) != ".md" {
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
		doc, err := Parse(src)
		if err != nil {
			return withFile(name, err)
		}
		m := doc.Meta
		wantLang := strings.TrimSuffix(parts[2], ".md")
		switch {
		case m.DocID != parts[0]:
			return &ParseError{File: name, Line: 2, Err: fmt.Errorf("document %q in directory %q: %w", m.DocID, parts[0], ErrInvalid)}
		case m.Version != parts[1]:
			return &ParseError{File: name, Line: 3, Err: fmt.Errorf("version %q in directory %q: %w", m.Version, parts[1], ErrInvalid)}
		case m.Language.String() != wantLang:
			return &ParseError{File: name, Line: 4, Err: fmt.Errorf("language %q in file named %q: %w", m.Language, parts[2], ErrInvalid)}
		}
		versions := lib.docs[m.DocID]
		if versions == nil {
			versions = map[string][]*Document{}
			lib.docs[m.DocID] = versions
		}
		versions[m.Version] = append(versions[m.Version], doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	for id, versions := range lib.docs {
		for v, docs := range versions {
			slices.SortFunc(docs, func(a, b *Document) int {
				if (a.Meta.Language == Original) != (b.Meta.Language == Original) {
					if a.Meta.Language == Original {
						return -1
					}
					return 1
				}
				return strings.Compare(a.Meta.Language.String(), b.Meta.Language.String())
			})
			if docs[0].Meta.Language != Original {
				return nil, fmt.Errorf("load documents: %s/%s: no %s original: %w", id, v, Original, ErrInvalid)
			}
		}
		for v, docs := range versions {
			for _, d := range docs[1:] {
				of := v
				if d.Meta.TranslationOf != "" {
					of = d.Meta.TranslationOf
				}
				orig, ok := versions[of]
				if !ok {
					return nil, fmt.Errorf("load documents: %s: translation of version %q, which does not exist: %w",
						fileName(d), of, ErrInvalid)
				}
				if err := checkAligned(orig[0], d); err != nil {
					return nil, fmt.Errorf("load documents: %w", err)
				}
			}
		}
	}
	for id, cats := range own {
		for v := range cats {
			if lib.docs[id][v] == nil {
				return nil, fmt.Errorf("load documents: %s/%s/%s: the version has no documents: %w", id, v, CatalogFile, ErrInvalid)
			}
		}
		var last *Catalog
		lib.catalogs[id] = map[string]*Catalog{}
		for _, v := range lib.Versions(id) {
			if c, ok := cats[v]; ok {
				last = c
			}
			if last != nil {
				lib.catalogs[id][v] = last
			}
		}
	}
	return lib, nil
}

// Catalog returns the product catalog of a version of a document: its own
// catalog file's, else the one of the newest version before it that has
// one. It is nil (a catalog without products) when there is none.
func (l *Library) Catalog(docID, version string) *Catalog {
	return l.catalogs[docID][version]
}

// CheckCatalogs reports, naming the version, the first product whose
// group or section is missing from the English original of a version its
// catalog applies to: a publisher's check (the viewer then cannot show the
// product's terms). Errors wrap ErrInvalid.
func (l *Library) CheckCatalogs() error {
	for _, id := range l.DocIDs() {
		for _, v := range l.Versions(id) {
			c := l.catalogs[id][v]
			if c == nil {
				continue
			}
			if err := c.checkSections(l.docs[id][v][0]); err != nil {
				return fmt.Errorf("%s/%s (catalog %s): %w", id, v, CatalogFile, err)
			}
		}
	}
	return nil
}

// Products returns the products of the EULA in force, in the order of the
// EULA.
func (l *Library) Products() []Product {
	return l.Catalog(DocEULA, l.Latest(DocEULA)).Products()
}

// Product returns the product of the EULA in force that an installer names
// by key. The error wraps ErrNotFound.
func (l *Library) Product(key string) (Product, error) {
	return l.Catalog(DocEULA, l.Latest(DocEULA)).Product(key)
}

func fileName(d *Document) string {
	return d.Meta.DocID + "/" + d.Meta.Version + "/" + d.Meta.Language.String() + ".md"
}

// checkAligned reports, naming the translation's file and line, the first
// section id where a translation differs from its original.
func checkAligned(orig, tr *Document) error {
	for i := 0; i < max(len(orig.Sections), len(tr.Sections)); i++ {
		switch {
		case i >= len(tr.Sections):
			last := tr.Sections[len(tr.Sections)-1].Line
			return &ParseError{File: fileName(tr), Line: last, Err: fmt.Errorf("section %q of the original is missing: %w", orig.Sections[i].ID, ErrInvalid)}
		case i >= len(orig.Sections):
			return &ParseError{File: fileName(tr), Line: tr.Sections[i].Line, Err: fmt.Errorf("section %q is not in the original: %w", tr.Sections[i].ID, ErrInvalid)}
		case orig.Sections[i].ID != tr.Sections[i].ID:
			return &ParseError{File: fileName(tr), Line: tr.Sections[i].Line, Err: fmt.Errorf("section %q where the original (%s line %d) has %q: %w",
				tr.Sections[i].ID, fileName(orig), orig.Sections[i].Line, orig.Sections[i].ID, ErrInvalid)}
		}
	}
	return nil
}

// DocIDs returns the ids of the loaded documents, sorted.
func (l *Library) DocIDs() []string {
	ids := make([]string, 0, len(l.docs))
	for id := range l.docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Versions returns the versions of a document, oldest first (versions sort
// as strings, so dates written YYYYMMDD sort by date), or nil if there is no
// such document.
func (l *Library) Versions(docID string) []string {
	vs := make([]string, 0, len(l.docs[docID]))
	for v := range l.docs[docID] {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

// Latest returns the newest version of a document, or "" if there is none.
func (l *Library) Latest(docID string) string {
	vs := l.Versions(docID)
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// Languages returns the languages of a version of a document, the original
// (English) first and the others sorted by tag, or nil if there is no such
// version. To choose one for a reader, build an i18n.Matcher from this
// list and use the index that Match returns.
func (l *Library) Languages(docID, version string) []language.Tag {
	docs := l.docs[docID][version]
	tags := make([]language.Tag, len(docs))
	for i, d := range docs {
		tags[i] = d.Meta.Language
	}
	return tags
}

// Document returns one version of a document in one language. The tag must
// be one Languages returns; match the reader's preferences first. The error
// wraps ErrNotFound.
func (l *Library) Document(docID, version string, lang language.Tag) (*Document, error) {
	docs, err := l.versionDocs(docID, version)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.Meta.Language == lang {
			return d, nil
		}
	}
	return nil, fmt.Errorf("document %q version %q language %q: %w", docID, version, lang, ErrNotFound)
}

// Section returns one section of one version of a document in one language.
// The error wraps ErrNotFound.
func (l *Library) Section(docID, version string, lang language.Tag, sectionID string) (*Section, error) {
	d, err := l.Document(docID, version, lang)
	if err != nil {
		return nil, err
	}
	s, ok := d.Section(sectionID)
	if !ok {
		return nil, fmt.Errorf("document %q version %q language %q section %q: %w", docID, version, lang, sectionID, ErrNotFound)
	}
	return s, nil
}

// OriginalHash returns the hash of the English original of a document
// version: a record names it beside the hash of the text shown, since the
// original prevails. The error wraps ErrNotFound.
func (l *Library) OriginalHash(docID, version string) (string, error) {
	doc, err := l.Document(docID, version, Original)
	if err != nil {
		return "", err
	}
	return doc.Hash, nil
}
