// Package sfnt reads the few tables of an OpenType font that eulagate needs:
// the characters it maps (cmap) and its weight (OS/2). It reads plain
// OpenType and TrueType files, collections (.ttc) and WOFF2, the format the
// server ships; golang.org/x/image/font/sfnt reads no WOFF2, and the rest
// of a font (outlines, layout) is of no use here.
//
// # Limits
//
// A WOFF2 file decompresses to at most MaxSize bytes, and only tables
// stored untransformed can be read (cmap and OS/2 always are). A cmap is
// read from its Unicode subtable of format 4 (the Basic Multilingual Plane)
// or 12 (all planes).
package sfnt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode"

	"github.com/andybalholm/brotli"
)

// MaxSize bounds the tables of a WOFF2 file once decompressed, so that a
// small hostile file cannot make the reader allocate without end.
const MaxSize = 64 << 20

// ErrFormat is returned for data that is not a font this package reads.
var ErrFormat = errors.New("sfnt: not a font this reader understands")

// Font is the tables of one font, untransformed, by tag.
type Font struct {
	tables map[string][]byte
}

// Parse reads the font at index of b (0 unless b is a collection).
func Parse(b []byte, index int) (*Font, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("%w: %d bytes", ErrFormat, len(b))
	}
	switch string(b[:4]) {
	case "wOF2":
		if index != 0 {
			return nil, fmt.Errorf("%w: font %d of a WOFF2 file", ErrFormat, index)
		}
		return parseWOFF2(b)
	case "ttcf":
		if len(b) < 12 {
			return nil, fmt.Errorf("%w: short collection header", ErrFormat)
		}
		n := int(binary.BigEndian.Uint32(b[8:]))
		if index < 0 || index >= n || len(b) < 12+4*(index+1) {
			return nil, fmt.Errorf("%w: no font %d in the collection", ErrFormat, index)
		}
		return parseSFNT(b, int(binary.BigEndian.Uint32(b[12+4*index:])))
	case "OTTO", "\x00\x01\x00\x00", "true":
		if index != 0 {
			return nil, fmt.Errorf("%w: font %d of a single font", ErrFormat, index)
		}
		return parseSFNT(b, 0)
	}
	return nil, fmt.Errorf("%w: signature %q", ErrFormat, b[:4])
}

// parseSFNT reads the table directory at off.
func parseSFNT(b []byte, off int) (*Font, error) {
	if off < 0 || off+12 > len(b) {
		return nil, fmt.Errorf("%w: table directory out of bounds", ErrFormat)
	}
	n := int(binary.BigEndian.Uint16(b[off+4:]))
	if off+12+16*n > len(b) {
		return nil, fmt.Errorf("%w: %d tables do not fit", ErrFormat, n)
	}
	f := &Font{tables: make(map[string][]byte, n)}
	for i := range n {
		rec := b[off+12+16*i:]
		start, length := uint64(binary.BigEndian.Uint32(rec[8:])), uint64(binary.BigEndian.Uint32(rec[12:]))
		if start+length > uint64(len(b)) {
			return nil, fmt.Errorf("%w: table %q out of bounds", ErrFormat, rec[:4])
		}
		f.tables[string(rec[:4])] = b[start : start+length]
	}
	return f, nil
}

// woff2Tags are the tags WOFF2 names by index (its "known table tags").
var woff2Tags = [...]string{
	"cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cvt ", "fpgm", "glyf", "loca", "prep", "CFF ",
	"VORG", "EBDT", "EBLC", "gasp", "hdmx", "kern", "LTSH", "PCLT", "VDMX", "vhea", "vmtx", "BASE", "GDEF", "GPOS",
	"GSUB", "EBSC", "JSTF", "MATH", "CBDT", "CBLC", "COLR", "CPAL", "SVG ", "sbix", "acnt", "avar", "bdat", "bloc",
	"bsln", "cvar", "fdsc", "feat", "fmtx", "fvar", "gvar", "hsty", "just", "lcar", "mort", "morx", "opbd", "prop",
	"trak", "Zapf", "Silf", "Glat", "Gloc", "Feat", "Sill",
}

// woff2HeaderSize is the size of a WOFF2 file's fixed header.
const woff2HeaderSize = 48

// parseWOFF2 reads a WOFF2 file (https://www.w3.org/TR/WOFF2/): its table
// directory, then the one brotli stream holding every table in order.
// Transformed tables (glyf, loca, and hmtx when so marked) are skipped.
func parseWOFF2(b []byte) (*Font, error) {
	if len(b) < woff2HeaderSize {
		return nil, fmt.Errorf("%w: short WOFF2 header", ErrFormat)
	}
	if string(b[4:8]) == "ttcf" {
		return nil, fmt.Errorf("%w: WOFF2 collections are not read", ErrFormat)
	}
	n := int(binary.BigEndian.Uint16(b[12:]))
	compressed := uint64(binary.BigEndian.Uint32(b[20:]))
	type entry struct {
		tag         string
		length      uint64
		transformed bool
	}
	entries := make([]entry, 0, n)
	p := b[woff2HeaderSize:]
	var total uint64
	for range n {
		if len(p) < 1 {
			return nil, fmt.Errorf("%w: short WOFF2 table directory", ErrFormat)
		}
		flags := p[0]
		p = p[1:]
		var e entry
		if idx := int(flags & 0x3f); idx == 0x3f {
			if len(p) < 4 {
				return nil, fmt.Errorf("%w: short WOFF2 table tag", ErrFormat)
			}
			e.tag, p = string(p[:4]), p[4:]
		} else if idx < len(woff2Tags) {
			e.tag = woff2Tags[idx]
		} else {
			return nil, fmt.Errorf("%w: WOFF2 tag index %d", ErrFormat, idx)
		}
		version := flags >> 6
		var err error
		if e.length, p, err = base128(p); err != nil {
			return nil, err
		}
		if e.tag == "glyf" || e.tag == "loca" {
			e.transformed = version != 3
		} else {
			e.transformed = version != 0
		}
		if e.transformed {
			if e.length, p, err = base128(p); err != nil {
				return nil, err
			}
		}
		total += e.length
		if total > MaxSize {
			return nil, fmt.Errorf("%w: WOFF2 tables larger than %d bytes", ErrFormat, MaxSize)
		}
		entries = append(entries, e)
	}
	if compressed > uint64(len(p)) {
		return nil, fmt.Errorf("%w: WOFF2 data out of bounds", ErrFormat)
	}
	data := make([]byte, total)
	if _, err := io.ReadFull(brotli.NewReader(bytes.NewReader(p[:compressed])), data); err != nil {
		return nil, fmt.Errorf("%w: WOFF2 data: %v", ErrFormat, err)
	}
	f := &Font{tables: make(map[string][]byte, n)}
	var off uint64
	for _, e := range entries {
		if !e.transformed {
			f.tables[e.tag] = data[off : off+e.length]
		}
		off += e.length
	}
	return f, nil
}

// base128 reads a WOFF2 UIntBase128 from the start of p.
func base128(p []byte) (uint64, []byte, error) {
	var v uint64
	for i := 0; i < 5 && i < len(p); i++ {
		c := p[i]
		if i == 0 && c == 0x80 {
			return 0, nil, fmt.Errorf("%w: UIntBase128 with a leading zero", ErrFormat)
		}
		if v&0xfe000000 != 0 {
			return 0, nil, fmt.Errorf("%w: UIntBase128 overflows", ErrFormat)
		}
		v = v<<7 | uint64(c&0x7f)
		if c&0x80 == 0 {
			return v, p[i+1:], nil
		}
	}
	return 0, nil, fmt.Errorf("%w: unterminated UIntBase128", ErrFormat)
}

// Weight returns the font's weight class (OS/2 usWeightClass: 400 regular,
// 700 bold).
func (f *Font) Weight() (int, error) {
	t := f.tables["OS/2"]
	if len(t) < 6 {
		return 0, fmt.Errorf("%w: no OS/2 table", ErrFormat)
	}
	return int(binary.BigEndian.Uint16(t[4:])), nil
}

// Runes returns the characters the font maps to a glyph, in order.
func (f *Font) Runes() ([]rune, error) {
	t := f.tables["cmap"]
	if len(t) < 4 {
		return nil, fmt.Errorf("%w: no cmap table", ErrFormat)
	}
	n := int(binary.BigEndian.Uint16(t[2:]))
	if 4+8*n > len(t) {
		return nil, fmt.Errorf("%w: %d cmap subtables do not fit", ErrFormat, n)
	}
	// The best Unicode subtable: full repertoire (format 12) before BMP
	// (format 4).
	var best []byte
	bestFormat := 0
	for i := range n {
		rec := t[4+8*i:]
		platform, encoding := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := uint64(binary.BigEndian.Uint32(rec[4:]))
		isUnicode := platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
		if !isUnicode || off+2 > uint64(len(t)) {
			continue
		}
		sub := t[off:]
		format := int(binary.BigEndian.Uint16(sub))
		if (format == 12 && bestFormat != 12) || (format == 4 && bestFormat == 0) {
			best, bestFormat = sub, format
		}
	}
	switch bestFormat {
	case 4:
		return format4(best)
	case 12:
		return format12(best)
	}
	return nil, fmt.Errorf("%w: no Unicode cmap of format 4 or 12", ErrFormat)
}

// maxRunes bounds what a cmap may map: every code point once.
const maxRunes = unicode.MaxRune + 1

// format4 reads a segment mapping to delta values (cmap format 4).
func format4(t []byte) ([]rune, error) {
	if len(t) < 14 {
		return nil, fmt.Errorf("%w: short cmap format 4", ErrFormat)
	}
	segs := int(binary.BigEndian.Uint16(t[6:])) / 2
	if 16+8*segs > len(t) {
		return nil, fmt.Errorf("%w: %d cmap segments do not fit", ErrFormat, segs)
	}
	u16 := func(off int) int { return int(binary.BigEndian.Uint16(t[off:])) }
	ends, starts, deltas, offsets := 14, 16+2*segs, 16+4*segs, 16+6*segs
	var out []rune
	for i := range segs {
		end, start, delta, ro := u16(ends+2*i), u16(starts+2*i), u16(deltas+2*i), u16(offsets+2*i)
		for c := start; c <= end && c != 0xffff; c++ {
			glyph := (c + delta) & 0xffff
			if ro != 0 {
				at := offsets + 2*i + ro + 2*(c-start)
				if at+2 > len(t) {
					return nil, fmt.Errorf("%w: cmap glyph index out of bounds", ErrFormat)
				}
				if glyph = u16(at); glyph != 0 {
					glyph = (glyph + delta) & 0xffff
				}
			}
			if glyph != 0 {
				if len(out) == maxRunes {
					return nil, fmt.Errorf("%w: cmap maps more than %d characters", ErrFormat, maxRunes)
				}
				out = append(out, rune(c))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// format12 reads segmented coverage (cmap format 12).
func format12(t []byte) ([]rune, error) {
	if len(t) < 16 {
		return nil, fmt.Errorf("%w: short cmap format 12", ErrFormat)
	}
	n := uint64(binary.BigEndian.Uint32(t[12:]))
	if 16+12*n > uint64(len(t)) {
		return nil, fmt.Errorf("%w: %d cmap groups do not fit", ErrFormat, n)
	}
	var out []rune
	for i := range int(n) {
		g := t[16+12*i:]
		start, end, glyph := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:]), binary.BigEndian.Uint32(g[8:])
		if end > 0x10ffff || start > end {
			return nil, fmt.Errorf("%w: cmap group %d: U+%04X-U+%04X", ErrFormat, i, start, end)
		}
		for c := start; c <= end; c++ {
			if glyph+(c-start) != 0 {
				if len(out) == maxRunes {
					return nil, fmt.Errorf("%w: cmap maps more than %d characters", ErrFormat, maxRunes)
				}
				out = append(out, rune(c))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
