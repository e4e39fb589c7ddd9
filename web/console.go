package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
)

// Paths of the administrators' console. Its pages are pages of the go-app
// app (app.ConsolePage), prerendered by the server with plain forms and
// links: they work without the wasm.
const (
	PathConsole             = ui.PathConsole
	PathConsoleSignIn       = ui.PathConsoleSignIn
	PathConsoleSignOut      = ui.PathConsoleSignOut
	PathConsoleSearch       = ui.PathConsoleSearch
	PathConsoleInstallation = ui.PathConsoleInstallation
	PathConsoleExport       = "/console/export"
	PathConsolePrivacy      = ui.PathConsolePrivacy
	PathConsoleAccess       = ui.PathConsoleAccess
	PathConsoleErase        = ui.PathConsoleErase
	// PathConsoleOverviewJSON is the overview as JSON, for scripts run in
	// a console session.
	PathConsoleOverviewJSON = "/console/api/overview"
)

// Bounds of console sessions.
const (
	// ConsoleSessionTTL is how long a console session lasts without a
	// request; each request renews it.
	ConsoleSessionTTL = 30 * time.Minute
	// maxConsoleSessions bounds the sessions kept; the oldest go first.
	maxConsoleSessions = 64
	// consoleCookie names the session cookie.
	consoleCookie = "eulagate_console"
	// consolePageSize is the number of results on a search page.
	consolePageSize = 50
)

// consoleSession is one signed-in administrator's session, kept in memory
// under the hash of its random id (the cookie's value).
type consoleSession struct {
	csrf    string
	lang    string
	expires time.Time
	created time.Time
}

// consoleSessions are the console's sessions. A restart signs everyone out.
type consoleSessions struct {
	mu sync.Mutex
	m  map[[32]byte]*consoleSession
}

// create starts a session and returns its id (for the cookie).
func (c *consoleSessions) create(lang string, now time.Time) (string, *consoleSession) {
	var b [32]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	id := hex.EncodeToString(b[:])
	var t [16]byte
	rand.Read(t[:])
	sess := &consoleSession{csrf: hex.EncodeToString(t[:]), lang: lang, expires: now.Add(ConsoleSessionTTL), created: now}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[[32]byte]*consoleSession{}
	}
	for k, s := range c.m {
		if !now.Before(s.expires) {
			delete(c.m, k)
		}
	}
	for len(c.m) >= maxConsoleSessions {
		var oldest [32]byte
		var at time.Time
		for k, s := range c.m {
			if at.IsZero() || s.created.Before(at) {
				oldest, at = k, s.created
			}
		}
		delete(c.m, oldest)
	}
	c.m[sha256.Sum256([]byte(id))] = sess
	return id, sess
}

// Errors of console sessions.
var (
	errNoSession      = errors.New("not signed in")
	errSessionExpired = errors.New("session expired")
)

// get returns the live session of id, renewing it. Errors: errNoSession,
// errSessionExpired.
func (c *consoleSessions) get(id string, now time.Time) (consoleSession, error) {
	k := sha256.Sum256([]byte(id))
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[k]
	if !ok {
		return consoleSession{}, errNoSession
	}
	if !now.Before(s.expires) {
		delete(c.m, k)
		return consoleSession{}, errSessionExpired
	}
	s.expires = now.Add(ConsoleSessionTTL)
	return *s, nil
}

// setLang changes the language of a session.
func (c *consoleSessions) setLang(id, lang string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[sha256.Sum256([]byte(id))]; ok {
		s.lang = lang
	}
}

// end ends a session.
func (c *consoleSessions) end(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, sha256.Sum256([]byte(id)))
}

func (s *Server) consoleRoutes(m *http.ServeMux) {
	consoleHandleOnce.Do(func() { app.Handle(ui.ActionConsoleLoad, publishConsole) })
	m.HandleFunc("GET "+PathConsoleSignIn, s.consoleSignInForm)
	m.HandleFunc("POST "+PathConsoleSignIn, s.consoleSignIn)
	m.HandleFunc("POST "+PathConsoleSignOut, s.consolePage(s.consoleSignOut, true))
	m.HandleFunc("GET "+PathConsole, s.consolePage(s.consoleOverview, false))
	m.HandleFunc("GET "+PathConsole+"/{$}", s.consolePage(s.consoleOverview, false))
	m.HandleFunc("GET "+PathConsoleSearch, s.consolePage(s.consoleSearch, false))
	m.HandleFunc("GET "+PathConsoleInstallation, s.consolePage(s.consoleInstallation, false))
	m.HandleFunc("GET "+PathConsolePrivacy, s.consolePage(s.consolePrivacy, false))
	m.HandleFunc("POST "+PathConsoleAccess, s.consolePage(s.consoleAccess, true))
	m.HandleFunc("POST "+PathConsoleErase, s.consolePage(s.consoleErase, true))
	m.HandleFunc("GET "+PathConsoleAudit, s.consolePage(s.consoleAuditPage, false))
	m.HandleFunc("POST "+PathConsoleAudit, s.consolePage(s.consoleAuditRun, true))
	m.HandleFunc("GET "+PathConsoleExport, s.consoleCall(s.consoleExport))
	m.HandleFunc("GET "+PathConsoleOverviewJSON, s.consoleCall(s.consoleOverviewJSON))
	m.HandleFunc(PathConsole+"/", s.consolePage(func(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
		http.NotFound(w, r)
	}, false))
}

// consoleCtx is what a console handler gets: the session and its labels.
type consoleCtx struct {
	id   string
	sess consoleSession
	L    consoleLabels
}

// session returns the request's console session. Errors: errNoSession,
// errSessionExpired.
func (s *Server) session(r *http.Request) (string, consoleSession, error) {
	ck, err := r.Cookie(consoleCookie)
	if err != nil || ck.Value == "" {
		return "", consoleSession{}, errNoSession
	}
	sess, err := s.consoleSessions.get(ck.Value, s.now())
	return ck.Value, sess, err
}

// consolePage wraps a page handler: without a live session it sends the
// browser to the sign-in page; a POST must carry the session's CSRF token.
func (s *Server) consolePage(h func(http.ResponseWriter, *http.Request, *consoleCtx), post bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, sess, err := s.session(r)
		if err != nil {
			q := url.Values{}
			if errors.Is(err, errSessionExpired) {
				q.Set("expired", "1")
			}
			if l := r.URL.Query().Get("lang"); l != "" {
				q.Set("lang", l)
			}
			target := PathConsoleSignIn
			if len(q) > 0 {
				target += "?" + q.Encode()
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if l := r.URL.Query().Get("lang"); l != "" {
			sess.lang = consoleLang(l, "").lang
			s.consoleSessions.setLang(id, sess.lang)
		}
		c := &consoleCtx{id: id, sess: sess, L: consoleLang(sess.lang, r.Header.Get("Accept-Language"))}
		if post {
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.csrf)) != 1 {
				s.consoleMessage(w, r, c, http.StatusForbidden, c.L.Get("csrf"))
				return
			}
		}
		h(w, r, c)
	}
}

// consoleCall wraps a call (JSON or a download): without a live session it
// answers 401 JSON.
func (s *Server) consoleCall(h func(http.ResponseWriter, *http.Request, *consoleCtx) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, sess, err := s.session(r)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("sign in to the console at %s first (%v): %w", PathConsoleSignIn, err, eula.ErrUnauthorized))
			return
		}
		c := &consoleCtx{id: id, sess: sess, L: consoleLang(sess.lang, r.Header.Get("Accept-Language"))}
		if err := h(w, r, c); err != nil {
			s.writeError(w, r, err)
		}
	}
}

func (s *Server) consoleSignInForm(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.session(r); err == nil {
		http.Redirect(w, r, PathConsole, http.StatusSeeOther)
		return
	}
	L := consoleLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	d := signInData{consoleData: consoleData{L: L}, Token: s.csrf.token()}
	if r.URL.Query().Get("expired") == "1" {
		d.Problem = L.Get("signin.expired")
	}
	s.consoleServe(w, r, http.StatusOK, L, d.view())
}

// signInData is what the sign-in page shows.
type signInData struct {
	consoleData
	// Token is the sign-in form's CSRF token (the page has no session).
	Token   string
	Problem string
}

// consoleSignIn signs in with the administrator token. A client that gave
// too many wrong tokens is answered 429 until its wait is over (see
// signInLimit), whatever token it gives.
func (s *Server) consoleSignIn(w http.ResponseWriter, r *http.Request) {
	L := consoleLang(r.PostFormValue("lang"), r.Header.Get("Accept-Language"))
	d := signInData{consoleData: consoleData{L: L}, Token: s.csrf.token()}
	client := clientOf(r)
	if wait := s.signIns.wait(client, s.now()); wait > 0 {
		secs := retrySeconds(wait)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		s.log.WarnContext(r.Context(), "console sign-in limited", slog.String("client", r.RemoteAddr), slog.Int64("retry_after_s", secs))
		d.Problem = L.Format("signin.wait", secs)
		s.consoleServe(w, r, http.StatusTooManyRequests, L, d.view())
		return
	}
	if err := s.csrf.check(r.PostFormValue("csrf")); err != nil {
		d.Problem = L.Get("csrf")
		s.consoleServe(w, r, http.StatusForbidden, L, d.view())
		return
	}
	if !s.adminTokenMatches(client, r.PostFormValue("token")) {
		s.log.WarnContext(r.Context(), "console sign-in refused", slog.String("client", r.RemoteAddr))
		d.Problem = L.Get("signin.wrong")
		if len(s.adminToken) == 0 {
			d.Problem = L.Get("signin.disabled")
		}
		s.consoleServe(w, r, http.StatusUnauthorized, L, d.view())
		return
	}
	id, _ := s.consoleSessions.create(L.lang, s.now())
	http.SetCookie(w, &http.Cookie{
		Name: consoleCookie, Value: id, Path: PathConsole, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	s.log.InfoContext(r.Context(), "console sign-in", slog.String("session", sessionTag(id)), slog.String("client", r.RemoteAddr))
	http.Redirect(w, r, PathConsole, http.StatusSeeOther)
}

// sessionTag names a session in logs without giving out its id.
func sessionTag(id string) string {
	h := sha256.Sum256([]byte("eulagate console session\n" + id))
	return hex.EncodeToString(h[:6])
}

func (s *Server) consoleSignOut(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	s.consoleSessions.end(c.id)
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: "", Path: PathConsole, MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	s.log.InfoContext(r.Context(), "console sign-out", slog.String("session", sessionTag(c.id)))
	L := c.L
	s.consoleServe(w, r, http.StatusOK, L, signInData{consoleData: consoleData{L: L}, Token: s.csrf.token(), Problem: L.Get("signout.done")}.view())
}

// queryOf reads a console search from URL parameters. Errors wrap
// eula.ErrInvalid.
func queryOf(v url.Values) (eula.Query, error) {
	q := eula.Query{
		Filter: eula.Filter{Product: v.Get("product"), Version: v.Get("version"),
			Role: eula.Role(v.Get("role")), Decision: eula.Decision(v.Get("decision"))},
		MachineID: v.Get("machine"), Reference: v.Get("reference"), Organization: v.Get("organization"),
	}
	var err error
	if q.Since, err = eula.ParseFilterTime(v.Get("since")); err != nil {
		return q, err
	}
	if q.Until, err = eula.ParseFilterTime(v.Get("until")); err != nil {
		return q, err
	}
	if u := v.Get("until"); len(u) == len("2006-01-02") && !q.Until.IsZero() {
		q.Until = q.Until.AddDate(0, 0, 1) // a day named as the end is included
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			return q, fmt.Errorf("page %q: not a page number: %w", p, eula.ErrInvalid)
		}
		q.Offset = (n - 1) * consolePageSize
	}
	q.Limit = consolePageSize
	return q, nil
}

func (s *Server) consoleExport(w http.ResponseWriter, r *http.Request, c *consoleCtx) error {
	q, err := queryOf(r.URL.Query())
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	ext, ctype := "jsonl", "application/jsonl; charset=utf-8"
	switch format {
	case eula.FormatCSV:
		ext, ctype = "csv", "text/csv; charset=utf-8"
	case "", eula.FormatJSONL:
	default:
		return fmt.Errorf("format must be %s or %s: %w", eula.FormatJSONL, eula.FormatCSV, eula.ErrInvalid)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", "attachment; filename=eulagate-records."+ext)
	h.Set("Cache-Control", "no-store")
	s.log.InfoContext(r.Context(), "console export", slog.String("session", sessionTag(c.id)), slog.String("format", ext), slog.Any("fields", queryFields(r.URL.Query())))
	if err := s.reg.ExportSearch(r.Context(), q, format, streaming(w)); err != nil {
		// The status line is sent: the truncated body is all that can tell.
		s.log.ErrorContext(r.Context(), "console export failed", slog.Any("err", err))
	}
	return nil
}

func (s *Server) consoleOverviewJSON(w http.ResponseWriter, r *http.Request, c *consoleCtx) error {
	o, err := s.reg.Overview(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// emailTag names a data subject in logs without their address.
func emailTag(email string) string {
	h := sha256.Sum256([]byte("eulagate subject\n" + eula.NormalizeEmail(email)))
	return hex.EncodeToString(h[:6])
}

func (s *Server) consoleAccess(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	email := r.PostFormValue("email")
	if eula.NormalizeEmail(email) == "" {
		s.consoleServe(w, r, http.StatusUnprocessableEntity, c.L, s.privacyData(c, email, c.L.Get("privacy.noemail")).view())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", "attachment; filename=eulagate-subject.json")
	h.Set("Cache-Control", "no-store")
	s.log.InfoContext(r.Context(), "console subject access", slog.String("session", sessionTag(c.id)), slog.String("subject", emailTag(email)))
	if err := s.reg.Subject(r.Context(), email, w); err != nil {
		s.log.ErrorContext(r.Context(), "console subject access failed", slog.Any("err", err))
	}
}

// consoleErase asks for confirmation first, stating what stays and what
// goes; with confirm=yes it erases.
func (s *Server) consoleErase(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	email := r.PostFormValue("email")
	if eula.NormalizeEmail(email) == "" {
		s.consoleServe(w, r, http.StatusUnprocessableEntity, c.L, s.privacyData(c, email, c.L.Get("privacy.noemail")).view())
		return
	}
	d := s.privacyData(c, email, "")
	if r.PostFormValue("confirm") != "yes" {
		n, err := s.reg.SubjectCount(r.Context(), email)
		if err != nil {
			s.consoleFault(w, r, c, err)
			return
		}
		d.Found, d.Confirm = n, true
		s.consoleServe(w, r, http.StatusOK, c.L, d.view())
		return
	}
	ids, err := s.reg.Erase(r.Context(), email)
	if err != nil {
		s.consoleFault(w, r, c, err)
		return
	}
	s.log.InfoContext(r.Context(), "console erasure", slog.String("session", sessionTag(c.id)),
		slog.String("subject", emailTag(email)), slog.Int("records", len(ids)), slog.Any("ids", ids))
	d.Email, d.Erased, d.Done = "", len(ids), true
	s.consoleServe(w, r, http.StatusOK, c.L, d.view())
}

// queryFields names the fields a search gives, not their values: a
// reference code is a credential, and names are personal data.
func queryFields(v url.Values) []string {
	out := []string{}
	for k, vs := range v {
		if len(vs) > 0 && vs[0] != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
