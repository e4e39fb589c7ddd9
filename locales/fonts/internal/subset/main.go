// Command subset makes the fonts eulagate ships: Noto Sans CJK JP, Regular
// and Bold, from Debian's fonts-noto-cjk, cut with fontTools' subsetter
// (Debian's python3-fonttools and python3-brotli) to exactly the
// characters outside fonts.System that the documents and catalogs of a
// locales tree use, one WOFF2 file per slice (fonts.Text.Slices) and
// weight, and the licence beside them (OFL.txt, from the package's
// copyright file). `make fonts` runs it; the files are committed, so that
// building needs no fontTools.
//
// Usage:
//
//	go run ./locales/fonts/internal/subset [-locales locales] [-out locales/fonts]
//
// The faces keep what horizontal text needs: the glyphs of the characters,
// their metrics and the default layout features of the Japanese and
// default language systems, without vertical alternates and metrics,
// hinting or subroutines (the files compress better without them).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/eulagate/eulagate/locales/fonts"
	"github.com/eulagate/eulagate/locales/fonts/internal/sfnt"
)

// source is one weight of the font the faces are cut from.
type source struct {
	weight int
	file   string
	index  int // in the collection: 0 is Noto Sans CJK JP
}

const (
	notoDir   = "/usr/share/fonts/opentype/noto"
	copyright = "/usr/share/doc/fonts-noto-cjk/copyright"
	prefix    = "noto-sans-cjk-jp-"
)

var sources = []source{
	{400, "NotoSansCJK-Regular.ttc", 0},
	{700, "NotoSansCJK-Bold.ttc", 0},
}

// subsetArgs are fontTools' options besides input, output and characters.
var subsetArgs = []string{
	"--flavor=woff2",
	"--no-hinting",
	"--desubroutinize",
	"--layout-features-=vert,vrt2,vkna,vhal,vpal,valt,vkrn",
	"--layout-scripts=" + languageSystems(),
	"--drop-tables+=vhea,vmtx,VORG",
	"--name-IDs=0,1,2,3,4,5,6,7,13,14",
}

// languageSystems keeps each script's default and Japanese language system.
func languageSystems() string {
	var out []string
	for _, s := range []string{"DFLT", "latn", "grek", "cyrl", "kana", "hani", "hang"} {
		out = append(out, s+".dflt", s+".JAN")
	}
	return strings.Join(out, ",")
}

func main() {
	locales := flag.String("locales", "locales", "the locales tree whose characters the fonts cover")
	out := flag.String("out", filepath.Join("locales", "fonts"), "where the fonts are written")
	noto := flag.String("noto", notoDir, "where fonts-noto-cjk installs Noto Sans CJK")
	flag.Parse()
	if err := run(*locales, *out, *noto); err != nil {
		fmt.Fprintln(os.Stderr, "subset:", err)
		os.Exit(1)
	}
}

func run(locales, out, noto string) error {
	py, err := python()
	if err != nil {
		return err
	}
	text, err := fonts.Scan(os.DirFS(locales))
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "eulagate-fonts-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var made []string
	for _, src := range sources {
		file := filepath.Join(noto, src.file)
		if err := covers(file, src.index, text); err != nil {
			return err
		}
		for _, sl := range text.Slices() {
			name := fmt.Sprintf("%s%s-%d.woff2", prefix, sl.Name, src.weight)
			if err := subset(py, file, src.index, sl.Runes, filepath.Join(tmp, name)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if err := verify(filepath.Join(tmp, name), src.weight, sl.Runes); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			made = append(made, name)
		}
	}
	old, err := filepath.Glob(filepath.Join(out, prefix+"*.woff2"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	for _, name := range made {
		b, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s\t%d bytes\n", name, len(b))
	}
	licence, err := ofl(py, filepath.Join(noto, sources[0].file), sources[0].index)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "OFL.txt"), licence, 0o644)
}

// python finds an interpreter with fontTools and brotli: $PYTHON, Debian's
// /usr/bin/python3, or python3 on the PATH.
func python() (string, error) {
	for _, p := range []string{os.Getenv("PYTHON"), "/usr/bin/python3", "python3"} {
		if p != "" && exec.Command(p, "-c", "import fontTools.subset, brotli").Run() == nil {
			return p, nil
		}
	}
	return "", errors.New("no Python with fontTools and brotli: apt-get install python3-fonttools python3-brotli (make fonts does)")
}

// covers fails, naming where each is used, on characters the source font
// lacks: a script Noto Sans CJK does not cover needs another font.
func covers(file string, index int, text *fonts.Text) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("%w (apt-get install fonts-noto-cjk)", err)
	}
	f, err := sfnt.Parse(b, index)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	have, err := f.Runes()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var lacks []string
	for _, sl := range text.Slices() {
		for _, r := range sl.Runes {
			if _, ok := slices.BinarySearch(have, r); !ok {
				at, _ := text.Where(r)
				lacks = append(lacks, fmt.Sprintf("%s: %U %q", at, r, r))
			}
		}
	}
	if len(lacks) > 0 {
		return fmt.Errorf("%s lacks characters the documents use:\n%s", file, strings.Join(lacks, "\n"))
	}
	return nil
}

// subset runs fontTools' subsetter.
func subset(py, file string, index int, runes []rune, dst string) error {
	var list bytes.Buffer
	for _, r := range runes {
		fmt.Fprintf(&list, "U+%04X\n", r)
	}
	unicodes := dst + ".unicodes"
	if err := os.WriteFile(unicodes, list.Bytes(), 0o644); err != nil {
		return err
	}
	args := append([]string{"-m", "fontTools.subset", file,
		fmt.Sprintf("--font-number=%d", index),
		"--unicodes-file=" + unicodes,
		"--output-file=" + dst,
	}, subsetArgs...)
	cmd := exec.Command(py, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("fontTools subset: %w", err)
	}
	return os.Remove(unicodes)
}

// verify reads a made face back: its weight and exactly its characters.
func verify(file string, weight int, want []rune) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	f, err := sfnt.Parse(b, 0)
	if err != nil {
		return err
	}
	got, err := f.Runes()
	if err != nil {
		return err
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("the face has %d characters, not the %d asked for", len(got), len(want))
	}
	if w, err := f.Weight(); err != nil || w != weight {
		return fmt.Errorf("the face has weight %d (%v), not %d", w, err, weight)
	}
	return nil
}

// ofl returns the licence to ship beside the faces: the font's copyright
// and trademark notices (from its name table), what was made of it, and
// the SIL Open Font License as the Debian package's copyright file gives
// it.
func ofl(py, file string, index int) ([]byte, error) {
	notices, err := exec.Command(py, "-c", `
import sys
from fontTools.ttLib import TTFont
name = TTFont(sys.argv[1], fontNumber=int(sys.argv[2]), lazy=True)["name"]
for i in (0, 7):
    print(name.getDebugName(i))
print(name.getDebugName(4) + ", " + name.getDebugName(5).split(";")[0])
`, file, fmt.Sprint(index)).Output()
	if err != nil {
		return nil, fmt.Errorf("read the font's notices: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(notices)), "\n")
	if len(lines) != 3 {
		return nil, fmt.Errorf("read the font's notices: %q", notices)
	}
	text, err := licenceText(copyright, "SIL-1.1")
	if err != nil {
		return nil, err
	}
	pkg, _ := exec.Command("dpkg-query", "-W", "-f=${Version}", "fonts-noto-cjk").Output() // the version is only informative
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%s\n\n", lines[0], lines[1])
	fmt.Fprintf(&b, "The files %s*.woff2 are subsets of %s (Regular and Bold),\n", prefix, lines[2])
	fmt.Fprintf(&b, "from Debian's fonts-noto-cjk %s, made by eulagate's locales/fonts/internal/subset.\n", strings.TrimSpace(string(pkg)))
	fmt.Fprintf(&b, "They are licensed under the SIL Open Font License, Version 1.1:\n\n")
	b.WriteString(text)
	return b.Bytes(), nil
}

// licenceText returns the text of a licence paragraph ("License: name"
// followed by indented lines) of a Debian machine-readable copyright file.
func licenceText(file, name string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if l != "License: "+name || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], " ") {
			continue
		}
		var out strings.Builder
		for _, body := range lines[i+1:] {
			if !strings.HasPrefix(body, " ") {
				break
			}
			body = strings.TrimPrefix(body, " ")
			if body == "." {
				body = ""
			}
			out.WriteString(body + "\n")
		}
		return out.String(), nil
	}
	return "", fmt.Errorf("%s has no licence text for %s", file, name)
}
