package sfnt_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/eulagate/eulagate/locales/fonts/internal/sfnt"
)

// python returns a Python interpreter with fontTools, or "".
func python() string {
	for _, p := range []string{os.Getenv("PYTHON"), "/usr/bin/python3", "python3"} {
		if p != "" && exec.Command(p, "-c", "import fontTools.ttLib").Run() == nil {
			return p
		}
	}
	return ""
}

// fontToolsCmap reads a font's best cmap and weight with fontTools.
func fontToolsCmap(t *testing.T, py, file string, index int) ([]rune, int) {
	t.Helper()
	out, err := exec.Command(py, "-c", `
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1], fontNumber=int(sys.argv[2]), lazy=True)
print(f["OS/2"].usWeightClass)
print(" ".join(str(c) for c in sorted(f.getBestCmap())))
`, file, strconv.Itoa(index)).Output()
	if err != nil {
		t.Fatalf("fontTools on %s: %v", file, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	weight, _ := strconv.Atoi(lines[0])
	var rs []rune
	for _, f := range strings.Fields(lines[1]) {
		n, _ := strconv.Atoi(f)
		rs = append(rs, rune(n))
	}
	return rs, weight
}

// fontFile is one font of a file: index 0 unless the file is a collection.
type fontFile struct {
	file  string
	index int
}

// fontFiles are fonts to compare with fontTools: the shipped faces and,
// where installed, the system's.
func fontFiles(t *testing.T) []fontFile {
	t.Helper()
	shipped, err := filepath.Glob(filepath.Join("..", "..", "*.woff2"))
	if err != nil || len(shipped) == 0 {
		t.Fatalf("no shipped faces: %v", err)
	}
	var out []fontFile
	for _, f := range shipped {
		out = append(out, fontFile{f, 0})
	}
	for _, f := range []fontFile{
		{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0},
		{"/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf", 0},
		{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0},
		{"/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2},
	} {
		if _, err := os.Stat(f.file); err == nil {
			out = append(out, f)
		}
	}
	return out
}

// TestMatchesFontTools reads each font's characters and weight as
// fontTools does, where fontTools is installed.
func TestMatchesFontTools(t *testing.T) {
	py := python()
	if py == "" {
		t.Skip("SKIPPING: no Python with fontTools (apt-get install python3-fonttools)")
	}
	for _, f := range fontFiles(t) {
		t.Run(filepath.Base(f.file), func(t *testing.T) {
			b, err := os.ReadFile(f.file)
			if err != nil {
				t.Fatal(err)
			}
			font, err := sfnt.Parse(b, f.index)
			if err != nil {
				t.Fatal(err)
			}
			got, err := font.Runes()
			if err != nil {
				t.Fatal(err)
			}
			weight, err := font.Weight()
			if err != nil {
				t.Fatal(err)
			}
			want, wantWeight := fontToolsCmap(t, py, f.file, f.index)
			if !slices.Equal(got, want) {
				t.Errorf("%d characters, fontTools reads %d", len(got), len(want))
			}
			if weight != wantWeight {
				t.Errorf("weight %d, fontTools reads %d", weight, wantWeight)
			}
		})
	}
}

// table is one table of a font made by a test.
type table struct {
	tag  string
	data []byte
}

// cmap4 builds a cmap with one format 4 subtable (Windows Unicode BMP)
// mapping 'A'-'C' by delta, '日' and '本' through glyph indexes, 'Z' to
// glyph 0 (no glyph).
func cmap4() []byte {
	be := binary.BigEndian
	// Segments: 'A'-'C' delta, 日-本 (0x65E5..0x65E6 is not contiguous with
	// 本 0x672C, so: 0x65E5 alone by range offset), 'Z' to glyph 0, 0xFFFF.
	type seg struct{ start, end, delta uint16 }
	segs := []seg{{'A', 'C', 10}, {'Z', 'Z', uint16(0x10000 - 'Z')}, {0x65E5, 0x65E5, 0}, {0xFFFF, 0xFFFF, 1}}
	n := len(segs)
	sub := make([]byte, 16+8*n+2)
	be.PutUint16(sub[0:], 4)
	be.PutUint16(sub[6:], uint16(2*n))
	for i, s := range segs {
		be.PutUint16(sub[14+2*i:], s.end)
		be.PutUint16(sub[16+2*n+2*i:], s.start)
		be.PutUint16(sub[16+4*n+2*i:], s.delta)
	}
	// 0x65E5 through idRangeOffset: the glyph index array holds 42.
	ro := 16 + 6*n + 2*2 // idRangeOffset of segment 2
	be.PutUint16(sub[ro:], uint16(len(sub)-ro-2))
	be.PutUint16(sub[len(sub)-2:], 42)
	be.PutUint16(sub[2:], uint16(len(sub)))
	head := make([]byte, 4+8)
	be.PutUint16(head[2:], 1)
	be.PutUint16(head[4:], 3)
	be.PutUint16(head[6:], 1)
	be.PutUint32(head[8:], uint32(len(head)))
	return append(head, sub...)
}

// os2 builds an OS/2 table with the weight class.
func os2(weight int) []byte {
	b := make([]byte, 96)
	binary.BigEndian.PutUint16(b[4:], uint16(weight))
	return b
}

// woff2 builds a WOFF2 file of the tables; glyf is stored transformed.
func woff2(t testing.TB, tables []table) []byte {
	var dir, data bytes.Buffer
	for _, tb := range tables {
		idx := slices.Index(knownTags, tb.tag)
		flags := byte(idx)
		if idx < 0 {
			flags = 0x3f
		}
		dir.WriteByte(flags) // transform version 0: glyf and loca transformed, others not
		if idx < 0 {
			dir.WriteString(tb.tag)
		}
		dir.Write(base128(uint32(len(tb.data))))
		if tb.tag == "glyf" || tb.tag == "loca" {
			dir.Write(base128(uint32(len(tb.data))))
		}
		data.Write(tb.data)
	}
	var z bytes.Buffer
	w := brotli.NewWriter(&z)
	w.Write(data.Bytes())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	h := make([]byte, 48)
	copy(h, "wOF2")
	copy(h[4:], "OTTO")
	binary.BigEndian.PutUint16(h[12:], uint16(len(tables)))
	binary.BigEndian.PutUint32(h[20:], uint32(z.Len()))
	out := append(h, dir.Bytes()...)
	out = append(out, z.Bytes()...)
	binary.BigEndian.PutUint32(out[8:], uint32(len(out)))
	return out
}

// knownTags are the first of WOFF2's known table tags.
var knownTags = []string{"cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cvt ", "fpgm", "glyf", "loca"}

func base128(v uint32) []byte {
	var out []byte
	for {
		out = append([]byte{byte(v & 0x7f)}, out...)
		v >>= 7
		if v == 0 {
			break
		}
	}
	for i := 0; i < len(out)-1; i++ {
		out[i] |= 0x80
	}
	return out
}

// sfntFile builds a plain OpenType file of the tables, to be placed at
// base in its file (after a collection's header).
func sfntFile(tables []table, base int) []byte {
	be := binary.BigEndian
	h := make([]byte, 12+16*len(tables))
	copy(h, "OTTO")
	be.PutUint16(h[4:], uint16(len(tables)))
	off := base + len(h)
	var data []byte
	for i, tb := range tables {
		rec := h[12+16*i:]
		copy(rec, tb.tag)
		be.PutUint32(rec[8:], uint32(off+len(data)))
		be.PutUint32(rec[12:], uint32(len(tb.data)))
		data = append(data, tb.data...)
	}
	return append(h, data...)
}

// TestParse reads fonts made here, in each format, and refuses broken ones.
func TestParse(t *testing.T) {
	tables := []table{{"glyf", []byte("transformed glyphs")}, {"cmap", cmap4()}, {"XTRA", []byte("x")}, {"OS/2", os2(700)}}
	plain := sfntFile(tables, 0)
	collection := append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), sfntFile(tables, 16)...)
	want := []rune{'A', 'B', 'C', 0x65E5}
	for _, test := range []struct {
		name  string
		data  []byte
		index int
		err   bool
	}{
		{"woff2", woff2(t, tables), 0, false},
		{"opentype", plain, 0, false},
		{"collection", collection, 0, false},
		{"collection, no font 1", collection, 1, true},
		{"woff2, font 1", woff2(t, tables), 1, true},
		{"empty", nil, 0, true},
		{"unknown signature", []byte("GIF89a"), 0, true},
		{"truncated woff2", woff2(t, tables)[:60], 0, true},
		{"truncated opentype", plain[:40], 0, true},
	} {
		t.Run(test.name, func(t *testing.T) {
			f, err := sfnt.Parse(test.data, test.index)
			if test.err {
				if !errors.Is(err, sfnt.ErrFormat) {
					t.Fatalf("err %v, want ErrFormat", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.Runes()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("runes %q, want %q", got, want)
			}
			if w, err := f.Weight(); err != nil || w != 700 {
				t.Errorf("weight %d, %v", w, err)
			}
		})
	}
}

// FuzzParse feeds the reader arbitrary bytes: it never panics, and what it
// reads is in order without repeats.
func FuzzParse(f *testing.F) {
	tables := []table{{"cmap", cmap4()}, {"OS/2", os2(400)}}
	f.Add(woff2(f, tables))
	f.Add(sfntFile(tables, 0))
	if shipped, _ := filepath.Glob(filepath.Join("..", "..", "*common-400.woff2")); len(shipped) > 0 {
		if b, err := os.ReadFile(shipped[0]); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		font, err := sfnt.Parse(b, 0)
		if err != nil {
			return
		}
		font.Weight()
		rs, err := font.Runes()
		if err != nil {
			return
		}
		for i := 1; i < len(rs); i++ {
			if rs[i] <= rs[i-1] {
				t.Fatalf("runes out of order at %d: %U after %U", i, rs[i], rs[i-1])
			}
		}
	})
}
