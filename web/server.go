package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/i18n"
	"github.com/eulagate/eulagate/locales/fonts"
	"github.com/eulagate/eulagate/web/internal/goappfix"
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
	// Signer is the log's signing key, with which the server signs the
	// status statements a gate trusts (api.PathAttestation); without it
	// that endpoint answers 500.
	Signer note.Signer
	// AdminToken is the administrator credential for exports, subject
	// access, erasure and delegation; empty disables those endpoints.
	AdminToken string
	// VerifierKey is the log's verifier key, with which the console checks
	// each receipt it shows.
	VerifierKey string
	// Audit names the files the console's audit holds the store to, as
	// `eulagate audit` does; without a witness file it keeps nothing.
	Audit translog.Sources
}

// Server serves the viewer, its assets and the API.
type Server struct {
	lib    *eula.Library
	render RenderFunc
	// renderKiosk is Config.RenderKiosk, or render.
	renderKiosk RenderFunc
	// reg is the use cases, over Config.Library and Config.Store.
	reg *eula.Registrar
	// sessions remembers the decisions made through a gate's kiosk URL.
	sessions sessions
	log      *slog.Logger
	csrf     csrf
	now      func() time.Time
	// origins and returnURLs are Config.AllowedOrigins and ReturnURLs.
	origins, returnURLs []string
	// frameAncestors is the Content-Security-Policy of viewer pages.
	frameAncestors string
	// adminToken is Config.AdminToken; see requireAdmin.
	adminToken []byte
	// consoleSessions are the signed-in administrators of the console;
	// verifierKey is Config.VerifierKey.
	consoleSessions consoleSessions
	verifierKey     string
	// signIns limits wrong console sign-ins; audit runs the console's audit.
	signIns signInLimit
	audit   consoleAudit
	assets  *assets
	// goapp is go-app's handler with the workarounds of package goappfix.
	goapp *goappfix.Handler
	mux   *http.ServeMux

	sections sync.Map // "version/lang" -> []ui.Section, rendered once
	// pages caches the rendered viewer pages (see pagecache.go).
	pages *pageCache

	// store is Config.Store, read for the log's checkpoint and proofs.
	store eula.Store
}

// registerOnce guards go-app's process-wide route table, which every
// Server shares.
var registerOnce sync.Once

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Library == nil || cfg.Render == nil || cfg.Store == nil {
		return nil, errors.New("web: Library, Render and Store are required")
	}
	s := &Server{lib: cfg.Library, render: cfg.Render, log: cfg.Logger, now: cfg.Now, adminToken: []byte(cfg.AdminToken), verifierKey: cfg.VerifierKey}
	s.store = cfg.Store
	s.audit.src = cfg.Audit
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
	opts := []eula.RegistrarOption{eula.WithSecret(key), eula.WithClock(s.now)}
	if cfg.Signer != nil {
		opts = append(opts, eula.WithSigner(cfg.Signer))
	}
	reg, err := eula.NewRegistrar(cfg.Library, cfg.Store, opts...)
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
	// The pages link the style sheet (the shipped fonts' @font-face rules
	// first: their unicode-ranges make a page download only the faces of
	// the characters it shows) and boot.js under names that hold their
	// hash: cached once, the service worker keeps them for offline use.
	style, err := s.assets.immutable("/web/eulagate.css", faces)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	boot, err := s.assets.immutable("/web/boot.js", "")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	// /web/eulagate.css itself, fetched by its name, gets the faces too.
	if err := s.assets.prepend("/web/eulagate.css", faces); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	registerOnce.Do(ui.RegisterRoutes)
	s.goapp, err = goappfix.New(&app.Handler{
		Name:        "eulagate",
		ShortName:   "eulagate",
		Title:       "End-user License Agreement",
		Description: "Read the End-user License Agreement and accept or decline it.",
		Lang:        "en",
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			SVG:        "/web/icon.svg",
			AppleTouch: "/web/icon-192.png",
		},
		BackgroundColor: "#ffffff",
		ThemeColor:      "#1f4e79",
		LoadingLabel:    "{progress}%",
		// boot.js goes ahead of go-app's scripts (goappfix).
		RawHeaders:            []string{`<link rel="stylesheet" href="` + style + `">`},
		CacheableResources:    []string{style, boot},
		ServiceWorkerTemplate: workerJS,
	}, s.assets.version, []byte(`<script defer src="`+boot+`"></script>`))
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.pages = newPageCache(pageCacheEntries, pageCacheBytes)
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
	m.Handle("GET "+api.PathAttestation, s.api(s.apiAttest))
	m.Handle("GET "+api.PathRecords, s.api(s.apiExport))
	m.Handle("GET "+api.PathSubjects, s.api(s.apiSubject))
	m.Handle("POST "+api.PathErase, s.api(s.apiErase))
	s.delegationRoutes(m)
	s.logRoutes(m)
	m.HandleFunc("POST "+ui.PathDecide, form(s.formDecide, s.decideProblem))
	m.HandleFunc("POST "+ui.PathReadToEnd, form(s.formReadToEnd, s.decideProblem))
	s.consoleRoutes(m)
	m.HandleFunc("GET /web/", s.assets.serve)
	m.HandleFunc("GET /app.wasm", s.wasm)
	m.HandleFunc("/", s.page)
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
	r2.URL.Path = goappfix.WasmPath
	s.assets.serve(w, r2)
}

// page serves go-app's own resources and the prerendered pages, from the
// page cache where the page allows it (see pageKey). Pages are never
// answered 304: each carries its own CSRF token and idempotency key (see
// goappfix.Handler.ServePage).
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	if goappfix.IsResource(r.URL.Path) {
		compressed(s.goapp.ServeResource)(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.writeError(w, r, errMethod)
		return
	}
	q := ui.ParseQuery(r.URL)
	if key, ok := pageKey(r, q.Installer, goappfix.WasmWanted(r)); ok {
		p, err := s.pages.get(key, func() (*cachedPage, error) { return s.cachedPage(r, q) })
		if err == nil {
			s.pageHeaders(w)
			w.Header().Add("Vary", "Accept-Encoding")
			p.write(w, s.csrf.token(), randomToken())
			return
		}
		if !errors.Is(err, errUncacheable) {
			s.log.ErrorContext(r.Context(), "page cache failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		}
	}
	compressed(func(w http.ResponseWriter, r *http.Request) {
		v, _ := s.pageView(r, q)
		s.pageHeaders(w)
		s.goapp.ServePage(w, r, v)
	})(w, r)
}

// cachedPage renders the page for r once for the cache, with placeholders
// for the per-request values. It fails with errUncacheable when the page
// shows more than the query says: a failure, an outcome, changes, a
// dealer's acceptance.
func (s *Server) cachedPage(r *http.Request, q ui.Query) (*cachedPage, error) {
	v, err := s.pageView(r, q)
	if err != nil || v.Outcome != nil || v.Changes != nil || v.Confirmation != nil {
		return nil, errUncacheable
	}
	v.CSRF, v.IdempotencyKey = slotCSRF, slotIdem
	rec := &recorder{header: http.Header{}}
	s.goapp.ServePage(rec, r, v)
	if rec.status != http.StatusOK {
		return nil, errUncacheable
	}
	rec.header.Del("Content-Length")
	return newCachedPage(rec.header, rec.body.Bytes())
}

// pageView returns the View of the page for r, with the error that made it
// an error page, if any. The English original of a translation is named
// but left out (View.OriginalLater): the viewer fetches it when the reader
// asks for it or once idle, and without scripts each section links to it.
func (s *Server) pageView(r *http.Request, q ui.Query) (ui.View, error) {
	v, err := s.view(r, q)
	if err != nil {
		if status, _ := statusOf(err); status >= 500 {
			s.log.ErrorContext(r.Context(), "page failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		}
		v = errorView(r, q, err)
	}
	v = ui.WithOriginalLater(v)
	if v.Labels == nil {
		v.Labels = labelsFor(language.Make(v.Lang))
	}
	if id := r.URL.Query().Get("decided"); id != "" {
		v.Outcome = s.outcomeOf(r.Context(), id, v.Labels)
	}
	if q.MustRead && s.csrf.check(r.URL.Query().Get("read")) == nil {
		v.ReadToEnd = true
	}
	if key, ok := problems[r.URL.Query().Get("problem")]; ok && v.Error == "" {
		v.Error = v.Labels.Get(key)
	}
	return v, err
}

// pageHeaders sets the headers of a page of the server's own.
func (s *Server) pageHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	// Only the server itself and the host pages it allows may frame the
	// viewer: an accept click must not be hijacked by another site.
	w.Header().Set("Content-Security-Policy", s.frameAncestors)
}

// errorView is the page's View when the View itself could not be made: the
// message, in the language the reader asked for or the browser prefers,
// and nothing to decide on.
func errorView(r *http.Request, q ui.Query, err error) ui.View {
	asked := q.Lang
	if asked == "" {
		asked = rememberedLang(r)
	}
	tag, l := viewerLabels(i18n.Preferences(asked, r.Header.Get("Accept-Language")))
	return ui.View{Query: q, Lang: tag.String(), Dir: i18n.Direction(tag), Labels: l, Error: userMessage(l, err)}
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

// Shutdown is a helper for mains: it shuts srv down within timeout.
func Shutdown(srv *http.Server, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return srv.Shutdown(ctx)
}

// fontsDir is where the shipped fonts (package fonts) are served, under
// /web/.
const fontsDir = "fonts"
