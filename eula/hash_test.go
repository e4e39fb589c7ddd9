package eula

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestSectionHash(t *testing.T) {
	const id = "general/affiliated-companies"
	const md = "## Társult Vállalkozások. {id=\"general/affiliated-companies\"}\n\nÖn köteles…"
	base := SectionHash(id, md)
	if !strings.HasPrefix(base, HashPrefix) || len(base) != len(HashPrefix)+64 {
		t.Fatalf("SectionHash = %q, want sha256: and 64 hex digits", base)
	}
	for _, test := range []struct {
		name     string
		id, md   string
		wantSame bool
	}{
		{"same", id, md, true},
		{"NFD form of the same text", id, norm.NFD.String(md), true},
		{"CRLF line ends", id, strings.ReplaceAll(md, "\n", "\r\n"), true},
		{"trailing spaces and newline", id, strings.ReplaceAll(md, "\n", "  \n") + "\n\n", true},
		{"one word changed", id, strings.Replace(md, "köteles", "jogosult", 1), false},
		{"one space added inside a line", id, strings.Replace(md, "Ön köteles", "Ön  köteles", 1), false},
		{"other id", "general/other", md, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			got := SectionHash(test.id, test.md)
			if (got == base) != test.wantSame {
				t.Errorf("SectionHash = %s, base %s: same = %v, want %v", got, base, got == base, test.wantSame)
			}
		})
	}
}

// TestHashStable pins the hash scheme: changing it would make every stored
// acceptance unverifiable. The value was computed independently with
// sha256sum from the scheme documented on SectionHash and DocumentHash.
func TestHashStable(t *testing.T) {
	const want = "sha256:8dc94d84396ac0ce0b4e546595164fb0c1317aec3fd76a48dbe0530cf662cd7d"
	d, err := Parse([]byte(goodFront + "\n# T {id=\"preamble\"}\n\nText.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Hash != want {
		t.Errorf("document hash = %s, want %s (the scheme changed?)", d.Hash, want)
	}
	if d.Hash != DocumentHash(d) {
		t.Errorf("Hash field differs from DocumentHash")
	}
}

func TestDocumentHashCoversOrderAndLanguage(t *testing.T) {
	d, err := Parse([]byte(goodFront + "\n# T {id=\"preamble\"}\n\nx\n\n## A {id=\"general/a\"}\n\na\n\n## B {id=\"general/b\"}\n\nb\n"))
	if err != nil {
		t.Fatal(err)
	}
	swapped := *d
	swapped.Sections = []Section{d.Sections[0], d.Sections[2], d.Sections[1]}
	other := *d
	other.Meta.Version = "20260101"
	for name, o := range map[string]*Document{"section order": &swapped, "version": &other} {
		if DocumentHash(o) == d.Hash {
			t.Errorf("changing the %s did not change the document hash", name)
		}
	}
}
