package frontbench

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/render"
	"github.com/eulagate/eulagate/internal/frontbench/hello"
	"github.com/eulagate/eulagate/internal/testserver"
	"github.com/eulagate/eulagate/locales"
	"github.com/eulagate/eulagate/web"
)

// staticDir is eulagate's web/static, relative to this package's directory
// (where go test runs): app.wasm and the icons.
const staticDir = "../../web/static"

// server is one of the three servers under test, on loopback, with a count
// of the bytes it sends.
type server struct {
	name string
	url  string // the page to load
	*counter
}

// counter wraps a handler and counts what it sends (status line, headers
// and body as written, that is compressed where the server compresses), and
// tracks requests in flight so that a load can wait for the network to go
// quiet (go-app's service worker keeps fetching after the page is up).
type counter struct {
	h        http.Handler
	bytes    atomic.Int64
	inflight atomic.Int64
	last     atomic.Int64 // unix nanoseconds of the last request's end
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.inflight.Add(1)
	defer func() {
		c.last.Store(time.Now().UnixNano())
		c.inflight.Add(-1)
	}()
	cw := &countingWriter{ResponseWriter: w, c: c}
	c.h.ServeHTTP(cw, r)
	if !cw.wrote {
		cw.WriteHeader(http.StatusOK)
	}
}

// reset zeroes the byte count.
func (c *counter) reset() { c.bytes.Store(0) }

// quiet waits until no request has been in flight for d, or until ctx ends.
func (c *counter) quiet(ctx context.Context, d time.Duration) {
	for ctx.Err() == nil {
		if c.inflight.Load() == 0 && time.Since(time.Unix(0, c.last.Load())) >= d {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type countingWriter struct {
	http.ResponseWriter
	c     *counter
	wrote bool
}

func (w *countingWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	n := len("HTTP/1.1 200 OK\r\n\r\n")
	for k, vs := range w.Header() {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	// net/http adds Date (and Content-Type or Content-Length when unset).
	n += len("Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n")
	w.c.bytes.Add(int64(n))
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	w.c.bytes.Add(int64(len(b)))
	return w.ResponseWriter.Write(b)
}

// start serves h on a free loopback port until the benchmark ends.
func start(b *testing.B, name, path string, h http.Handler) *server {
	b.Helper()
	c := &counter{h: h}
	ts := httptest.NewServer(c)
	b.Cleanup(ts.Close)
	return &server{name: name, url: ts.URL + path, counter: c}
}

// library loads the embedded documents.
func library(b *testing.B) *eula.Library {
	b.Helper()
	lib, err := eula.Load(locales.FS)
	if err != nil {
		b.Fatal(err)
	}
	return lib
}

// eulagatePath is the page eulagate is measured on: the whole EULA in
// English, as an installer opens it.
const eulagatePath = "/?product=husky-m20&lang=en&installer=bench&iv=1"

// startEulagate starts eulagate's server as web/server_test.go does, over a
// fresh SQLite store.
func startEulagate(b *testing.B, lib *eula.Library) *server {
	b.Helper()
	return start(b, "eulagate", eulagatePath, testserver.Build(b, lib).Handler)
}

// workerJS is the service worker of the static page with a worker: pages
// from the network first, a copy of each kept for offline use and served
// when the network fails, as eulagate's worker treats pages. It is the
// least a page that must open offline pays on a reload.
const workerJS = `self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  if (event.request.mode !== "navigate") { return; }
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok) {
        const copy = response.clone();
        caches.open("pages").then((pages) => pages.put(event.request, copy));
      }
      return response;
    } catch (err) {
      const kept = await caches.match(event.request);
      if (kept) { return kept; }
      throw err;
    }
  })());
});
`

// registerWorker is the static page's registration of workerJS.
const registerWorker = `<script>if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/sw.js"); }</script>
`

// startStatic writes the same English EULA as one plain HTML page, with a
// plain accept form, and serves it with http.FileServer (uncompressed, as a
// plain file server does), with the text in switchLang as a fragment beside
// it. With worker, the page registers workerJS, which it serves too.
func startStatic(b *testing.B, lib *eula.Library, worker bool) *server {
	b.Helper()
	version := lib.Latest(eula.DocEULA)
	doc, err := lib.Document(eula.DocEULA, version, language.English)
	if err != nil {
		b.Fatal(err)
	}
	var page strings.Builder
	fmt.Fprintf(&page, `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>body { max-width: 52rem; margin: 0 auto; padding: 0 1rem; font-family: system-ui, sans-serif; line-height: 1.55; }</style>
</head>
<body>
<article id="eula-document">
`, html.EscapeString(doc.Meta.Title))
	for i := range doc.Sections {
		h, err := render.RenderSection(&doc.Sections[i])
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&page, "<section><div class=\"eula-section-body\">%s</div></section>\n", h)
	}
	page.WriteString(`</article>
<form method="post" action="/decide">
<button id="eula-accept" type="submit" name="decision" value="accept">I accept</button>
<button id="eula-decline" type="submit" name="decision" value="decline">I decline</button>
</form>
`)
	if worker {
		page.WriteString(registerWorker)
	}
	page.WriteString("</body>\n</html>\n")
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	// The text in switchLang, for the floor of the language switch.
	other, err := lib.Document(eula.DocEULA, version, language.Make(switchLang))
	if err != nil {
		b.Fatal(err)
	}
	var frag strings.Builder
	for i := range other.Sections {
		h, err := render.RenderSection(&other.Sections[i])
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&frag, "<section><div class=\"eula-section-body\">%s</div></section>\n", h)
	}
	if err := os.WriteFile(filepath.Join(dir, switchLang+".html"), []byte(frag.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	if !worker {
		return start(b, "static", "/", http.FileServer(http.Dir(dir)))
	}
	if err := os.WriteFile(filepath.Join(dir, "sw.js"), []byte(workerJS), 0o644); err != nil {
		b.Fatal(err)
	}
	return start(b, "static + worker", "/", http.FileServer(http.Dir(dir)))
}

// startHello builds the go-app hello world's wasm and serves it with
// go-app's handler set up as eulagate's is (local icons, so that the
// service worker installs offline; app.wasm served by the server itself,
// precompressed with brotli and gzip at the levels `make` uses, with a
// content ETag and no-cache, and its raw size in web.WasmSizeHeader).
func startHello(b *testing.B) (*server, sizes) {
	b.Helper()
	wasm := filepath.Join(b.TempDir(), "app.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./hello/wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build the hello world: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(wasm)
	if err != nil {
		b.Fatal(err)
	}
	br, gz := compressed(b, raw)
	files := map[string]*file{"/web/app.wasm": {ctype: "application/wasm", raw: raw, br: br, gz: gz}}
	for _, name := range []string{"icon-192.png", "icon-512.png", "icon.svg"} {
		body, err := os.ReadFile(filepath.Join(staticDir, name))
		if err != nil {
			b.Fatal(err)
		}
		ctype := "image/png"
		if strings.HasSuffix(name, ".svg") {
			ctype = "image/svg+xml"
		}
		files["/web/"+name] = &file{ctype: ctype, raw: body}
	}
	for _, f := range files {
		sum := sha256.Sum256(f.raw)
		f.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	}
	sum := sha256.Sum256(raw)
	registerHello.Do(hello.Register)
	h := &app.Handler{
		Name:                    "hello",
		Title:                   "Hello",
		Lang:                    "en",
		Version:                 hex.EncodeToString(sum[:16]),
		Icon:                    app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", SVG: "/web/icon.svg", AppleTouch: "/web/icon-192.png"},
		Resources:               resources{},
		LoadingLabel:            "{progress}%",
		WasmContentLengthHeader: web.WasmSizeHeader,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /web/", func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.serve(w, r)
	})
	mux.HandleFunc("GET /app.wasm", func(w http.ResponseWriter, r *http.Request) { files["/web/app.wasm"].serve(w, r) })
	mux.Handle("/", h)
	return start(b, "go-app hello", hello.Path, mux), sizes{raw: len(raw), gz: len(gz), br: len(br)}
}

// registerHello guards go-app's process-wide route table.
var registerHello sync.Once

// resources places go-app's resources as eulagate's server does: at the
// root, app.wasm under /web/.
type resources struct{}

func (resources) Package() string { return "" }
func (resources) Static() string  { return "" }
func (resources) AppWASM() string { return "/web/app.wasm" }

// file is one static file of the hello world, served as web/assets.go
// serves eulagate's.
type file struct {
	ctype, etag string
	raw, br, gz []byte
}

func (f *file) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Type", f.ctype)
	if f.ctype == "application/wasm" {
		h.Set(web.WasmSizeHeader, strconv.Itoa(len(f.raw)))
	}
	if m := r.Header.Get("If-None-Match"); m != "" && strings.Contains(m, f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.raw
	enc := r.Header.Get("Accept-Encoding")
	switch {
	case f.br != nil && strings.Contains(enc, "br"):
		body = f.br
		h.Set("Content-Encoding", "br")
	case f.gz != nil && strings.Contains(enc, "gzip"):
		body = f.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body) // a failed write means the client went away
	}
}

// compressed returns raw compressed with brotli and gzip at their best
// levels, as web/internal/precompress does. Brotli's best level takes about
// half a minute on 7 MB here, so both are kept in the user's cache
// directory, keyed by raw's hash.
func compressed(b *testing.B, raw []byte) (br, gz []byte) {
	b.Helper()
	sum := sha256.Sum256(raw)
	key := hex.EncodeToString(sum[:16])
	dir := ""
	if d, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(d, "eulagate-frontbench")
	}
	if dir != "" {
		br, errBr := os.ReadFile(filepath.Join(dir, key+".br"))
		gz, errGz := os.ReadFile(filepath.Join(dir, key+".gz"))
		if errBr == nil && errGz == nil {
			return br, gz
		}
	}
	var bb, gb bytes.Buffer
	bw := brotli.NewWriterLevel(&bb, brotli.BestCompression)
	bw.Write(raw) // writes to a bytes.Buffer do not fail
	bw.Close()
	gw, _ := gzip.NewWriterLevel(&gb, gzip.BestCompression) // the level is valid
	gw.Write(raw)
	gw.Close()
	if dir != "" && os.MkdirAll(dir, 0o755) == nil {
		// A cache that cannot be written only costs time on the next run.
		_ = os.WriteFile(filepath.Join(dir, key+".br"), bb.Bytes(), 0o644)
		_ = os.WriteFile(filepath.Join(dir, key+".gz"), gb.Bytes(), 0o644)
	}
	return bb.Bytes(), gb.Bytes()
}

// sizes are a wasm's sizes raw and compressed.
type sizes struct{ raw, gz, br int }

// eulagateSizes reads app.wasm and its precompressed variants from
// web/static, as `make build` left them.
func eulagateSizes(b *testing.B) sizes {
	b.Helper()
	var s sizes
	for _, v := range []struct {
		ext string
		n   *int
	}{{"", &s.raw}, {".gz", &s.gz}, {".br", &s.br}} {
		fi, err := os.Stat(filepath.Join(staticDir, "app.wasm"+v.ext))
		if err != nil {
			if os.Getenv("CI") == "true" {
				b.Fatal("web/static/app.wasm is missing: run `make build` first")
			}
			b.Skip("SKIPPING: web/static/app.wasm", v.ext, " is missing; `make bench` builds it first")
		}
		*v.n = int(fi.Size())
	}
	return s
}
