package main

import (
	"context"
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
