package eula

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// HashPrefix starts every hash this package computes; the rest is the
// lowercase hex SHA-256.
const HashPrefix = "sha256:"

// canonical returns the canonical form of a text: NFC-normalised, CRLF and CR
// turned into LF, trailing spaces of each line and trailing blank lines
// removed.
func canonical(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(norm.NFC.String(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// SectionHash returns the canonical hash of a section: the SHA-256 of
//
//	"eulagate-section-v1\n" + id + "\n" + canonical(markdown)
//
// where canonical NFC-normalises the text and drops trailing whitespace.
// The heading (and so the title) is part of the section's Markdown. Two
// sections have the same hash exactly when a reader was shown the same text
// under the same id.
func SectionHash(id, markdown string) string {
	h := sha256.New()
	h.Write([]byte("eulagate-section-v1\n"))
	h.Write([]byte(id))
	h.Write([]byte("\n"))
	h.Write([]byte(canonical(markdown)))
	return HashPrefix + hex.EncodeToString(h.Sum(nil))
}

// DocumentHash returns the canonical hash of a document: the SHA-256 of
//
//	"eulagate-document-v1\n" +
//	"document=" + id + "\n" + "version=" + v + "\n" + "language=" + tag + "\n" +
//	for each section in order: section id + " " + section hash + "\n"
//
// It covers the text of every section (through their hashes), their order,
// and which document, version and language they are; it leaves out the
// descriptive front matter (source file, title), which the preamble's
// heading repeats anyway.
func DocumentHash(d *Document) string {
	h := sha256.New()
	h.Write([]byte("eulagate-document-v1\n"))
	h.Write([]byte("document=" + d.Meta.DocID + "\n"))
	h.Write([]byte("version=" + d.Meta.Version + "\n"))
	h.Write([]byte("language=" + d.Meta.Language.String() + "\n"))
	for _, s := range d.Sections {
		sh := s.Hash
		if sh == "" {
			sh = SectionHash(s.ID, s.Markdown)
		}
		h.Write([]byte(s.ID + " " + sh + "\n"))
	}
	return HashPrefix + hex.EncodeToString(h.Sum(nil))
}

// computeHashes fills in the section and document hashes.
func (d *Document) computeHashes() {
	for i := range d.Sections {
		d.Sections[i].Hash = SectionHash(d.Sections[i].ID, d.Sections[i].Markdown)
	}
	d.Hash = DocumentHash(d)
}
