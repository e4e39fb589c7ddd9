package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"

	"github.com/eulagate/eulagate/web/internal/goappfix"
)

//go:embed static
var staticFS embed.FS

// WasmSizeHeader carries app.wasm's uncompressed size, which go-app's loader
// needs for its progress when the body is sent compressed.
const WasmSizeHeader = goappfix.WasmSizeHeader

// asset is one static file with its precompressed variants.
type asset struct {
	name     string
	ctype    string
	etag     string
	identity *content
	br, gz   *content
	// immutable marks a file whose name holds its content's hash (see
	// assets.immutable): cached for a year, never revalidated.
	immutable bool
}

// content is a file's bytes. An embedded file is read from the binary's
// read-only data each time it is served, not copied onto the heap, so that
// the server holds in memory only what it sends.
type content struct {
	r io.ReaderAt
	n int64
}

// openContent returns the file at p in fsys: the file itself where it can
// be read at offsets and is not an operating-system file (which could
// change under the server), its bytes read now otherwise.
func openContent(fsys fs.FS, p string) (*content, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	if ra, ok := f.(io.ReaderAt); ok {
		if _, isOS := f.(*os.File); !isOS {
			st, err := f.Stat()
			if err != nil {
				f.Close()
				return nil, err
			}
			return &content{ra, st.Size()}, nil // kept open while served
		}
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return bytesContent(b), nil
}

// bytesContent returns b as content.
func bytesContent(b []byte) *content { return &content{bytes.NewReader(b), int64(len(b))} }

// reader returns a reader of the whole content.
func (c *content) reader() *io.SectionReader { return io.NewSectionReader(c.r, 0, c.n) }

// bytes returns a copy of the content.
func (c *content) bytes() ([]byte, error) { return io.ReadAll(c.reader()) }

// assets holds the static files by URL path (/web/name).
type assets struct {
	byPath  map[string]*asset
	version string
}

// loadAssets reads every file of fsys, and of each of mounts under its
// directory (fonts/...), except .br/.gz variants, which are attached to
// their original. Files that `make` did not precompress get a gzip variant
// made here when they are compressible; brotli is left to the build, which
// can afford its best level.
func loadAssets(fsys fs.FS, mounts map[string]fs.FS) (*assets, error) {
	a := &assets{byPath: map[string]*asset{}}
	files := map[string]*content{}
	read := func(dir string, fsys fs.FS) error {
		return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			c, err := openContent(fsys, p)
			if err != nil {
				return err
			}
			files[path.Join(dir, p)] = c
			return nil
		})
	}
	if err := read(".", fsys); err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	for dir, m := range mounts {
		if err := read(dir, m); err != nil {
			return nil, fmt.Errorf("load assets %s: %w", dir, err)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if !strings.HasSuffix(name, ".br") && !strings.HasSuffix(name, ".gz") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	build := sha256.New()
	for _, name := range names {
		body := files[name]
		h := sha256.New()
		if _, err := io.Copy(h, body.reader()); err != nil {
			return nil, fmt.Errorf("load assets: %s: %w", name, err)
		}
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		fmt.Fprintf(build, "%s %x\n", name, sum)
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			head := make([]byte, 512)
			n, _ := body.r.ReadAt(head, 0) // io.EOF for a short file
			ctype = http.DetectContentType(head[:n])
		}
		if path.Ext(name) == ".wasm" {
			ctype = "application/wasm"
		}
		as := &asset{
			name:     name,
			ctype:    ctype,
			etag:     `"` + hex.EncodeToString(sum[:12]) + `"`,
			identity: body,
			br:       files[name+".br"],
			gz:       files[name+".gz"],
		}
		if as.gz == nil && compressible(ctype) {
			b, err := body.bytes()
			if err != nil {
				return nil, fmt.Errorf("load assets: %s: %w", name, err)
			}
			if gz := gzipBytes(b); gz != nil {
				as.gz = bytesContent(gz)
			}
		}
		a.byPath["/web/"+name] = as
	}
	a.version = hex.EncodeToString(build.Sum(nil)[:16])
	return a, nil
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") ||
		strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") ||
		strings.Contains(ctype, "svg") ||
		strings.Contains(ctype, "wasm")
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(b)                                              // writes to a bytes.Buffer do not fail
	zw.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}

// prepend puts text ahead of the asset at path, if there is one: the
// server's own rules at the top of a style sheet. Its compressed variants
// are made again, and its ETag follows the new content.
func (a *assets) prepend(path, text string) error {
	as, ok := a.byPath[path]
	if !ok {
		return nil
	}
	rest, err := as.identity.bytes()
	if err != nil {
		return fmt.Errorf("prepend to %s: %w", path, err)
	}
	as.setBody(append([]byte(text), rest...))
	return nil
}

// setBody makes body the asset's content, with its ETag and its gzip and
// brotli variants (each only if smaller), and returns body's SHA-256.
func (as *asset) setBody(body []byte) [sha256.Size]byte {
	sum := sha256.Sum256(body)
	as.identity, as.br, as.gz = bytesContent(body), nil, nil
	as.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	if gz := gzipBytes(body); gz != nil {
		as.gz = bytesContent(gz)
	}
	if br := brotliBytes(body); br != nil {
		as.br = bytesContent(br)
	}
	return sum
}

// serve writes the asset at r.URL.Path in the best encoding the client
// accepts, with its content-hash ETag.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	as, ok := a.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("ETag", as.etag)
	h.Set("Cache-Control", "no-cache")
	if as.immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Type", as.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	if as.ctype == "application/wasm" {
		h.Set(WasmSizeHeader, strconv.FormatInt(as.identity.n, 10))
	}
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatch(match, as.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := as.identity
	switch enc := acceptEncoding(r.Header.Get("Accept-Encoding")); {
	case as.br != nil && enc["br"]:
		body = as.br
		h.Set("Content-Encoding", "br")
	case as.gz != nil && enc["gzip"]:
		body = as.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.FormatInt(body.n, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.Copy(w, body.reader()) // a failed write means the client went away
	}
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptEncoding returns the codings an Accept-Encoding header allows (q>0).
func acceptEncoding(header string) map[string]bool {
	ok := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		allowed := true
		if q, found := strings.CutPrefix(strings.TrimSpace(params), "q="); found {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				allowed = false
			}
		}
		ok[name] = allowed
	}
	return ok
}

// immutable adds a minified copy of the file at URL path file, with head put ahead
// of it, under a name that holds its content's hash (/web/boot.<hash>.js),
// compressed once here and served with a year's caching: a page links that
// name, and a build that changes the file links another. It returns the
// copy's URL path.
func (a *assets) immutable(file, head string) (string, error) {
	f, ok := a.byPath[file]
	if !ok {
		return "", fmt.Errorf("no file %s", file)
	}
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	src, err := f.identity.bytes()
	if err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	mediatype, _, _ := strings.Cut(f.ctype, ";")
	b, err := m.Bytes(mediatype, src)
	if err != nil {
		return "", fmt.Errorf("minify %s: %w", file, err)
	}
	as := &asset{ctype: f.ctype, immutable: true}
	sum := as.setBody(append([]byte(head), b...))
	ext := path.Ext(file)
	as.name = strings.TrimSuffix(path.Base(file), ext) + "." + hex.EncodeToString(sum[:6]) + ext
	url := "/web/" + as.name
	a.byPath[url] = as
	return url, nil
}

// brotliBytes returns b compressed with brotli at its best level, or nil
// if that is no smaller. The window fits the small files compressed here:
// the default one's tables would raise the server's peak memory by tens of
// megabytes for a moment at start.
func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 16})
	w.Write(b) // writes to a bytes.Buffer do not fail
	w.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}
