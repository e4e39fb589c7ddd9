// Command precompress writes brotli (.br) and gzip (.gz) variants of the
// files in a directory, for package web to embed and serve by
// Accept-Encoding. A variant is rewritten only when older than its original,
// and skipped when it would not be smaller.
//
// Usage:
//
//	go run ./web/internal/precompress web/static
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") || !compressible(name) {
			continue
		}
		src := filepath.Join(dir, name)
		for _, v := range []struct {
			ext string
			enc func([]byte) ([]byte, error)
		}{{".br", brotliBytes}, {".gz", gzipBytes}} {
			if err := variant(src, src+v.ext, v.enc); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

func compressible(name string) bool {
	switch filepath.Ext(name) {
	case ".wasm", ".js", ".css", ".svg", ".json", ".html", ".txt", ".webmanifest":
		return true
	}
	return false
}

func variant(src, dst string, enc func([]byte) ([]byte, error)) error {
	si, err := os.Stat(src)
	if err != nil {
		return err
	}
	if di, err := os.Stat(dst); err == nil && !di.ModTime().Before(si.ModTime()) {
		return nil
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	out, err := enc(b)
	if err != nil {
		return err
	}
	if len(out) >= len(b) {
		os.Remove(dst) // a stale variant must not outlive its original; absence is fine
		return nil
	}
	return os.WriteFile(dst, out, 0o644)
}

func brotliBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
