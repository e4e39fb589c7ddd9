package importer

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eulagate/eulagate/eula"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// newVersionSeeds returns the seed files plus "100_new.txt": the English
// part of seed 002 as a new version 20260101, with its page footers
// renumbered and one sentence of the Copenhagen Clause changed; and the
// importer's data with seeds.txt listing it as line.
func newVersionSeeds(t *testing.T, line string) (mem, data fstest.MapFS) {
	t.Helper()
	real := seeds(t)
	mem = fstest.MapFS{}
	names, err := fs.Glob(real, "*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		b, err := fs.ReadFile(real, name)
		if err != nil {
			t.Fatal(err)
		}
		mem[name] = &fstest.MapFile{Data: b}
	}
	src := string(mem["002_0cb9b5c3d92b144d.txt"].Data)
	lines := strings.Split(src, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "Milestone End-user License Agreement" {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatal("English title not found in seed 002")
	}
	en := strings.Join(lines[start:], "\n")
	if !strings.Contains(en, "EULA 20250212") || !strings.Contains(en, "is a signatory to the Copenhagen") {
		t.Fatal("seed 002 lacks the footer or sentence this test changes")
	}
	en = strings.ReplaceAll(en, "EULA 20250212", "EULA 20260101")
	en = strings.Replace(en, "is a signatory to the Copenhagen", "is a proud signatory to the Copenhagen", 1)
	mem["100_new.txt"] = &fstest.MapFile{Data: []byte(en)}

	data = fstest.MapFS{}
	err = fs.WalkDir(dataFS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(dataFS, name)
		data[name] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data["data/seeds.txt"].Data = append(bytes.Clone(data["data/seeds.txt"].Data), []byte(line+"\n")...)
	return mem, data
}

// TestNewVersion imports a new English version beside the existing one: a
// line in seeds.txt is all it takes; the old files do not change, the
// translations lag behind, and exactly the changed section differs.
func TestNewVersion(t *testing.T) {
	old := build(t)
	for _, test := range []struct {
		option string
		change eula.Change
		still  bool
	}{
		{"", eula.ChangeMaterial, false},
		{" reaccept=editorial", eula.ChangeEditorial, true},
	} {
		t.Run(string(test.change), func(t *testing.T) {
			seeds, data := newVersionSeeds(t, "100_new.txt eula 20260101 en"+test.option)
			files, err := buildWith(seeds, data)
			if err != nil {
				t.Fatal(err)
			}
			for name, b := range old {
				if !bytes.Equal(files[name], b) {
					t.Errorf("%s changed", name)
				}
			}
			if len(files) != len(old)+1 || files["eula/20260101/en.md"] == nil {
				t.Fatalf("want old files plus eula/20260101/en.md, got %v", sortedKeys(files))
			}
			mem := fstest.MapFS{}
			for name, b := range files {
				mem[name] = &fstest.MapFile{Data: b}
			}
			lib, err := eula.Load(mem)
			if err != nil {
				t.Fatal(err)
			}
			h := lib.History(eula.DocEULA)
			if len(h) != 2 || h[1].Change != test.change || len(h[1].Lagging) != 3 {
				t.Errorf("History = %+v, want a second version, %s, with hu, ja, ru lagging", h, test.change)
			}
			if got := lib.StillValid(eula.DocEULA)("20250212", "20260101"); got != test.still {
				t.Errorf("StillValid = %v, want %v", got, test.still)
			}
			c, err := lib.Compare(eula.DocEULA, "20250212", "20260101", language.Japanese)
			if err != nil {
				t.Fatal(err)
			}
			var changed []string
			for _, s := range c.Changed() {
				changed = append(changed, s.ID)
			}
			if diff := cmp.Diff([]string{"general/copenhagen-clause"}, changed); diff != "" {
				t.Errorf("changed sections (-want +got):\n%s", diff)
			}
			if c.Language != language.English {
				t.Errorf("compared in %s, want en (no Japanese of the new version)", c.Language)
			}
		})
	}
}

func TestSeedOptions(t *testing.T) {
	for _, test := range []struct {
		name, list, err string
	}{
		{"unknown option", "a.txt eula 1 en color=red\n", `option "color=red"`},
		{"bad reaccept", "a.txt eula 1 en reaccept=maybe\n", "want reaccept=material or reaccept=editorial"},
		{"no language", "a.txt eula 1 reaccept=editorial\n", "no language"},
		{"disagree", "a.txt eula 1 en reaccept=editorial\nb.txt eula 1 hu en\n", "eula 1 is reaccept=editorial on line 1"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := loadSeeds(fstest.MapFS{"data/seeds.txt": {Data: []byte(test.list)}})
			if err == nil || !strings.Contains(err.Error(), test.err) {
				t.Errorf("loadSeeds: %v, want an error containing %q", err, test.err)
			}
		})
	}
}

// TestVersionProfile: a profile with a version line is used for that
// version only, before the profile for every version.
func TestVersionProfile(t *testing.T) {
	prof := func(version, id string) *fstest.MapFile {
		s := "language en\ndocument eula\ntitle T\nparagraphs blank\nclause " + id + " X.\n"
		if version != "" {
			s += "version " + version + "\n"
		}
		return &fstest.MapFile{Data: []byte(s)}
	}
	profiles, err := loadProfiles(fstest.MapFS{
		"data/eula.en.txt":          prof("", "general/a"),
		"data/eula.en.20260101.txt": prof("20260101", "general/b"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for version, want := range map[string]string{"20250212": "general/a", "20260101": "general/b"} {
		p, ok := lookupProfile(profiles, "eula", language.English, version)
		if !ok || p.Sections[0].ID != want {
			t.Errorf("profile for %s: %v, want the one with %s", version, p, want)
		}
	}
	_, err = loadProfiles(fstest.MapFS{
		"data/eula.en.txt":  prof("", "general/a"),
		"data/eula.en2.txt": prof("", "general/b"),
	})
	if err == nil || !strings.Contains(err.Error(), "same document, language and version") {
		t.Errorf("two profiles for the same version: %v", err)
	}
}
