package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales/fonts"
)

// Limits of the HTTP layer.
const (
	// MaxBodyBytes bounds every request body.
	MaxBodyBytes = 64 << 10
	// MaxQueryBytes bounds a page or API query string.
	MaxQueryBytes = 4 << 10
	// MinAdminTokenLen is the shortest administrator token accepted.
	MinAdminTokenLen = 16
)

// RenderFunc renders a section's Markdown to sanitized HTML.
type RenderFunc func(s *eula.Section) (string, error)

// Config is what a Server needs.
type Config struct {
	// Library holds the documents; required.
	Library *eula.Library
	// Render renders a section to sanitized HTML; required.
	Render RenderFunc
	// RenderKiosk renders a section for the first-boot kiosk, where no link
	// may lead away from the page; Render if nil.
	RenderKiosk RenderFunc
	// Store records decisions; required.
	Store eula.Store
	// Logger receives structured logs; slog.Default() if nil.
	Logger *slog.Logger
	// Secret signs CSRF tokens; random if empty (tokens then do not survive
	// a restart).
	Secret []byte
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// AllowedOrigins are the origins of host pages that may embed the
	// viewer in an iframe and receive the outcome by postMessage.
	AllowedOrigins []string
	// ReturnURLs are the URL prefixes a host may name as return=, where the
	// reader is sent after the decision.
	ReturnURLs []string
	// AdminToken is the administrator credential for exports, subject
	// access, erasure and delegation; empty disables those endpoints.
	AdminToken string
}

// Server serves the viewer, its assets and the API.
type Server struct {
	lib    *eula.Library
	render RenderFunc
	// renderKiosk is Config.RenderKiosk, or render.
	renderKiosk RenderFunc
	// reg is the use cases, over Config.Library and Config.Store.
	reg  *eula.Registrar
	log  *slog.Logger
	csrf csrf
	now  func() time.Time
	// origins and returnURLs are Config.AllowedOrigins and ReturnURLs.
	origins, returnURLs []string
	// frameAncestors is the Content-Security-Policy of viewer pages.
	frameAncestors string
	// adminToken is Config.AdminToken; see requireAdmin.
	adminToken []byte
	assets     *assets
	// boot is boot.js, minified, as a script element for the page.
	boot  []byte
	goapp *app.Handler
	mux   *http.ServeMux

	sections sync.Map // "version/lang" -> []ui.Section, rendered once

	// store is Config.Store, read for the log's checkpoint and proofs.
	store eula.Store
}

// registerOnce guards go-app's process-wide registries (routes, action
// handlers), which every Server shares.
var registerOnce sync.Once

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Library == nil || cfg.Render == nil || cfg.Store == nil {
		return nil, errors.New("web: Library, Render and Store are required")
	}
	s := &Server{lib: cfg.Library, render: cfg.Render, log: cfg.Logger, now: cfg.Now, adminToken: []byte(cfg.AdminToken)}
	s.store = cfg.Store
	s.renderKiosk = cfg.RenderKiosk
	if s.renderKiosk == nil {
		s.renderKiosk = cfg.Render
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	key := cfg.Secret
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key) // crypto/rand.Read never fails
	}
	if t := cfg.AdminToken; t != "" && len(t) < MinAdminTokenLen {
		return nil, fmt.Errorf("web: the administrator token is shorter than %d characters: use a long random one", MinAdminTokenLen)
	}
	s.csrf = csrf{key: key, now: s.now}
	reg, err := eula.NewRegistrar(cfg.Library, cfg.Store, eula.WithSecret(key), eula.WithClock(s.now))
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.reg = reg
	for _, o := range cfg.AllowedOrigins {
		if !validOrigin(o) {
			return nil, fmt.Errorf("web: allowed origin %q is not scheme://host[:port]", o)
		}
		s.origins = append(s.origins, o)
	}
	s.returnURLs = cfg.ReturnURLs
	s.frameAncestors = strings.Join(append([]string{"frame-ancestors 'self'"}, s.origins...), " ")
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.assets, err = loadAssets(static, map[string]fs.FS{fontsDir: fonts.FS}); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	faces, err := fonts.CSS("/web/" + fontsDir + "/")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	boot, err := s.assets.inline("/web/boot.js", "script")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.boot = []byte(boot)
	style, err := s.assets.inline("/web/eulagate.css", "style")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	registerOnce.Do(func() {
		ui.RegisterRoutes()
		app.Handle(ui.ActionLoad, publishView)
	})
	s.goapp = &app.Handler{
		Name:        "eulagate",
		ShortName:   "eulagate",
		Title:       "End-user License Agreement",
		Description: "Read the End-user License Agreement and accept or decline it.",
		Lang:        "en",
		Version:     s.assets.version,
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			SVG:        "/web/icon.svg",
			AppleTouch: "/web/icon-192.png",
		},
		BackgroundColor: "#ffffff",
		ThemeColor:      "#1f4e79",
		LoadingLabel:    "{progress}%",
		// The style sheet and boot.js (see pageRewrite) are in the page
		// itself, so that the text waits for no request to be shown. The
		// shipped fonts' @font-face rules come first: their unicode-ranges
		// make a page download only the faces of the characters it shows.
		RawHeaders:              []string{"<style>" + faces + "</style>", style},
		WasmContentLengthHeader: WasmSizeHeader,
		Resources:               resources{},
		ServiceWorkerTemplate:   workerJS,
	}
	s.routes()
	return s, nil
}

// Version is the build hash: go-app's Handler.Version, which names the
// service worker's cache.
func (s *Server) Version() string { return s.assets.version }

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET "+api.PathHealth, s.healthz)
	m.HandleFunc("GET "+api.PathOpenAPI, s.apiOpenAPI)
	m.Handle("GET "+api.PathView, compressed(s.api(s.apiView).ServeHTTP))
	m.Handle("POST "+api.PathDecisions, s.api(s.apiDecide))
	m.Handle(api.PathDecisions, s.api(methodNotAllowed))
	m.Handle("GET "+api.PathReceipt, s.api(s.apiReceipt))
	m.Handle("GET "+api.PathStatus, s.api(s.apiStatus))
	m.Handle("GET "+api.PathRecords, s.api(s.apiExport))
	m.Handle("GET "+api.PathSubjects, s.api(s.apiSubject))
	m.Handle("POST "+api.PathErase, s.api(s.apiErase))
	s.delegationRoutes(m)
	s.logRoutes(m)
	m.HandleFunc("POST "+ui.PathDecide, s.formDecide)
	m.HandleFunc("GET /web/", s.assets.serve)
	m.HandleFunc("GET /app.wasm", s.wasm)
	m.HandleFunc("/", compressed(s.page))
	s.mux = m
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.URL.RawQuery) > MaxQueryBytes {
		s.writeError(w, r, fmt.Errorf("the query string is longer than %d bytes: %w", MaxQueryBytes, eula.ErrInvalid))
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	s.mux.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.assets.version})
}

// api adapts a handler that returns an error.
func (s *Server) api(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func methodNotAllowed(http.ResponseWriter, *http.Request) error { return errMethod }

// wasm serves app.wasm from the embedded assets.
func (s *Server) wasm(w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/web/app.wasm"
	s.assets.serve(w, r2)
}

// goappPaths are the resources go-app's handler generates itself.
var goappPaths = map[string]bool{
	"/wasm_exec.js": true, "/app.js": true, "/app-worker.js": true,
	"/manifest.webmanifest": true, "/manifest.json": true, "/app.css": true,
}

// page serves go-app's own resources and the prerendered pages. Pages are
// never answered 304: go-app gives every resource the same ETag, and a page
// depends on more than the build (the reader's language, the outcome).
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	if goappPaths[r.URL.Path] {
		if r.URL.Path != "/app.js" {
			s.goapp.ServeHTTP(w, r)
			return
		}
		rw := &rewriter{ResponseWriter: w, rewrite: patchAppJS}
		s.goapp.ServeHTTP(rw, r)
		rw.flush()
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.writeError(w, r, errMethod)
		return
	}
	q := ui.ParseQuery(r.URL)
	v, err := s.view(r, q)
	if err != nil {
		if status, _ := statusOf(err); status >= 500 {
			s.log.ErrorContext(r.Context(), "page failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		}
		v = errorView(r, q, err)
	}
	if id := r.URL.Query().Get("decided"); id != "" {
		v.Outcome = s.outcomeOf(r.Context(), id)
	}
	if key, ok := problems[r.URL.Query().Get("problem")]; ok && v.Error == "" {
		v.Error = v.Labels.Get(key)
	}
	token := pending.put(v)
	defer pending.del(token)
	r2 := r.Clone(r.Context())
	r2.Header.Del("If-None-Match")
	u := *r.URL
	vals := u.Query()
	vals.Set(viewParam, token)
	u.RawQuery = vals.Encode()
	r2.URL = &u
	w.Header().Set("Cache-Control", "no-store")
	// Only the server itself and the host pages it allows may frame the
	// viewer: an accept click must not be hijacked by another site.
	w.Header().Set("Content-Security-Policy", s.frameAncestors)
	rw := &rewriter{ResponseWriter: &noETag{ResponseWriter: w}, rewrite: s.pageRewrite(r)}
	s.goapp.ServeHTTP(rw, r2)
	rw.flush()
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

// pageRewrite returns the edits made to a page of go-app's for r:
//
//   - go-app's link to app.css goes (dropAppCSS);
//   - its viewport, which forbids zooming, lets the reader zoom (WCAG 1.4.4:
//     readers who need larger text must be able to);
//   - the head preloads app.wasm, when go-app's app.js will load it (not
//     for robots, nor with ?wasm=false), so that the download starts with
//     the page;
//   - boot.js goes at the end of the body, once the text and the decision
//     form are parsed. It compiles app.wasm from that download. In the head
//     (as before), the streaming compile's tasks on the main thread came
//     between the parser's, and at 4× CPU throttle the form was usable
//     1.4 to 1.7 times as late (README, Performance).
func (s *Server) pageRewrite(r *http.Request) func([]byte) []byte {
	preload := wasmWanted(r)
	return func(page []byte) []byte {
		page = dropAppCSS(page)
		page = viewportMeta.ReplaceAll(page, viewport)
		if i := bytes.Index(page, []byte("</head>")); i >= 0 && preload {
			page = slices.Insert(page, i, preloadWasm...)
		}
		if i := bytes.LastIndex(page, []byte("</body>")); i >= 0 {
			page = slices.Insert(page, i, s.boot...)
		}
		return page
	}
}

// wasmWanted reports whether go-app's app.js will load app.wasm for r: its
// own test (goappCanLoadWebAssembly), made on the server.
func wasmWanted(r *http.Request) bool {
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
	preloadWasm  = []byte(`<link rel="preload" href="` + wasmPath + `" as="fetch" crossorigin>`)
)

// appCSSLink matches go-app's links to app.css (its attributes come in any
// order).
var appCSSLink = regexp.MustCompile(`<link [^>]*href="/app\.css"[^>]*>\n?`)

// dropAppCSS removes from a page of go-app's the links to go-app's app.css,
// which go-app always writes: the page's own style sheet, in the page, has
// the few rules of it the page uses, and the text need not wait for one
// more request.
func dropAppCSS(page []byte) []byte {
	end := bytes.Index(page, []byte("</head>"))
	if end < 0 {
		return page
	}
	return append(appCSSLink.ReplaceAll(page[:end], nil), page[end:]...)
}

// errorView is the page's View when the View itself could not be made: the
// message, in the language the reader asked for or the browser prefers,
// and nothing to decide on.
func errorView(r *http.Request, q ui.Query, err error) ui.View {
	asked := q.Lang
	if c, cerr := r.Cookie(langCookie); asked == "" && cerr == nil {
		asked = c.Value
	}
	tag, l := viewerLabels(preferredTags(asked, r.Header.Get("Accept-Language")))
	return ui.View{Query: q, Lang: tag.String(), Dir: eula.Direction(tag), Labels: l, Error: userMessage(l, err)}
}

// userMessage returns the message a reader sees for a failed page load, in
// the language of l.
func userMessage(l ui.Labels, err error) string {
	switch {
	case errors.Is(err, eula.ErrNotFound):
		return l.Format("page.unknown", err.Error())
	case errors.Is(err, eula.ErrInvalid):
		return l.Format("page.invalid", err.Error())
	}
	return l.Get("page.failed")
}

// labelSet is one language's interface strings: the viewer's, and the
// dealer pages' (keys starting with dealerKeys).
type labelSet struct{ viewer, dealer ui.Labels }

// labelSets holds the labelSet of each language asked for so far, by the
// catalog's tag: the catalog does not change, and formatting all its
// messages took ~70 µs a request. The maps are shared: never modify them.
var labelSets sync.Map

// labelsOf returns the labelSet of the catalog's language that best serves
// want, and that language: English when none does (or when the embedded
// catalog is broken, which a test rules out).
func labelsOf(want []language.Tag) (language.Tag, labelSet) {
	c, err := uiCatalog()
	if err != nil {
		return language.English, labelSet{viewer: ui.Labels{}, dealer: ui.Labels{}}
	}
	tag := c.Match(want...)
	if set, ok := labelSets.Load(tag); ok {
		return tag, set.(labelSet)
	}
	set := labelSet{viewer: ui.Labels{}, dealer: ui.Labels{}}
	for key, msg := range c.Labels(tag) {
		if strings.HasPrefix(key, dealerKeys) {
			set.dealer[key] = msg
		} else {
			set.viewer[key] = msg
		}
	}
	labelSets.Store(tag, set)
	return tag, set
}

// preferredTags returns the languages a request asks for, first to last:
// the one named (a parameter, or the remembered choice), then the
// browser's Accept-Language. Tags that do not parse are left out.
func preferredTags(named, accept string) []language.Tag {
	var want []language.Tag
	if t, err := language.Parse(named); err == nil {
		want = append(want, t)
	}
	if tags, _, err := language.ParseAcceptLanguage(accept); err == nil {
		want = append(want, tags...)
	}
	return want
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

// Shutdown is a helper for mains: it shuts srv down within timeout.
func Shutdown(srv *http.Server, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return srv.Shutdown(ctx)
}

// resources tells go-app where its package and static resources are: at the
// root, with app.wasm served from the embedded assets. It is not an
// http.Handler: Server serves /web/ itself.
type resources struct{}

func (resources) Package() string { return "" }
func (resources) Static() string  { return "" }
func (resources) AppWASM() string { return wasmPath }

// appJSPatches are the edits made to go-app v9.8.0's app.js, each an exact
// statement of it and what replaces it; TestAppJSPatched fails if go-app
// changes one of them.
var appJSPatches = []struct{ old, new string }{
	// A wasm that fails to load shows boot.js's plain message in the
	// page's language, not a raw "TypeError: Failed to fetch".
	{
		"loaderLabel.innerText = err;",
		"if (window.eulagateWasmFailed) { eulagateWasmFailed(err); } else { loaderLabel.innerText = err; }",
	},
	// boot.js started fetching and compiling app.wasm in the page's head,
	// while the text was being parsed; go-app's own fetch would start only
	// now, after the whole page, and read the download in JavaScript on the
	// main thread to count progress. Then, before the wasm's first render
	// (a long task), the browser paints the whole page once
	// (eulagateAfterPaint): the plain form works meanwhile.
	{
		"    const wasm = await instantiateStreaming(\n      fetchWithProgress(\"" + wasmPath + "\", showProgress),\n      go.importObject\n    );",
		"    const wasm = window.eulagateWasm\n      ? { instance: await WebAssembly.instantiate(await window.eulagateWasm, go.importObject) }\n      : await instantiateStreaming(fetchWithProgress(\"" + wasmPath + "\", showProgress), go.importObject);\n" +
			"    await new Promise((painted) => (window.eulagateAfterPaint ? eulagateAfterPaint(painted) : setTimeout(painted, 0)));",
	},
	// go-app does not hydrate: its first render builds the page anew.
	// boot.js's takeover moves the prerendered text into it and keeps the
	// reader's place, right after, in the same task, before the browser
	// paints.
	{
		"    go.run(wasm.instance);",
		"    const eulagateTakeover = window.eulagate ? eulagate.takeover() : null;\n    go.run(wasm.instance);\n    if (eulagateTakeover) { eulagateTakeover(); }",
	},
}

// wasmPath is where go-app's app.js and boot.js fetch app.wasm.
const wasmPath = "/web/app.wasm"

// fontsDir is where the shipped fonts (package fonts) are served, under
// /web/.
const fontsDir = "fonts"

// patchAppJS applies appJSPatches to go-app's app.js.
func patchAppJS(js []byte) []byte {
	for _, p := range appJSPatches {
		js = bytes.Replace(js, []byte(p.old), []byte(p.new), 1)
	}
	return js
}
