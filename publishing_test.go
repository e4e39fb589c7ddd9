package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// publisherCopy copies the repository's locales/ to a temporary directory,
// as a publisher starts from the committed files, and returns the copy.
func publisherCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "locales")
	if err := os.CopyFS(dir, os.DirFS("locales")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readFile returns a file of the copy as a string.
func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeFile writes a file of the copy, making its directory.
func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// setFront replaces the value of a front matter key (the first line
// starting "key:") of a document's text.
func setFront(t *testing.T, text, key, value string) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, key+":") {
			lines[i] = key + ": " + value + "\n"
			return strings.Join(lines, "")
		}
		if i > 0 && l == "---\n" {
			break
		}
	}
	t.Fatalf("no front matter line %q", key)
	return ""
}

// addFront adds a front matter line before the closing "---".
func addFront(t *testing.T, text, line string) string {
	t.Helper()
	i := strings.Index(text[4:], "\n---\n")
	if !strings.HasPrefix(text, "---\n") || i < 0 {
		t.Fatal("no front matter")
	}
	return text[:4+i+1] + line + "\n" + text[4+i+1:]
}

// addGerman adds a German translation to a version of the copy, as a
// publisher does before the translator's text arrives: a copy of the
// English original with its front matter's language changed, and the
// interface strings copied from English.
func addGerman(t *testing.T, dir, version string) {
	t.Helper()
	en := readFile(t, filepath.Join(dir, "eula", version, "en.md"))
	writeFile(t, filepath.Join(dir, "eula", version, "de.md"), setFront(t, en, "language", "de"))
	writeFile(t, filepath.Join(dir, "ui", "de.json"), readFile(t, filepath.Join(dir, "ui", "en.json")))
}

// addVersion copies every file of version from into a new version of the
// copy, with the front matter's version changed; change (if not "") is
// applied to the English original's text.
func addVersion(t *testing.T, dir, from, to string, change func(string) string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "eula", from))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		text := readFile(t, filepath.Join(dir, "eula", from, e.Name()))
		if strings.HasSuffix(e.Name(), ".md") {
			text = setFront(t, text, "version", `"`+to+`"`)
			if e.Name() == "en.md" && change != nil {
				text = change(text)
			}
		}
		writeFile(t, filepath.Join(dir, "eula", to, e.Name()), text)
	}
}

// nextVersion returns a version that sorts after every version of lib's
// EULA, as a new date would.
func nextVersion(lib *eula.Library) string { return lib.Latest(eula.DocEULA) + ".1" }

// TestPublisherCopyPasses: a copy of locales/ with a German translation
// and a new version (the publisher's files, no Go) loads, its catalog
// checks, and the server and the gate run on it: the new version is in
// force, German is offered and recorded, and an acceptance of the new
// version opens the gate.
func TestPublisherCopyPasses(t *testing.T) {
	dir := publisherCopy(t)
	bundled, err := eula.Load(os.DirFS("locales"))
	if err != nil {
		t.Fatal(err)
	}
	old := bundled.Latest(eula.DocEULA)
	next := nextVersion(bundled)
	addGerman(t, dir, old)
	addVersion(t, dir, old, next, func(s string) string { return s + "\nA clause added by the new version.\n" })

	lib, err := eula.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.CheckCatalogs(); err != nil {
		t.Fatal(err)
	}
	if got := lib.Latest(eula.DocEULA); got != next {
		t.Fatalf("latest version %s, want %s", got, next)
	}
	if !slices.Contains(lib.CurrentLanguages(eula.DocEULA, next), language.German) {
		t.Fatalf("%s languages %v lack de", next, lib.CurrentLanguages(eula.DocEULA, next))
	}
	product := lib.Products()[0].Key

	data := t.TempDir()
	base := startServer(t, data, "--locales", dir)
	c := apiClient(t, base)
	ctx := context.Background()
	v, err := c.View(ctx, api.ViewRequest{Query: api.Query{Lang: "de", Product: product}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Lang != "de" || v.Version != next {
		t.Errorf("view asked in German: lang %q version %q, want de and %s", v.Lang, v.Version, next)
	}
	if _, err := c.Decide(ctx, api.DecisionRequest{
		Decision:  api.DecisionAccepted,
		Document:  api.DocumentRef{ID: eula.DocEULA, Version: next, Language: "de"},
		Product:   product,
		Installer: api.InstallerRef{MachineID: "box-de", Version: "1.0"},
	}); err != nil {
		t.Fatalf("decide in German: %v", err)
	}
	g := startGate(t, "--product", product, "--installer", "box-de", "--server", base, "--data", data,
		"--timeout", "1s", "--no-start", "--locales", dir)
	if code := g.wait(t, 20*time.Second); code != gateAccepted {
		t.Fatalf("gate exit %d, want %d\n%s", code, gateAccepted, g.stderr.String())
	}
	// An acceptance of the version before does not count: the new one is
	// material.
	decideVersion(t, base, "box-old", product, api.DecisionAccepted, old)
	g = startGate(t, "--product", product, "--installer", "box-old", "--server", base, "--data", data,
		"--timeout", "1s", "--no-start", "--locales", dir)
	if code := g.wait(t, 20*time.Second); code != gateUndecided {
		t.Fatalf("gate after accepting %s: exit %d, want %d\n%s", old, code, gateUndecided, g.stderr.String())
	}
}

// TestPublishingWalkthrough runs the steps of docs/publishing.md on a copy
// of locales/: a new language (German: document and interface strings),
// a material version in which one translation lags (translation-of) and
// the others are brought up to date, with a new product in its catalog,
// then an editorial version. The library loads, the check passes, the
// gate's rule, History and diff follow the front matter; then the check
// catches each fault planted in a copy of the result.
func TestPublishingWalkthrough(t *testing.T) {
	dir := publisherCopy(t)
	bundled, err := eula.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	old := bundled.Latest(eula.DocEULA)
	material, editorial := old+".1", old+".2" // sort after old, as later dates do
	translations := bundled.CurrentLanguages(eula.DocEULA, old)[1:]
	lag := translations[len(translations)-1] // the translation that lags
	const clause = "\nA clause the new version adds.\n"
	const fixed = "\nA clause that the new version adds.\n"

	// A new language.
	addGerman(t, dir, old)

	// A material version: the English gains a clause; each translation
	// but one follows it, the one lagging says so.
	addVersion(t, dir, old, material, func(s string) string { return s + clause })
	for _, tag := range append(translations, language.German) {
		name := filepath.Join(dir, "eula", material, tag.String()+".md")
		text := readFile(t, name)
		if tag == lag {
			text = addFront(t, text, fmt.Sprintf("translation-of: %q", old))
		} else {
			text += "\n(" + tag.String() + ") A clause the new version adds.\n" // the translator's text
		}
		writeFile(t, name, text)
	}
	// A new product, in the catalog of the version that introduces it,
	// sharing the section of a product the EULA has.
	base := bundled.Products()[0]
	catalog := filepath.Join(dir, "eula", material, eula.CatalogFile)
	line := fmt.Sprintf(`{"key": "walkthrough-nvr", "name": "Walkthrough NVR", "group": %q, "section": %q, "rules": ["no-return-right", "acceptance-before-purchase"]},`, base.GroupID, base.SectionID)
	writeFile(t, catalog, strings.Replace(readFile(t, catalog), `"products": [`, `"products": [`+"\n    "+line, 1))

	// An editorial version: a wording fixed in English only.
	addVersion(t, dir, material, editorial, func(s string) string {
		return addFront(t, strings.Replace(s, clause, fixed, 1), "reaccept: editorial")
	})

	lib, err := eula.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	expectRun(t, []string{"check", "--locales", dir}, 0, "ok\n", "")

	// The versions follow their front matter.
	hist := lib.History(eula.DocEULA)
	if n := len(hist); n < 3 {
		t.Fatalf("History has %d versions", n)
	}
	last := hist[len(hist)-2:]
	if last[0].Version != material || last[0].Change != eula.ChangeMaterial || !slices.Contains(last[0].Lagging, lag) ||
		last[1].Version != editorial || last[1].Change != eula.ChangeEditorial {
		t.Errorf("History ends with %+v, want %s material (%s lagging) and %s editorial", last, material, lag, editorial)
	}
	still := lib.StillValid(eula.DocEULA)
	if still(old, material) || still(old, editorial) || !still(material, editorial) {
		t.Errorf("StillValid: %s->%s %v, %s->%s %v, %s->%s %v; want false, false, true",
			old, material, still(old, material), old, editorial, still(old, editorial), material, editorial, still(material, editorial))
	}
	if d, lagging, _ := lib.Resolve(eula.DocEULA, lag); !lagging || d.Meta.Language != eula.Original {
		t.Errorf("a %s reader of %s is shown %s (lagging %v), want the English", lag, editorial, d.Meta.Language, lagging)
	}
	if d, lagging, _ := lib.Resolve(eula.DocEULA, language.German); lagging || d.Meta.Language != language.German {
		t.Errorf("a German reader is shown %s (lagging %v), want German", d.Meta.Language, lagging)
	}
	p, err := lib.Product("walkthrough-nvr")
	if err != nil || !p.Rules.AcceptanceBeforePurchase || !p.Rules.NoReturnRight || p.Rules.GrantsAffiliates {
		t.Errorf("the new product: %+v, %v", p, err)
	}

	// diff says what a reader is shown.
	expectRun(t, []string{"diff", "--locales", dir, old, material}, 0,
		fmt.Sprintf("%s: material; no translation yet in %s\nan acceptance of %s counts for %s: no (re-acceptance due)\nsections changed: 1;", material, lag, old, material), "")
	expectRun(t, []string{"diff", "--locales", dir, material, "latest"}, 0,
		fmt.Sprintf("%s: editorial; no translation yet in %s\nan acceptance of %s counts for %s: yes\n", editorial, lag, material, editorial), "")
	expectRun(t, []string{"diff", "--locales", dir, "--lang", "de", old, material}, 0, "in de\n", "")

	// The gate: an acceptance of the material version (of the new product)
	// opens it under the editorial one; an acceptance of the version
	// before (of a product it had) does not.
	data := t.TempDir()
	server := startServer(t, data, "--locales", dir)
	for _, test := range []struct {
		machine, product, accepted string
		want                       int
	}{
		{"box-material", p.Key, material, gateAccepted},
		{"box-old", base.Key, old, gateUndecided},
	} {
		decideVersion(t, server, test.machine, test.product, api.DecisionAccepted, test.accepted)
		g := startGate(t, "--product", test.product, "--installer", test.machine, "--server", server, "--data", data,
			"--timeout", "1s", "--no-start", "--locales", dir)
		if code := g.wait(t, 20*time.Second); code != test.want {
			t.Errorf("accepted %s: gate exit %d, want %d\n%s", test.accepted, code, test.want, g.stderr.String())
		}
	}

	// The check catches each fault planted in the result.
	upToDate := translations[0]
	if upToDate == lag {
		upToDate = language.German
	}
	trFile := func(v string, tag language.Tag) string { return filepath.Join("eula", v, tag.String()+".md") }
	en, err := lib.Document(eula.DocEULA, editorial, eula.Original)
	if err != nil {
		t.Fatal(err)
	}
	lastID := en.Sections[len(en.Sections)-1].ID
	for _, test := range []struct {
		name  string
		plant func(dir string)
		want  []string
	}{
		{"stale copy", func(dir string) {
			// The translation of the material version is the old text again.
			writeFile(t, filepath.Join(dir, trFile(material, upToDate)),
				setFront(t, readFile(t, filepath.Join(dir, trFile(old, upToDate))), "version", fmt.Sprintf("%q", material)))
		}, []string{trFile(material, upToDate) + ": the text is", "translation-of"}},
		{"missing section", func(dir string) {
			name := filepath.Join(dir, trFile(editorial, upToDate))
			text := readFile(t, name)
			writeFile(t, name, text[:strings.LastIndex(text, "\n#")+1])
		}, []string{trFile(editorial, upToDate) + ":", "of the original is missing"}},
		{"misaligned ids", func(dir string) {
			name := filepath.Join(dir, trFile(editorial, language.German))
			writeFile(t, name, strings.Replace(readFile(t, name), `{id="`+lastID+`"}`, `{id="general/elsewhere"}`, 1))
		}, []string{trFile(editorial, language.German) + ":", `section "general/elsewhere" where the original`}},
		{"character missing from the fonts", func(dir string) {
			name := filepath.Join(dir, trFile(editorial, language.German))
			writeFile(t, name, readFile(t, name)+"\nẞ𝔄한\n")
		}, []string{trFile(editorial, language.German) + ":", "U+D55C '한' is not in the shipped fonts", "make fonts"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			planted := filepath.Join(t.TempDir(), "locales")
			if err := os.CopyFS(planted, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			test.plant(planted)
			code, out, _ := runCmd(t, "check", "--locales", planted)
			if code != 1 || !strings.HasPrefix(out, planted) {
				t.Errorf("check: exit %d, output:\n%s\nwant 1 and each problem named in %s", code, out, planted)
			}
			for _, w := range test.want {
				if !strings.Contains(out, w) {
					t.Errorf("check output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
