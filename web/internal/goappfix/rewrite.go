package goappfix

import (
	"bytes"
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// pageRewrite returns the edits made to a page of go-app's for r:
//
//   - go-app's link to app.css goes (dropAppCSS);
//   - its loading spinner, an image, gets an empty alt: it is decoration,
//     and the label beside it says what it shows (WCAG 1.1.1);
//   - its viewport, which forbids zooming, lets the reader zoom (WCAG 1.4.4:
//     readers who need larger text must be able to);
//   - the head starts app.wasm's download with fetch() (window.eulagateWasmFetch),
//     when go-app's app.js will load it (not for robots, nor with
//     ?wasm=false), so that the download starts with the page. Not a
//     <link rel="preload" as="fetch" crossorigin>: WebKit (2.50) does not
//     match that preload to boot.js's fetch() (the preload sends an Origin
//     header, the same-origin fetch none) and downloads app.wasm twice;
//   - the boot element (boot.js, deferred) goes in the head ahead of
//     go-app's deferred scripts: its download starts with the page's, and
//     it runs once the page is parsed, before app.js. It compiles app.wasm
//     from that download. Run while the page was parsed, the streaming
//     compile's tasks on the main thread came between the parser's, and at
//     4× CPU throttle the form was usable 1.4 to 1.7 times as late (README,
//     Performance); as a script the parser waits for at the end of the
//     body, it held the decision form's first frame until the service
//     worker answered.
func (h *Handler) pageRewrite(r *http.Request) func([]byte) []byte {
	preload := WasmWanted(r)
	return func(page []byte) []byte {
		page = dropAppCSS(page)
		page = loaderIcon.ReplaceAll(page, loaderIconAlt)
		page = viewportMeta.ReplaceAll(page, viewport)
		if i := bytes.Index(page, []byte("</head>")); i >= 0 && preload {
			page = slices.Insert(page, i, preloadWasm...)
		}
		if i := bytes.Index(page, []byte("<script")); i >= 0 {
			page = slices.Insert(page, i, h.boot...)
		} else if i := bytes.Index(page, []byte("</head>")); i >= 0 {
			page = slices.Insert(page, i, h.boot...)
		}
		return page
	}
}

// WasmWanted reports whether go-app's app.js will load app.wasm for r: its
// own test (goappCanLoadWebAssembly), made on the server. A page for r
// depends on it (the head preloads app.wasm).
func WasmWanted(r *http.Request) bool {
	return !robotAgent.MatchString(r.UserAgent()) && r.URL.Query().Get("wasm") != "false"
}

// robotAgent is go-app's app.js's test for robots, which get no wasm.
var robotAgent = regexp.MustCompile(`(?i)bot|googlebot|crawler|spider|robot|crawling`)

// viewportMeta matches go-app's viewport meta element (its attributes come in
// any order), viewport is the one the page has instead, and preloadWasm
// starts app.wasm's download from the head. They are made once, not for
// every page.
var (
	viewportMeta = regexp.MustCompile(`<meta [^>]*name="viewport"[^>]*>`)
	viewport     = []byte(`<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">`)
	preloadWasm  = []byte(`<script>window.eulagateWasmFetch = fetch("` + WasmPath + `"); window.eulagateWasmFetch.catch(() => {});</script>`)
)

// loaderIcon matches go-app's loading spinner image (its attributes come
// in any order), and loaderIconAlt is the same with an empty alt.
var (
	loaderIcon    = regexp.MustCompile(`<img ([^>]*id="app-wasm-loader-icon")`)
	loaderIconAlt = []byte(`<img alt="" $1`)
)

// appCSSLink matches go-app's links to app.css (its attributes come in any
// order).
var appCSSLink = regexp.MustCompile(`<link [^>]*href="/app\.css"[^>]*>\n?`)

// dropAppCSS removes from a page of go-app's the links to go-app's app.css,
// which go-app always writes: the page's own style sheet has the few rules
// of it the page uses, and the text need not wait for one more request.
func dropAppCSS(page []byte) []byte {
	end := bytes.Index(page, []byte("</head>"))
	if end < 0 {
		return page
	}
	return append(appCSSLink.ReplaceAll(page[:end], nil), page[end:]...)
}

// rewriter buffers an answer of go-app's handler and, when it is a
// success, sends its body through rewrite, with the new length.
type rewriter struct {
	http.ResponseWriter
	rewrite func([]byte) []byte
	buf     bytes.Buffer
	status  int
}

func (rw *rewriter) WriteHeader(code int) { rw.status = code }

func (rw *rewriter) Write(b []byte) (int, error) { return rw.buf.Write(b) }

func (rw *rewriter) flush() {
	body := rw.buf.Bytes()
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	if rw.status == http.StatusOK {
		body = rw.rewrite(body)
		rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	rw.ResponseWriter.WriteHeader(rw.status)
	rw.ResponseWriter.Write(body) // a failed write means the client went away
}

// noETag drops go-app's shared ETag from page answers.
type noETag struct {
	http.ResponseWriter
	wrote bool
}

func (w *noETag) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.Header().Del("ETag")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *noETag) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
