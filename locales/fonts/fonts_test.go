package fonts_test

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/eulagate/eulagate/locales/fonts"
	"github.com/eulagate/eulagate/locales/fonts/internal/sfnt"
)

// locales is the bundled locales tree.
var locales = os.DirFS("..")

// bundled scans the bundled locales tree and reads the shipped faces.
func bundled(t *testing.T) (*fonts.Text, []fonts.Face) {
	t.Helper()
	text, err := fonts.Scan(locales)
	if err != nil {
		t.Fatal(err)
	}
	faces, err := fonts.Faces()
	if err != nil {
		t.Fatal(err)
	}
	return text, faces
}

// TestLocalesCovered fails when a document or catalog under locales/ uses
// a character that is neither left to the system's fonts nor in the
// shipped faces, naming the file, the place and the character.
func TestLocalesCovered(t *testing.T) {
	missing, err := fonts.Check(locales)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Error(m)
	}
}

// TestFacesUpToDate fails when the shipped faces hold other characters
// than the documents and catalogs need, in other slices: each weight has
// one face per slice, with exactly its characters.
func TestFacesUpToDate(t *testing.T) {
	text, faces := bundled(t)
	var want [][]rune
	for _, s := range text.Slices() {
		want = append(want, s.Runes)
	}
	byWeight := map[int][][]rune{}
	for _, f := range faces {
		byWeight[f.Weight] = append(byWeight[f.Weight], f.Runes)
	}
	for _, w := range []int{400, 700} {
		got := byWeight[w]
		order := func(a, b []rune) int { return slices.Compare(a, b) }
		slices.SortFunc(got, order)
		slices.SortFunc(want, order)
		if diff := cmp.Diff(runeStrings(want), runeStrings(got)); diff != "" {
			t.Errorf("weight %d: the shipped faces are out of date, run `make fonts` (-want +got):\n%s", w, diff)
		}
	}
	if len(byWeight) != 2 {
		t.Errorf("weights %v, want 400 and 700", slices.Sorted(maps.Keys(byWeight)))
	}
}

func runeStrings(rs [][]rune) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// TestCheck plants characters that the shipped faces lack into a copy of
// a locales tree: the check names the file, the place and the character,
// once for each weight.
func TestCheck(t *testing.T) {
	for _, test := range []struct {
		name  string
		files fstest.MapFS
		want  []string
	}{
		{
			name:  "a rare kanji in the Japanese document",
			files: fstest.MapFS{"eula/1/ja.md": {Data: []byte("---\ntitle: 契約\n---\n\n# 一般条項\n\n龘の条項。\n")}},
			want: []string{
				"eula/1/ja.md:7:1: U+9F98 '龘' is not in the shipped fonts (weight 400): run `make fonts`",
				"eula/1/ja.md:7:1: U+9F98 '龘' is not in the shipped fonts (weight 700): run `make fonts`",
			},
		},
		{
			name:  "an escaped character in a catalog",
			files: fstest.MapFS{"ui/ja.json": {Data: []byte(`{"accept": "\u9f98"}`)}},
			want: []string{
				"ui/ja.json: U+9F98 '龘' is not in the shipped fonts (weight 400): run `make fonts`",
				"ui/ja.json: U+9F98 '龘' is not in the shipped fonts (weight 700): run `make fonts`",
			},
		},
		{
			name:  "a new script in a new language",
			files: fstest.MapFS{"eula/1/th.md": {Data: []byte("ส")}},
			want: []string{
				"eula/1/th.md:1:1: U+0E2A 'ส' is not in the shipped fonts (weight 400): run `make fonts`",
				"eula/1/th.md:1:1: U+0E2A 'ส' is not in the shipped fonts (weight 700): run `make fonts`",
			},
		},
		{
			name: "Latin, Greek, Cyrillic and shipped kanji",
			files: fstest.MapFS{
				"eula/1/en.md": {Data: []byte("Milestone™ – “quoted” Ωmega")},
				"eula/1/ru.md": {Data: []byte("Соглашение — «текст»")},
				"eula/1/ja.md": {Data: []byte("日本語の契約。")},
				"fonts/x.md":   {Data: []byte("龘 (fonts/ is not a document)")},
				"ui/ui.go":     {Data: []byte("package ui // 龘")},
			},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			missing, err := fonts.Check(test.files)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range missing {
				if strings.Contains(m.At.String(), "golang.org/x/text") || strings.Contains(m.At.String(), "capitalized") {
					continue // the names of a new language, checked as its files are
				}
				got = append(got, m.String())
			}
			if diff := cmp.Diff(test.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckNotUTF8 refuses a document that is not UTF-8.
func TestCheckNotUTF8(t *testing.T) {
	if _, err := fonts.Check(fstest.MapFS{"eula/1/ja.md": {Data: []byte{0x93, 0xfa}}}); err == nil || !strings.Contains(err.Error(), "eula/1/ja.md") {
		t.Errorf("err %v, want one naming the file", err)
	}
}

// TestSlices groups the characters by the languages whose pages show
// them: what every page shows (the language picker, a product catalog) is
// common; Latin, Greek and Cyrillic are left to the system.
func TestSlices(t *testing.T) {
	text, err := fonts.Scan(fstest.MapFS{
		"eula/1/en.md":   {Data: []byte("Agreement")},
		"eula/1/ja.md":   {Data: []byte("契約")},
		"ui/ja.json":     {Data: []byte(`{"accept": "同意する"}`)},
		"ui/ru.json":     {Data: []byte(`{"accept": "Принимаю"}`)},
		"products.json":  {Data: []byte(`{"name": "製品™"}`)},
		"eula/README.md": {Data: []byte("notes")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"en", "ja", "ru"}, text.Languages()); diff != "" {
		t.Errorf("languages (-want +got):\n%s", diff)
	}
	got := map[string]string{}
	for _, s := range text.Slices() {
		got[s.Name] = string(s.Runes)
	}
	jaOnly := got["ja"]
	for _, r := range "契約同意する" {
		if !strings.ContainsRune(jaOnly, r) {
			t.Errorf("%q is not in the ja slice %q", r, jaOnly)
		}
	}
	for _, r := range "日本語製品" {
		if !strings.ContainsRune(got["common"], r) {
			t.Errorf("%q is not in the common slice %q", r, got["common"])
		}
	}
	for name, s := range got {
		if strings.ContainsAny(s, "AgreementПринимаю™") {
			t.Errorf("slice %s holds characters left to the system: %q", name, s)
		}
	}
	if len(got) != 2 {
		t.Errorf("slices %v, want common and ja", got)
	}
}

// TestRanges: a face's unicode-range spans its own characters, but never
// over a character of another face of its weight nor over System.
func TestRanges(t *testing.T) {
	faces := []fonts.Face{
		{File: "a-400.woff2", Weight: 400, Runes: []rune{0x0E01, 0x3001, 0x3002, 0x4E00, 0x4E10, 0x4F00}},
		{File: "b-400.woff2", Weight: 400, Runes: []rune{0x4E05}},
		{File: "a-700.woff2", Weight: 700, Runes: []rune{0x3001, 0x4F00}},
	}
	css := fonts.FaceCSS(fonts.WithRanges(faces), "/web/fonts/")
	for _, want := range []string{
		`font-weight:400;font-display:swap;src:url("/web/fonts/a-400.woff2") format("woff2");unicode-range:U+E01,U+3001-4E00,U+4E10-4F00}`,
		`src:url("/web/fonts/b-400.woff2") format("woff2");unicode-range:U+4E05}`,
		`font-weight:700;font-display:swap;src:url("/web/fonts/a-700.woff2") format("woff2");unicode-range:U+3001-4F00}`,
		`font-family:"` + fonts.Family + `"`,
	} {
		if !strings.Contains(css, want) {
			t.Errorf("the CSS lacks %s:\n%s", want, css)
		}
	}
}

// TestShippedRanges: the shipped faces' unicode-ranges hold no character
// that a page of another language shows, so that only Japanese pages
// download the Japanese text.
func TestShippedRanges(t *testing.T) {
	text, faces := bundled(t)
	slice := map[rune]string{}
	for _, s := range text.Slices() {
		for _, r := range s.Runes {
			slice[r] = s.Name
		}
	}
	for _, f := range faces {
		own := slice[f.Runes[0]]
		for _, rg := range f.Ranges {
			for r := rg.Lo; r <= rg.Hi; r++ {
				if other, ok := slice[r]; (ok && other != own) || fonts.InSystem(r) {
					t.Errorf("%s (slice %s): its range %U-%U holds %U of slice %q or the system's", f.File, own, rg.Lo, rg.Hi, r, other)
				}
			}
		}
	}
}

// systemFonts are the fonts of a Debian system without CJK fonts, by
// family: each weight's file.
var systemFonts = map[string][]string{
	"DejaVu Sans":     {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
	"Liberation Sans": {"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"},
}

// TestSystemFontsCover checks the decision behind fonts.System: each
// character of System that the documents and catalogs use is in DejaVu
// Sans or in Liberation Sans, regular and bold.
func TestSystemFontsCover(t *testing.T) {
	text, err := fonts.Scan(locales)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]map[rune]bool{}
	for family, files := range systemFonts {
		for i, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Logf("no %s: %v", family, err)
				delete(covered, family)
				break
			}
			f, err := sfnt.Parse(b, 0)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			rs, err := f.Runes()
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			have := map[rune]bool{}
			for _, r := range rs {
				if i == 0 || covered[family][r] {
					have[r] = true
				}
			}
			covered[family] = have
		}
	}
	if len(covered) == 0 {
		t.Skip("SKIPPING: neither DejaVu Sans nor Liberation Sans is installed (fonts-dejavu-core, fonts-liberation)")
	}
	for _, r := range text.Runes() {
		if !fonts.InSystem(r) || !unicode.IsGraphic(r) || r == ' ' || unicode.Is(unicode.Zs, r) {
			continue
		}
		var in []string
		for family, have := range covered {
			if have[r] {
				in = append(in, family)
			}
		}
		if len(in) == 0 {
			at, _ := text.Where(r)
			t.Errorf("%s: %U %q is left to the system's fonts, but no font of %v has it", at, r, r, slices.Sorted(maps.Keys(covered)))
		}
	}
}

// ExampleCheck is the publisher's check: a character no shipped font has
// is named with its file and place.
func ExampleCheck() {
	missing, err := fonts.Check(fstest.MapFS{
		"eula/20990101/ja.md": {Data: []byte("# 一般条項\n\n本契約は龘を含みます。\n")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range missing {
		fmt.Println(m)
	}
	// Output:
	// eula/20990101/ja.md:3:5: U+9F98 '龘' is not in the shipped fonts (weight 400): run `make fonts`
	// eula/20990101/ja.md:3:5: U+9F98 '龘' is not in the shipped fonts (weight 700): run `make fonts`
}
