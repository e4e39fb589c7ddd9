package importer

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/eulagate/eulagate/eula"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the generated files under locales/ from the seeds")

// seedsDir is where the seed files are, relative to this package.
const seedsDir = "../../../shared/seeds"

// localesDir is the repository's locales directory, relative to this
// package.
const localesDir = "../../locales"

// seeds returns the seed directory, or skips the test loudly if it is absent
// (and fails instead when CI=true).
func seeds(t testing.TB) fs.FS {
	t.Helper()
	if _, err := os.Stat(filepath.Join(seedsDir, "README.md")); err != nil {
		msg := fmt.Sprintf("SEED FILES MISSING: %s not found (%v); the importer's fidelity is NOT being tested", seedsDir, err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return os.DirFS(seedsDir)
}

var built struct {
	files map[string][]byte
	err   error
	done  bool
}

// build runs the importer once per test binary.
func build(t *testing.T) map[string][]byte {
	t.Helper()
	fsys := seeds(t)
	if !built.done {
		built.files, built.err = Build(fsys)
		built.done = true
	}
	if built.err != nil {
		t.Fatalf("Build: %v", built.err)
	}
	return built.files
}

// tokens splits text into the units fidelity is measured in: runs of
// letters, digits and marks are words, except that each Han, Hiragana or
// Katakana character is a token of its own; every other non-space character
// is a token of its own; white space separates tokens and is not one.
// Splitting punctuation off makes the measure independent of how lines were
// joined ("non-" + "transferable") while still counting every character.
func tokens(s string) []string {
	var out []string
	var word []rune
	flush := func() {
		if len(word) > 0 {
			out = append(out, string(word))
			word = word[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			flush()
		case wide(r):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			word = append(word, r)
		default:
			flush()
			out = append(out, string(r))
		}
	}
	flush()
	return out
}

// firstDiff returns the index of the first differing token, or -1.
func firstDiff(a, b []string) int {
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func context(ts []string, i int) string {
	return strings.Join(ts[max(0, i-8):min(len(ts), i+8)], " ")
}

// TestFidelity checks, for every language part of every seed file, that the
// sequence of tokens of the source (minus page footers and white space)
// equals that of the imported document with its markup removed: zero tokens
// lost, zero added.
func TestFidelity(t *testing.T) {
	files := build(t)
	profiles, err := loadProfiles(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	list, err := loadSeeds(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	fsys := seeds(t)
	for _, s := range list {
		footers := footersFor(profiles, s.Version)
		src, err := fs.ReadFile(fsys, s.File)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		var ps []*profile
		for _, tag := range s.Languages {
			p, _ := lookupProfile(profiles, s.DocID, tag, s.Version) // Build found them all
			ps = append(ps, p)
		}
		bounds, err := partBounds(splitLines(string(src), footers), ps)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range ps {
			t.Run(s.File+"/"+p.Lang.String(), func(t *testing.T) {
				var kept []string
				for _, l := range lines[bounds[i][0]:bounds[i][1]] {
					if !footers[collapseSpaces(l)] {
						kept = append(kept, l)
					}
				}
				want := tokens(strings.Join(kept, "\n"))
				name := s.DocID + "/" + s.Version + "/" + p.Lang.String() + ".md"
				doc, err := eula.Parse(files[name])
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				var text strings.Builder
				for _, sec := range doc.Sections {
					text.WriteString(eula.PlainText(sec.Markdown))
				}
				got := tokens(text.String())
				if i := firstDiff(want, got); i >= 0 {
					t.Errorf("%s: first difference at token %d of %d (source) / %d (import):\nsource: …%s…\nimport: …%s…",
						name, i, len(want), len(got), context(want, i), context(got, i))
					return
				}
				t.Logf("%s lines %d-%d → %s: %d tokens, 0 lost, 0 added", s.File, bounds[i][0]+1, bounds[i][1], name, len(want))
			})
		}
	}
}

// TestAlignment checks that every language of the EULA has exactly the
// English section ids, in the same order.
func TestAlignment(t *testing.T) {
	files := build(t)
	en, err := eula.Parse(files["eula/20250212/en.md"])
	if err != nil {
		t.Fatal(err)
	}
	if len(en.Sections) < 50 {
		t.Errorf("English has %d sections, want the preamble, 22 general clauses, groups and about 30 products", len(en.Sections))
	}
	for _, lang := range []string{"ru", "hu", "ja"} {
		t.Run(lang, func(t *testing.T) {
			d, err := eula.Parse(files["eula/20250212/"+lang+".md"])
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(en.SectionIDs(), d.SectionIDs()); diff != "" {
				t.Errorf("section ids (-en +%s):\n%s", lang, diff)
			}
		})
	}
}

// TestLocalesUpToDate fails if the committed files under locales/ differ
// from what the importer makes of the seeds. Run with -update to rewrite
// them.
func TestLocalesUpToDate(t *testing.T) {
	files := build(t)
	if *update {
		if err := Import(seedsDir, localesDir); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range sortedKeys(files) {
		got, err := os.ReadFile(filepath.Join(localesDir, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%v (run: go test ./eula/importer -run TestLocalesUpToDate -update)", err)
			continue
		}
		if !bytes.Equal(got, files[name]) {
			t.Errorf("locales/%s is out of date with the importer: %s\n(run: go test ./eula/importer -run TestLocalesUpToDate -update)",
				name, firstDifference(string(got), string(files[name])))
		}
	}
}

func TestCheck(t *testing.T) {
	seeds(t)
	if err := Check(seedsDir, localesDir); err != nil {
		t.Errorf("Check of the committed files: %v", err)
	}
	dir := t.TempDir()
	if err := Check(seedsDir, dir); !errors.Is(err, eula.ErrConflict) || !strings.Contains(err.Error(), "eula/20250212/ja.md") {
		t.Errorf("Check of an empty directory: %v, want ErrConflict naming the files", err)
	}
}

// TestImportIdempotent checks that importing twice changes nothing.
func TestImportIdempotent(t *testing.T) {
	seeds(t)
	dir := t.TempDir()
	if err := Import(seedsDir, dir); err != nil {
		t.Fatal(err)
	}
	snapshot := func() map[string]string {
		m := map[string]string{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			info, _ := d.Info() // the file was just listed; Info cannot fail here
			m[p] = fmt.Sprintf("%x %v", b, info.ModTime())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := snapshot()
	if err := Import(seedsDir, dir); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, snapshot()); diff != "" {
		t.Errorf("second import changed files (-first +second):\n%s", diff)
	}
}

// TestEnglishCopiesDiverge checks that the importer fails loudly when the
// English copies of the EULA differ.
func TestEnglishCopiesDiverge(t *testing.T) {
	fsys := seeds(t)
	mem := fstest.MapFS{}
	for _, name := range []string{"000_c7b7f6dea31d5924.txt", "001_305f2ca1be345ded.txt", "002_0cb9b5c3d92b144d.txt", "004_522c9a547af525f2.txt"} {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		mem[name] = &fstest.MapFile{Data: b}
	}
	f := mem["001_305f2ca1be345ded.txt"]
	f.Data = bytes.Replace(f.Data, []byte("Milestone shall be liable for ensuring"), []byte("Milestone shall be liable for insuring"), 1)
	_, err := Build(mem)
	if err == nil || !strings.Contains(err.Error(), "differ") || !strings.Contains(err.Error(), "general/third-party-rights-infringement") {
		t.Errorf("Build with diverging English copies: err = %v, want one naming the section that differs", err)
	}
}
