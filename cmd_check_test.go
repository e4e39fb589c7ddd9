package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
)

// TestCheckBundled: the committed locales pass the publisher's check.
func TestCheckBundled(t *testing.T) {
	expectRun(t, []string{"check"}, 0, "ok\n", "")
}

// plantedLibrary loads the committed documents, to plant faults in a copy
// of them by what they hold rather than by pinned names.
func plantedLibrary(t *testing.T) (lib *eula.Library, latest, translation string) {
	t.Helper()
	lib, err := eula.Load(os.DirFS("locales"))
	if err != nil {
		t.Fatal(err)
	}
	latest = lib.Latest(eula.DocEULA)
	return lib, latest, lib.CurrentLanguages(eula.DocEULA, latest)[1].String()
}

// dropProducts rewrites a catalog file without the products whose section
// is section.
func dropProducts(t *testing.T, name, section string) {
	t.Helper()
	var c struct {
		Products []map[string]any `json:"products"`
	}
	if err := json.Unmarshal([]byte(readFile(t, name)), &c); err != nil {
		t.Fatal(err)
	}
	var kept []map[string]any
	for _, p := range c.Products {
		if p["section"] != section {
			kept = append(kept, p)
		}
	}
	c.Products = kept
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, name, string(b))
}

// TestCheckFaults plants each fault the check exists for in a copy of
// locales/ and expects it named with its file.
func TestCheckFaults(t *testing.T) {
	lib, latest, tr := plantedLibrary(t)
	next := nextVersion(lib)
	en, err := lib.Document(eula.DocEULA, latest, eula.Original)
	if err != nil {
		t.Fatal(err)
	}
	lastID := en.Sections[len(en.Sections)-1].ID
	product := lib.Products()[0]
	amend := func(s string) string { return s + "\nA clause the new version adds.\n" }
	trFile := func(v string) string { return filepath.Join("eula", v, tr+".md") }
	for _, test := range []struct {
		name  string
		plant func(t *testing.T, dir string)
		want  []string // in the output, each; nil: ok
	}{
		{"nothing planted", func(t *testing.T, dir string) {}, nil},
		{"stale copy", func(t *testing.T, dir string) {
			addVersion(t, dir, latest, next, amend)
		}, []string{trFile(next) + ": the text is " + filepath.ToSlash(trFile(latest)) + "'s unchanged", fmt.Sprintf("translation-of: %q", latest)}},
		{"lagging translation said so", func(t *testing.T, dir string) {
			addVersion(t, dir, latest, next, amend)
			for _, tag := range lib.CurrentLanguages(eula.DocEULA, latest)[1:] {
				name := filepath.Join(dir, "eula", next, tag.String()+".md")
				writeFile(t, name, addFront(t, readFile(t, name), fmt.Sprintf("translation-of: %q", latest)))
			}
		}, nil},
		{"editorial version keeps its translations", func(t *testing.T, dir string) {
			addVersion(t, dir, latest, next, func(s string) string { return addFront(t, amend(s), "reaccept: editorial") })
		}, nil},
		{"misaligned ids", func(t *testing.T, dir string) {
			name := filepath.Join(dir, trFile(latest))
			writeFile(t, name, strings.Replace(readFile(t, name), `{id="`+lastID+`"}`, `{id="general/renamed"}`, 1))
		}, []string{trFile(latest) + ":", `section "general/renamed" where the original`}},
		{"product section without a product", func(t *testing.T, dir string) {
			dropProducts(t, filepath.Join(dir, "eula", latest, eula.CatalogFile), product.SectionID)
		}, []string{filepath.Join("eula", latest, "en.md") + ":", fmt.Sprintf("product section %q has no product", product.SectionID)}},
		{"product without its section", func(t *testing.T, dir string) {
			name := filepath.Join(dir, "eula", latest, eula.CatalogFile)
			writeFile(t, name, strings.ReplaceAll(readFile(t, name), `"section": "`+product.SectionID+`"`, `"section": "products/gone"`))
		}, []string{eula.CatalogFile, `section "products/gone" is not in`}},
		{"character missing from the fonts", func(t *testing.T, dir string) {
			name := filepath.Join(dir, trFile(latest))
			writeFile(t, name, readFile(t, name)+"\n한\n")
		}, []string{trFile(latest) + ":", `U+D55C '한' is not in the shipped fonts`, "make fonts"}},
		{"language without interface strings", func(t *testing.T, dir string) {
			addGerman(t, dir, latest)
			os.Remove(filepath.Join(dir, "ui", "de.json"))
		}, []string{filepath.Join("ui", "de.json") + ": missing"}},
		{"interface strings incomplete", func(t *testing.T, dir string) {
			addGerman(t, dir, latest)
			writeFile(t, filepath.Join(dir, "ui", "de.json"), `{"accept": "Ich stimme zu"}`)
		}, []string{filepath.Join("ui", "de.json") + ": lacks the messages"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := publisherCopy(t)
			test.plant(t, dir)
			code, out, errOut := runCmd(t, "check", "--locales", dir)
			if test.want == nil {
				if code != 0 || out != "ok\n" {
					t.Fatalf("exit %d, output %q %q; want 0 and ok", code, out, errOut)
				}
				return
			}
			if code != 1 || !strings.Contains(errOut, "problem") {
				t.Errorf("exit %d, stderr %q; want 1 and the number of problems", code, errOut)
			}
			for _, w := range test.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if !strings.HasPrefix(out, dir) {
				t.Errorf("output does not start with the directory %s:\n%s", dir, out)
			}
		})
	}
}

func TestCheckUsage(t *testing.T) {
	expectRun(t, []string{"check", "extra"}, 2, "", "unexpected arguments")
	expectRun(t, []string{"check", "--locales", filepath.Join(t.TempDir(), "nope")}, 2, "", "not a directory")
}
