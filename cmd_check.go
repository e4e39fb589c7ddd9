package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales/fonts"
)

func init() {
	register(&command{
		name:  "check",
		short: "check a publisher's locales/ before it ships",
		long: "Check reads the documents, product catalogs and interface strings of --locales\n" +
			"(default: locales) as the server will, and exits 1 naming the file (and line)\n" +
			"of each problem:\n\n" +
			"  - a file that does not load: bad front matter, a file named for another\n" +
			"    language or version, a translation whose section ids do not align with\n" +
			"    the English original's;\n" +
			"  - a translation in a new material version that is the previous version's\n" +
			"    text unchanged while the English changed, and that does not say\n" +
			"    `translation-of: <previous version>` (readers would be shown the old\n" +
			"    text as the new one);\n" +
			"  - a product of a catalog whose section is not in the English original, and\n" +
			"    a product section of the English original that no catalog entry names;\n" +
			"  - a language of the documents without interface strings (ui/<lang>.json), or\n" +
			"    whose strings lack a message of ui/en.json;\n" +
			"  - a character that the fonts lack (run `make fonts`).\n\n" +
			"It prints \"ok\" when there is none. `eulagate import --check` is the other\n" +
			"proof: that the imported documents match the seed files. See docs/publishing.md.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			localesDir := fs.String("locales", defaultLocales, "the locales directory to check (eula/<version>/<lang>.md, products.json, ui/*.json)")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) > 0 {
					return usageErrorf("check: unexpected arguments %q", args)
				}
				if fi, err := os.Stat(*localesDir); err != nil || !fi.IsDir() {
					return usageErrorf("check: --locales %s is not a directory", *localesDir)
				}
				problems, err := checkLocales(os.DirFS(*localesDir))
				if err != nil {
					return fmt.Errorf("check %s: %w", *localesDir, err)
				}
				for _, p := range problems {
					fmt.Fprintln(stdout, filepath.Join(*localesDir, filepath.FromSlash(p.at))+": "+p.msg)
				}
				if len(problems) > 0 {
					return fmt.Errorf("check: %d problem(s) in %s", len(problems), *localesDir)
				}
				fmt.Fprintln(stdout, "ok")
				return nil
			}
		},
	})
}

// problem is one fault check finds: where (a file in the locales tree,
// with ":line" or ":line:col" when known, or "." when the message names
// it) and what, with what to do.
type problem struct {
	at, msg string
}

// checkLocales returns the problems of a locales tree. The error is for a
// tree it cannot read at all.
func checkLocales(fsys fs.FS) ([]problem, error) {
	var out []problem
	lib, err := eula.Load(fsys)
	if err != nil {
		var pe *eula.ParseError
		if !errors.As(err, &pe) || pe.File == "" {
			// No file to name (a version without an English original, say).
			return []problem{{at: ".", msg: err.Error()}}, nil
		}
		at := pe.File
		if pe.Line > 0 {
			at = fmt.Sprintf("%s:%d", pe.File, pe.Line)
		}
		out = append(out, problem{at: at, msg: strings.TrimSuffix(pe.Err.Error(), ": "+eula.ErrInvalid.Error())})
		// The rest needs a library; the fonts do not.
	} else {
		stale, err := staleTranslations(fsys, lib)
		if err != nil {
			return nil, err
		}
		out = append(out, stale...)
		out = append(out, catalogProblems(lib)...)
		ui, err := uiProblems(fsys, lib)
		if err != nil {
			return nil, err
		}
		out = append(out, ui...)
	}
	missing, err := missingGlyphs(fsys)
	if err != nil {
		return nil, err
	}
	for _, m := range missing {
		at := "."
		if m.At.File != "" { // else a language's name that golang.org/x/text supplies
			at = m.At.String()
		}
		out = append(out, problem{at: at, msg: strings.TrimPrefix(m.String(), m.At.String()+": ")})
	}
	return out, nil
}

// missingGlyphs returns the characters of the tree that its fonts (the
// faces in fonts/, which a build from the tree ships) lack, or that the
// shipped fonts lack when the tree has none.
func missingGlyphs(fsys fs.FS) ([]fonts.Missing, error) {
	sub, err := fs.Sub(fsys, "fonts")
	if err != nil {
		return nil, err
	}
	faces, err := fonts.ReadFaces(sub)
	if err != nil || len(faces) == 0 {
		return fonts.Check(fsys)
	}
	t, err := fonts.Scan(fsys)
	if err != nil {
		return nil, err
	}
	return t.Missing(faces), nil
}

// uiProblems returns the languages of the documents that have no
// interface strings (ui/<lang>.json), and the catalogs that lack a message
// English has or have one it lacks.
func uiProblems(fsys fs.FS, lib *eula.Library) ([]problem, error) {
	read := func(lang string) (map[string]string, error) {
		b, err := fs.ReadFile(fsys, path.Join("ui", lang+".json"))
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		return m, nil
	}
	en, err := read(eula.Original.String())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a tree of documents only (the server's --locales)
	}
	if err != nil {
		return []problem{{at: path.Join("ui", eula.Original.String()+".json"), msg: err.Error()}}, nil
	}
	var out []problem
	seen := map[string]bool{eula.Original.String(): true}
	for _, id := range lib.DocIDs() {
		for _, tag := range lib.AllLanguages(id) {
			lang := tag.String()
			if seen[lang] {
				continue
			}
			seen[lang] = true
			name := path.Join("ui", lang+".json")
			m, err := read(lang)
			if errors.Is(err, fs.ErrNotExist) {
				out = append(out, problem{at: name, msg: fmt.Sprintf("missing: %s has a text in %s but no interface strings (copy ui/en.json and translate it)", id, lang)})
				continue
			}
			if err != nil {
				out = append(out, problem{at: name, msg: err.Error()})
				continue
			}
			var lacks, extra []string
			for k := range en {
				if _, ok := m[k]; !ok {
					lacks = append(lacks, k)
				}
			}
			for k := range m {
				if _, ok := en[k]; !ok {
					extra = append(extra, k)
				}
			}
			slices.Sort(lacks)
			slices.Sort(extra)
			if len(lacks) > 0 {
				out = append(out, problem{at: name, msg: fmt.Sprintf("lacks the messages %s that ui/en.json has", strings.Join(lacks, ", "))})
			}
			if len(extra) > 0 {
				out = append(out, problem{at: name, msg: fmt.Sprintf("has the messages %s that ui/en.json lacks", strings.Join(extra, ", "))})
			}
		}
	}
	return out, nil
}

// staleTranslations returns the translations of a material version whose
// text (after the front matter) is byte for byte that of the version
// before, while the English original's changed, unless they say they
// translate an older version. An editorial version (a typo fixed in
// English) may keep its translations unchanged.
func staleTranslations(fsys fs.FS, lib *eula.Library) ([]problem, error) {
	var out []problem
	for _, id := range lib.DocIDs() {
		versions := lib.Versions(id)
		for i := 1; i < len(versions); i++ {
			prev, v := versions[i-1], versions[i]
			if c, _ := lib.ChangeOf(id, v); c == eula.ChangeEditorial { // v comes from Versions
				continue
			}
			enPrev, err := body(fsys, id, prev, eula.Original.String())
			if err != nil {
				return nil, err
			}
			enNew, err := body(fsys, id, v, eula.Original.String())
			if err != nil {
				return nil, err
			}
			if bytes.Equal(enPrev, enNew) {
				continue
			}
			for _, tag := range lib.Languages(id, v)[1:] {
				d, _ := lib.Document(id, v, tag) // tag comes from Languages
				if d.Meta.TranslationOf != "" && d.Meta.TranslationOf != v {
					continue // a lagging translation, said so
				}
				if _, err := lib.Document(id, prev, tag); err != nil {
					continue // a new language
				}
				old, err := body(fsys, id, prev, tag.String())
				if err != nil {
					return nil, err
				}
				cur, err := body(fsys, id, v, tag.String())
				if err != nil {
					return nil, err
				}
				if bytes.Equal(old, cur) {
					out = append(out, problem{
						at: path.Join(id, v, tag.String()+".md"),
						msg: fmt.Sprintf("the text is %s's unchanged, while the English original changed: translate the changes, or say that it lags with `translation-of: %q` in the front matter (its readers are then shown the English)",
							path.Join(id, prev, tag.String()+".md"), prev),
					})
				}
			}
		}
	}
	return out, nil
}

// body returns a document file's text after its front matter.
func body(fsys fs.FS, id, version, lang string) ([]byte, error) {
	name := path.Join(id, version, lang+".md")
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	_, line, err := eula.ParseFrontMatter(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err) // Load read it already
	}
	for ; line > 1; line-- {
		_, src, _ = bytes.Cut(src, []byte("\n"))
	}
	return src, nil
}

// catalogProblems returns the catalog's faults: a product whose sections
// are not in the English original (Library.CheckCatalogs), and a product
// section of an English original that no product of its version's
// catalog names.
func catalogProblems(lib *eula.Library) []problem {
	var out []problem
	if err := lib.CheckCatalogs(); err != nil {
		out = append(out, problem{at: ".", msg: strings.TrimSuffix(err.Error(), ": "+eula.ErrInvalid.Error()) + ": name a section the English has, or add it"})
	}
	for _, id := range lib.DocIDs() {
		for _, v := range lib.Versions(id) {
			en, err := lib.Document(id, v, eula.Original)
			if err != nil {
				continue // Load makes sure every version has one
			}
			named := map[string]bool{}
			for _, p := range lib.Catalog(id, v).Products() {
				named[p.SectionID] = true
			}
			for _, s := range en.Sections {
				if s.Kind == eula.KindProduct && !named[s.ID] {
					out = append(out, problem{
						at:  fmt.Sprintf("%s:%d", path.Join(id, v, eula.Original.String()+".md"), s.Line),
						msg: fmt.Sprintf("product section %q has no product in %s: add a line naming it (key, name, group, section, rules)", s.ID, path.Join(id, v, eula.CatalogFile)),
					})
				}
			}
		}
	}
	return out
}
