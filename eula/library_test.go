package eula_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// TestLoadTestdata loads a document set with an extra language (de, fr) and
// a newer version than the committed ones: adding them needed no code.
func TestLoadTestdata(t *testing.T) {
	lib, err := eula.Load(os.DirFS("testdata/library"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"eula", "privacy"}, lib.DocIDs()); diff != "" {
		t.Errorf("DocIDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"20250212", "20260301"}, lib.Versions(eula.DocEULA)); diff != "" {
		t.Errorf("Versions (-want +got):\n%s", diff)
	}
	if got := lib.Latest(eula.DocEULA); got != "20260301" {
		t.Errorf("Latest = %q, want 20260301", got)
	}
	for _, test := range []struct {
		version string
		want    []string
	}{
		{"20250212", []string{"en", "de"}},
		{"20260301", []string{"en", "de", "fr"}},
		{"19990101", []string{}},
	} {
		var got []string
		for _, tag := range lib.Languages(eula.DocEULA, test.version) {
			got = append(got, tag.String())
		}
		if diff := cmp.Diff(test.want, got, cmpEmpty); diff != "" {
			t.Errorf("Languages(%s) (-want +got):\n%s", test.version, diff)
		}
	}
	fr, err := lib.Document(eula.DocEULA, "20260301", language.French)
	if err != nil {
		t.Fatal(err)
	}
	if fr.Meta.Change != eula.ChangeMaterial || fr.Meta.Prevails != language.English {
		t.Errorf("fr meta = %+v, want material change, English prevails", fr.Meta)
	}
	en, err := lib.Document(eula.DocEULA, "20260301", language.English)
	if err != nil {
		t.Fatal(err)
	}
	if en.Meta.Change != eula.ChangeEditorial {
		t.Errorf("en 20260301 change = %q, want editorial", en.Meta.Change)
	}
	de, err := lib.Document(eula.DocEULA, "20260301", language.German)
	if err != nil {
		t.Fatal(err)
	}
	if de.Meta.TranslationOf != "20250212" {
		t.Errorf("de 20260301 translation-of = %q, want 20250212", de.Meta.TranslationOf)
	}
	s, ok := fr.Section("products/husky-m-series")
	if !ok || s.Title != "NVR Milestone Husky™ série M" || s.Kind != eula.KindProduct || s.Level != 3 {
		t.Errorf("fr Section(products/husky-m-series) = %+v, %v", s, ok)
	}
	for _, test := range []struct {
		doc, version string
		lang         language.Tag
		section      string
	}{
		{"nope", "20250212", language.English, "preamble"},
		{eula.DocEULA, "19990101", language.English, "preamble"},
		{eula.DocEULA, "20250212", language.French, "preamble"},
		{eula.DocEULA, "20250212", language.English, "general/nope"},
	} {
		if _, err := lib.Section(test.doc, test.version, test.lang, test.section); !errors.Is(err, eula.ErrNotFound) {
			t.Errorf("Section(%s, %s, %s, %s) error = %v, want ErrNotFound", test.doc, test.version, test.lang, test.section, err)
		}
	}
}

var cmpEmpty = cmp.Transformer("empty", func(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
})

// TestLoadInvalid loads each broken document set of testdata/invalid and
// checks that the error names the file and line and wraps ErrInvalid.
func TestLoadInvalid(t *testing.T) {
	dirs, err := filepath.Glob("testdata/invalid/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no test cases in testdata/invalid")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = eula.Load(os.DirFS(dir))
			if err == nil {
				t.Fatalf("Load succeeded, want an error containing %q", want)
			}
			if !strings.Contains(err.Error(), strings.TrimSpace(string(want))) {
				t.Errorf("Load error:\n  %v\nwant it to contain:\n  %s", err, want)
			}
			if !errors.Is(err, eula.ErrInvalid) {
				t.Errorf("Load error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

// TestLoadLocales loads the committed documents.
func TestLoadLocales(t *testing.T) {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	// The languages and versions are the library's: a publisher adds them
	// as files, and this test reads them rather than a list.
	latest := lib.Latest(eula.DocEULA)
	langs := lib.Languages(eula.DocEULA, latest)
	if len(langs) < 2 || langs[0] != eula.Original {
		t.Errorf("EULA %s languages = %v, want the original (%s) first and a translation", latest, langs, eula.Original)
	}
	if got := lib.Languages(eula.DocPrivacy, lib.Latest(eula.DocPrivacy)); len(got) != 1 || got[0] != language.English {
		t.Errorf("privacy languages = %v, want [en]", got)
	}
	for _, v := range lib.Versions(eula.DocEULA) {
		en, err := lib.Document(eula.DocEULA, v, eula.Original)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range lib.CurrentLanguages(eula.DocEULA, v)[1:] {
			tr, err := lib.Document(eula.DocEULA, v, tag)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(en.SectionIDs(), tr.SectionIDs()); diff != "" {
				t.Errorf("%s %s section ids (-en +%s):\n%s", v, tag, tag, diff)
			}
		}
	}
}

// BenchmarkLoad measures loading the committed documents (about 12 ms
// natively for four EULA languages and the privacy policy).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := eula.Load(locales.FS); err != nil {
			b.Fatal(err)
		}
	}
}
