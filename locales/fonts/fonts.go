package fonts

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/eulagate/eulagate/locales/fonts/internal/sfnt"
)

// FS holds the shipped font files (*.woff2) and their licence (OFL.txt).
//
//go:embed *.woff2 OFL.txt
var FS embed.FS

// Family is the CSS font family the shipped faces are declared under; a
// style sheet names it first, before the system's fonts.
const Family = "eulagate CJK"

// Range is a range of code points, both ends included.
type Range struct{ Lo, Hi rune }

// System lists the code points left to the system's fonts on every page:
// Latin (with IPA, spacing modifiers and combining marks), Greek, Cyrillic,
// the Latin and Greek extended blocks, general punctuation, super- and
// subscripts, currency and letterlike symbols, number forms, arrows and
// mathematical operators. DejaVu Sans and Liberation Sans, the fonts of a
// Debian system without CJK fonts, and the fonts of every desktop cover
// them; TestSystemFontsCover checks each character the documents use from
// them against DejaVu Sans and Liberation Sans where they are installed.
// Every other character the documents and catalogs use comes from the
// shipped faces.
var System = []Range{
	{0x0000, 0x052F}, // Basic Latin to Cyrillic Supplement
	{0x1E00, 0x1FFF}, // Latin Extended Additional, Greek Extended
	{0x2000, 0x22FF}, // General Punctuation to Mathematical Operators
}

// InSystem reports whether r is left to the system's fonts.
func InSystem(r rune) bool {
	for _, s := range System {
		if s.Lo <= r && r <= s.Hi {
			return true
		}
	}
	return false
}

// Face is one shipped font file: one weight of one slice of the characters.
type Face struct {
	// File is the file's name in FS.
	File string
	// Weight is the CSS font-weight (400 regular, 700 bold).
	Weight int
	// Runes are the characters the face has, in order.
	Runes []rune
	// Ranges is the face's unicode-range: the spans of Runes that hold no
	// character of another face of the same weight nor of System, so that
	// a page downloads the face only when it shows one of Runes.
	Ranges []Range
}

// Faces reads the shipped faces, ordered by weight then file name.
func Faces() ([]Face, error) { return loadFaces() }

var loadFaces = sync.OnceValues(func() ([]Face, error) { return ReadFaces(FS) })

// ReadFaces reads the faces (*.woff2) at the root of fsys, ordered by
// weight then file name, and computes their unicode-ranges.
func ReadFaces(fsys fs.FS) ([]Face, error) {
	names, err := fs.Glob(fsys, "*.woff2")
	if err != nil {
		return nil, fmt.Errorf("fonts: %w", err)
	}
	var faces []Face
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("fonts: %w", err)
		}
		f, err := sfnt.Parse(b, 0)
		if err != nil {
			return nil, fmt.Errorf("fonts: %s: %w", name, err)
		}
		face := Face{File: name}
		if face.Weight, err = f.Weight(); err != nil {
			return nil, fmt.Errorf("fonts: %s: %w", name, err)
		}
		if face.Runes, err = f.Runes(); err != nil {
			return nil, fmt.Errorf("fonts: %s: %w", name, err)
		}
		faces = append(faces, face)
	}
	slices.SortFunc(faces, func(a, b Face) int {
		if a.Weight != b.Weight {
			return a.Weight - b.Weight
		}
		return strings.Compare(a.File, b.File)
	})
	return WithRanges(faces), nil
}

// WithRanges returns faces with their Ranges set: among the characters of
// every face of its weight, taken in order, a run of a face's own
// characters is one span, unless a System range lies between two of them.
func WithRanges(faces []Face) []Face {
	faces = slices.Clone(faces)
	for i := range faces {
		faces[i].Ranges = nil
	}
	type point struct {
		r    rune
		face int
	}
	byWeight := map[int][]point{}
	for i, f := range faces {
		for _, r := range f.Runes {
			byWeight[f.Weight] = append(byWeight[f.Weight], point{r, i})
		}
	}
	for _, points := range byWeight {
		slices.SortFunc(points, func(a, b point) int { return int(a.r - b.r) })
		for i, p := range points {
			f := &faces[p.face]
			if n := len(f.Ranges); i > 0 && points[i-1].face == p.face && n > 0 && !systemBetween(f.Ranges[n-1].Hi, p.r) {
				f.Ranges[n-1].Hi = p.r
				continue
			}
			f.Ranges = append(f.Ranges, Range{p.r, p.r})
		}
	}
	return faces
}

// systemBetween reports whether a System range holds a code point strictly
// between lo and hi.
func systemBetween(lo, hi rune) bool {
	for _, s := range System {
		if s.Lo < hi && s.Hi > lo {
			return true
		}
	}
	return false
}

// UnicodeRange returns the face's Ranges as a CSS unicode-range value.
func (f Face) UnicodeRange() string {
	var b strings.Builder
	for i, r := range f.Ranges {
		if i > 0 {
			b.WriteByte(',')
		}
		if r.Lo == r.Hi {
			fmt.Fprintf(&b, "U+%X", r.Lo)
		} else {
			fmt.Fprintf(&b, "U+%X-%X", r.Lo, r.Hi)
		}
	}
	return b.String()
}

// CSS returns the @font-face rules of the shipped faces, each served at
// prefix followed by its file name (for example "/web/fonts/").
func CSS(prefix string) (string, error) {
	faces, err := Faces()
	if err != nil {
		return "", err
	}
	return FaceCSS(faces, prefix), nil
}

// FaceCSS returns the @font-face rules of faces under Family, each served
// at prefix followed by its file name. A face is shown as soon as it
// arrives (font-display: swap): the text never waits for it.
func FaceCSS(faces []Face, prefix string) string {
	var b strings.Builder
	for _, f := range faces {
		fmt.Fprintf(&b, `@font-face{font-family:%q;font-style:normal;font-weight:%d;font-display:swap;src:url(%q) format("woff2");unicode-range:%s}`+"\n",
			Family, f.Weight, path.Join(prefix, f.File), f.UnicodeRange())
	}
	return b.String()
}
