package eula

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

const goodFront = "---\ndocument: eula\nversion: \"20250212\"\nlanguage: ja\ntitle: \"Milestone エンドユーザー使用許諾契約\"\nsource: 002.txt\nprevails: en\n---\n"

func TestParseFrontMatter(t *testing.T) {
	for _, test := range []struct {
		name     string
		src      string
		want     Meta
		wantBody int
		wantErr  string // substring of the error; "" for success
	}{
		{"good", goodFront, Meta{DocID: "eula", Version: "20250212", Language: language.Japanese,
			Title: "Milestone エンドユーザー使用許諾契約", Source: "002.txt", Prevails: language.English, Change: ChangeMaterial}, 9, ""},
		{"reaccept editorial", strings.Replace(goodFront, "prevails: en\n", "prevails: en\nreaccept: editorial\ntranslation-of: \"20240101\"\n", 1),
			Meta{DocID: "eula", Version: "20250212", Language: language.Japanese, Title: "Milestone エンドユーザー使用許諾契約",
				Source: "002.txt", Prevails: language.English, Change: ChangeEditorial, TranslationOf: "20240101"}, 11, ""},
		{"change alias", strings.Replace(goodFront, "prevails: en\n", "prevails: en\nchange: material\n", 1),
			Meta{DocID: "eula", Version: "20250212", Language: language.Japanese, Title: "Milestone エンドユーザー使用許諾契約",
				Source: "002.txt", Prevails: language.English, Change: ChangeMaterial}, 10, ""},
		{"no front matter", "# Title\n", Meta{}, 0, "line 1: missing front matter"},
		{"unterminated", "---\ndocument: eula\n", Meta{}, 0, "line 3: unterminated front matter"},
		{"missing title", strings.Replace(goodFront, "title: \"Milestone エンドユーザー使用許諾契約\"\n", "", 1), Meta{}, 0, `line 7: front matter field "title" missing`},
		{"unknown tag", strings.Replace(goodFront, "language: ja", "language: qq", 1), Meta{}, 0, `line 4: language: unknown language tag "qq"`},
		{"non-canonical tag", strings.Replace(goodFront, "language: ja", "language: JA", 1), Meta{}, 0, `line 4: language: language tag "JA" is not canonical`},
		{"unknown field", strings.Replace(goodFront, "source:", "sauce:", 1), Meta{}, 0, `line 6: unknown front matter field "sauce"`},
		{"repeated", strings.Replace(goodFront, "source: 002.txt\n", "source: 002.txt\nsource: 003.txt\n", 1), Meta{}, 0, "line 7: source repeated (first on line 6)"},
		{"bad reaccept", strings.Replace(goodFront, "prevails: en\n", "prevails: en\nreaccept: maybe\n", 1), Meta{}, 0, `line 8: reaccept: reaccept "maybe"`},
		{"both change and reaccept", strings.Replace(goodFront, "prevails: en\n", "prevails: en\nreaccept: material\nchange: material\n", 1), Meta{}, 0, "line 9: change and reaccept both given"},
		{"bad quote", strings.Replace(goodFront, `version: "20250212"`, `version: "2025`, 1), Meta{}, 0, "line 3: version: malformed quoted value"},
		{"no colon", strings.Replace(goodFront, "source: 002.txt", "source 002.txt", 1), Meta{}, 0, "line 6: malformed front matter line"},
		{"bad version", strings.Replace(goodFront, `version: "20250212"`, `version: "../x"`, 1), Meta{}, 0, `line 8: version "../x"`},
		{"invalid utf-8", "---\ndocument: e\xffula\n", Meta{}, 0, "line 2: invalid UTF-8"},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, body, err := ParseFrontMatter([]byte(test.src))
			if test.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), test.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, test.wantErr)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("error %v does not wrap ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(test.want, got, cmp.Comparer(func(a, b language.Tag) bool { return a == b })); diff != "" {
				t.Errorf("meta (-want +got):\n%s", diff)
			}
			if body != test.wantBody {
				t.Errorf("body line = %d, want %d", body, test.wantBody)
			}
			// Format and parse again: the same metadata.
			again, _, err := ParseFrontMatter([]byte(got.Format()))
			if err != nil {
				t.Fatalf("parse of Format output: %v\n%s", err, got.Format())
			}
			if diff := cmp.Diff(got, again, cmp.Comparer(func(a, b language.Tag) bool { return a == b })); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDocument(t *testing.T) {
	for _, test := range []struct {
		name, body string
		wantIDs    []string
		wantErr    string
	}{
		{"good", "\n# T {id=\"preamble\"}\n\nx\n\n## A. {id=\"general/a\"}\n\n1. y\n\n### P {id=\"products/p\"}\n",
			[]string{"preamble", "general/a", "products/p"}, ""},
		{"text before heading", "\nloose text\n# T {id=\"preamble\"}\n", nil, "line 10: text before the first section heading"},
		{"heading without id", "\n# T {id=\"preamble\"}\n\n## A.\n", nil, "line 12: heading without a section id"},
		{"malformed id", "\n# T {id=\"preamble\"}\n\n## A {id=\"General/A\"}\n", nil, `line 12: malformed section id "General/A"`},
		{"unknown kind", "\n# T {id=\"preamble\"}\n\n## A {id=\"other/a\"}\n", nil, `line 12: malformed section id "other/a"`},
		{"duplicate id", "\n# T {id=\"preamble\"}\n\n## A {id=\"general/a\"}\n\n## B {id=\"general/a\"}\n", nil, `line 14: duplicate section id "general/a"`},
		{"preamble not first", "\n## A {id=\"general/a\"}\n\n# T {id=\"preamble\"}\n", nil, "line 10: section \"general/a\": the preamble must come first"},
		{"too deep", "\n# T {id=\"preamble\"}\n\n#### A {id=\"general/a\"}\n", nil, "line 12: section \"general/a\": heading level 4"},
		{"empty", "\n", nil, "document has no sections"},
	} {
		t.Run(test.name, func(t *testing.T) {
			d, err := Parse([]byte(goodFront + test.body))
			if test.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), test.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, test.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(test.wantIDs, d.SectionIDs()); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if again, err := Parse([]byte(d.Markdown())); err != nil || again.Hash != d.Hash {
				t.Errorf("Parse(Markdown()) = %v, %v; want the same document", again, err)
			}
		})
	}
}

// FuzzParseFrontMatter checks that front matter parsing never panics or
// hangs and that every error names a line.
func FuzzParseFrontMatter(f *testing.F) {
	f.Add([]byte(goodFront))
	f.Add([]byte("---\nreaccept: editorial\n---\n"))
	f.Add([]byte("---\ntitle: \"\\u00e9\"\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, line, err := ParseFrontMatter(src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v names no line", err)
			}
			return
		}
		if line < 3 {
			t.Fatalf("body starts on line %d", line)
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("accepted invalid metadata: %v", err)
		}
	})
}

// FuzzParse checks that document parsing never panics or hangs, that every
// error names a line, and that what it accepts it writes back unchanged in
// meaning.
func FuzzParse(f *testing.F) {
	f.Add([]byte(goodFront + "\n# T {id=\"preamble\"}\n\nx\n\n## A. {id=\"general/a\"}\n\n1. y\n"))
	f.Add([]byte(goodFront + "\n## A.\n"))
	f.Add([]byte(goodFront + "```\n# x\n```\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse(src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v names no line", err)
			}
			return
		}
		again, err := Parse([]byte(d.Markdown()))
		if err != nil {
			t.Fatalf("Parse(Markdown()) of an accepted document: %v", err)
		}
		if again.Hash != d.Hash {
			t.Fatalf("hash changed on round trip")
		}
	})
}
