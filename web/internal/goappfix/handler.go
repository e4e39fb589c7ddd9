package goappfix

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
)

// WasmPath is where go-app's app.js, the page's preload and boot.js fetch
// app.wasm: under /web/, which the server serves itself, precompressed
// (go-app would serve it uncompressed at /app.wasm).
const WasmPath = "/web/app.wasm"

// WasmSizeHeader carries app.wasm's uncompressed size, which go-app's
// loader needs for its progress when the body is sent compressed
// (go-app's Handler.WasmContentLengthHeader).
const WasmSizeHeader = "X-Content-Length-Raw"

// Handler is go-app's handler with the workarounds of this package
// applied: it serves go-app's own resources (app.js patched) and the
// prerendered pages (rewritten, without the shared ETag, fed the View that
// the server prepared).
type Handler struct {
	goapp *app.Handler
	// boot is the element inserted in every page's head.
	boot []byte
	// scripts are the CSP sources of the inline scripts the rewrite
	// puts in a page (see ScriptSources).
	scripts string
}

// New returns h, which holds the viewer's own settings (names, colours,
// icons, style sheet, service worker), with go-app's hooks for the
// workarounds set: Version (the build's hash, given; see "ETag and
// Version"), Resources (app.wasm at WasmPath) and WasmContentLengthHeader.
// boot is the element (a deferred script) that every page gets in its head,
// ahead of go-app's scripts.
//
// It fails if an icon is left to go-app's default, which is fetched from
// GitHub: offline, the service worker would fail to install.
func New(h *app.Handler, version string, boot []byte) (*Handler, error) {
	for _, icon := range []string{h.Icon.Default, h.Icon.Large, h.Icon.SVG, h.Icon.AppleTouch} {
		if icon == "" || strings.Contains(icon, "://") {
			return nil, errors.New("goappfix: every icon must be set to a file of the server's own: go-app's defaults are fetched from the internet")
		}
	}
	h.Version = version
	h.Resources = resources{}
	h.WasmContentLengthHeader = WasmSizeHeader
	registerOnce.Do(func() { app.Handle(ui.ActionLoad, publish) })
	scripts := scriptHash(preloadWasm)
	if !externalScript.Match(boot) {
		scripts += " " + scriptHash(boot)
	}
	return &Handler{goapp: h, boot: boot, scripts: scripts}, nil
}

// ScriptSources returns the Content-Security-Policy sources
// ('sha256-...') of the inline scripts that the rewrite puts in a page:
// app.wasm's download in the head, and the boot element unless it loads a
// file. With 'self' (for go-app's app.js and wasm_exec.js, and such a
// file) and 'wasm-unsafe-eval', a page's script-src needs nothing else: no
// 'unsafe-inline'.
func (h *Handler) ScriptSources() string { return h.scripts }

// externalScript matches a script element that loads its code from a file
// (src): 'self' allows it, not a hash.
var externalScript = regexp.MustCompile(`^<script\b[^>]*\bsrc=`)

// scriptHash returns the CSP source of the inline script element el: the
// hash of its content.
func scriptHash(el []byte) string {
	body := el
	if i := bytes.IndexByte(body, '>'); i >= 0 {
		body = body[i+1:]
	}
	if i := bytes.LastIndex(body, []byte("</script>")); i >= 0 {
		body = body[:i]
	}
	sum := sha256.Sum256(body)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// registerOnce guards go-app's process-wide registry of action handlers,
// which every Handler shares.
var registerOnce sync.Once

// resources tells go-app where its package and static resources are: at the
// root, with app.wasm at WasmPath. It is not an http.Handler: the server
// serves /web/ itself.
type resources struct{}

func (resources) Package() string { return "" }
func (resources) Static() string  { return "" }
func (resources) AppWASM() string { return WasmPath }

// resourcePaths are the resources go-app's handler generates itself.
var resourcePaths = map[string]bool{
	"/wasm_exec.js": true, "/app.js": true, "/app-worker.js": true,
	"/manifest.webmanifest": true, "/manifest.json": true, "/app.css": true,
}

// IsResource reports whether path is one of the resources go-app's handler
// generates itself (app.js, the worker, the manifest...), which
// ServeResource serves; every other path is a page.
func IsResource(path string) bool { return resourcePaths[path] }

// ServeResource serves one of go-app's own resources (see IsResource), with
// app.js patched (see appJSPatches).
func (h *Handler) ServeResource(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/app.js" {
		h.goapp.ServeHTTP(w, r)
		return
	}
	rw := &rewriter{ResponseWriter: w, rewrite: patchAppJS}
	h.goapp.ServeHTTP(rw, r)
	rw.flush()
}

// ServePage serves the page go-app prerenders for r, showing v: v is
// handed over to the prerendering (see publish), the page is answered
// without go-app's shared ETag and never as 304 (a page depends on more
// than the build: the reader's language, the outcome), and its HTML is
// rewritten (see pageRewrite). The caller sets the page's other headers.
func (h *Handler) ServePage(w http.ResponseWriter, r *http.Request, v ui.View) {
	token := pending.put(v)
	defer pending.del(token)
	r2 := r.Clone(r.Context())
	r2.Header.Del("If-None-Match")
	u := *r.URL
	vals := u.Query()
	vals.Set(viewParam, token)
	u.RawQuery = vals.Encode()
	r2.URL = &u
	rw := &rewriter{ResponseWriter: &noETag{ResponseWriter: w}, rewrite: h.pageRewrite(r)}
	h.goapp.ServeHTTP(rw, r2)
	rw.flush()
}
