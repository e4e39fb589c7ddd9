package client

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
)

// apiClient calls the HTTP API through the browser's fetch.
var apiClient = api.NewClient(api.DoerFunc(fetch))

// Register installs the browser-side action handlers and the preloaded View.
// The wasm main calls it before app.RunWhenOnBrowser.
func Register() {
	snap := &snapshot{hurry: make(chan struct{})}
	ui.SetPreloaded(snap.take)
	app.Handle(ui.ActionLoad, snap.load)
	app.Handle(ui.ActionDecide, decide)
	app.Handle(ui.ActionSwitchLanguage, snap.switchLanguage)
	app.Handle(ui.ActionFind, find)
	app.Handle(ui.ActionWatchEnd, watchEnd)
	app.Handle(ui.ActionFocus, focus)
	app.Handle(ui.ActionPrint, snap.print)
	app.Handle(ui.ActionLoadOriginals, snap.loadOriginals)
	app.Handle(ui.ActionLanguageIntent, snap.languageIntent)
}

// Where the reader's choice of language is remembered: local storage in the
// browser, and a cookie that the server reads (web's langCookie) so that it
// prerenders in the same language.
const (
	storageLang = "eulagate.lang"
	cookieLang  = "eulagate_lang"
)

// labels are the interface strings of the View shown last, for the
// messages the handlers publish.
var (
	labelsMu sync.Mutex
	labels   ui.Labels
)

func label(key string) string {
	labelsMu.Lock()
	defer labelsMu.Unlock()
	return labels.Get(key)
}

// setView publishes v and remembers it as the current View.
func (s *snapshot) setView(ctx app.Context, v ui.View) {
	s.remember(ctx, v)
	ctx.SetState(ui.StateView, v)
}

// remember remembers v as the current View and makes the page's language,
// title and messages its own, without publishing it: for the prerendered
// View, which the Page already shows (Page.OnInit).
func (s *snapshot) remember(ctx app.Context, v ui.View) {
	if v.Labels != nil {
		labelsMu.Lock()
		labels = v.Labels
		labelsMu.Unlock()
	}
	s.mu.Lock()
	if v.Error == "" {
		s.current, s.hasCurrent = v, true
		if !adopts(v) {
			s.replaced = true
		}
	}
	s.mu.Unlock()
	if v.Lang != "" {
		ctx.Page().SetLang(v.Lang)
	}
	if v.Title != "" {
		ctx.Page().SetTitle(v.Title)
	}
}

// snapshot is the View that the server prerendered, read from the DOM once
// before go-app replaces it.
type snapshot struct {
	once sync.Once
	view ui.View
	ok   bool

	mu         sync.Mutex
	current    ui.View // the View shown last
	hasCurrent bool
	// replaced is set once a View with its own HTML has been shown: the
	// prerendered bodies are gone from the page, so view (whose sections
	// only take them over) must not be shown again.
	replaced bool
	// ahead holds the Views of the other languages the reader may switch
	// to, fetched once the page is idle (see prefetch), by query: those
	// arrived and those on their way.
	ahead map[string]*aheadView
	// hurry is closed once the reader reaches for the language picker:
	// prefetch then stops waiting for the page to be idle.
	hurry     chan struct{}
	hurryOnce sync.Once
}

// aheadView is a View fetched ahead: done is closed once v has arrived,
// or failed (its Error set).
type aheadView struct {
	done chan struct{}
	v    ui.View
}

// adopts reports whether v takes over the prerendered section bodies.
func adopts(v ui.View) bool {
	all := func(secs []ui.Section) bool {
		for _, sec := range secs {
			if !sec.Adopt {
				return false
			}
		}
		return true
	}
	return len(v.Sections) > 0 && all(v.Sections) && all(v.Original)
}

func (s *snapshot) read() {
	s.once.Do(func() {
		s.view, s.ok = readPrerendered()
	})
}

func (s *snapshot) take() (ui.View, bool) {
	s.read()
	return s.view, s.ok
}

func (s *snapshot) load(ctx app.Context, a app.Action) {
	q, _ := a.Value.(ui.Query) // a wrong type loads the default view
	s.read()
	s.mu.Lock()
	cur, has, replaced := s.current, s.hasCurrent, s.replaced
	s.mu.Unlock()
	switch {
	case has && cur.Query == q:
		s.setView(ctx, cur)
		return
	case s.ok && !replaced && s.view.Query == q:
		if has {
			s.setView(ctx, s.view)
		} else {
			s.remember(ctx, s.view) // the Page starts from it: no need to render it again
			s.prefetch(ctx, s.view)
		}
		// The reader's earlier choice comes after an explicit one and
		// before the browser's preferences.
		remembered := rememberedLang()
		switch {
		case q.Lang == "" && remembered != "" && remembered != s.view.Lang:
			s.show(ctx, q, remembered, nil)
		case q.Lang == "" && remembered == "" && s.view.LangBasis == ui.LangPreferences:
			s.preferNavigator(ctx, q)
		}
		return
	}
	ctx.Async(func() {
		v := loadView(q)
		if v.Error != "" && s.ok && !replaced {
			// Offline, with a page the service worker kept for another
			// address: keep showing its text, with the must-read rule
			// asked for now.
			v = s.view
			v.Query.MustRead = q.MustRead
		}
		ctx.Dispatch(func(ctx app.Context) { s.setView(ctx, v) })
	})
}

// loadView fetches the View for q from the API.
func loadView(q ui.Query) ui.View { return loadViewPrefer(q, "") }

// loadViewPrefer fetches the View for q, chosen by the preferences prefer
// (navigator.languages) instead of the Accept-Language header if not empty.
func loadViewPrefer(q ui.Query, prefer string) ui.View {
	v, err := viewClient.View(context.Background(), api.ViewRequest{Query: q, Prefer: prefer})
	if err != nil {
		return ui.View{Error: failure(err, "error.load", "error.read")}
	}
	markHeld(&v)
	return v
}

// switchLanguage answers ActionSwitchLanguage: it remembers the choice,
// puts it in the page's URL (so that a reload shows the same), and shows
// the View in that language at the reader's place.
func (s *snapshot) switchLanguage(ctx app.Context, a app.Action) {
	lang, _ := a.Value.(string)
	if lang == "" {
		return
	}
	q := s.shown().Query
	s.show(ctx, q, lang, func() { rememberLang(lang) })
}

// show shows the View for q in lang, keeping the reader's place; once the
// text where the reader is has changed (or the View could not be had), it
// records lang in the page's URL and calls then, if not nil.
func (s *snapshot) show(ctx app.Context, q ui.Query, lang string, then func()) {
	q.Lang = lang
	at := app.Window().Get("eulagate").Call("place")
	id, ratio := at.Index(0).String(), at.Index(1).Float()
	record := func() {
		u := app.Window().URL()
		u.RawQuery = q.Encode()
		app.Window().Get("history").Call("replaceState", nil, "", u.String())
		if then != nil {
			then()
		}
	}
	ctx.Async(func() {
		v := s.fetchAhead(q)
		cur := s.shown()
		if v.Error != "" {
			record()
			return // keep showing the current language
		}
		// The text changes where the reader is first; the rest of it, and
		// the English originals (hidden until asked for) with their
		// buttons and the notice that the original prevails, once that is
		// painted.
		first := v
		later := false
		switch {
		case len(v.Original) == 0:
		case cur.OriginalLater && sameIDs(cur.Sections, v.Original):
			// The English original not fetched yet, and none open: its
			// buttons stay, and it comes with the rest.
			first.Original, first.OriginalLater, later = nil, true, true
		case sameText(cur.Original, v.Original):
			// The same English original, as the page shows it now (open
			// where the reader opened it): the sections keep their
			// height, and the reader's place with it.
			first.Original = cur.Original
			later = later || !sameSections(cur.Original, v.Original)
		default:
			first.Original, later = nil, true
		}
		if secs, ok := nearFirst(cur.Sections, v.Sections, near()); ok {
			first.Sections, first.Partial, later = secs, true, true
		}
		rendered := make(chan struct{})
		ctx.Dispatch(func(ctx app.Context) {
			s.setView(ctx, first)
			app.Window().Get("eulagate").Call("restore", id, ratio, v.Lang)
			ctx.Defer(func(app.Context) { close(rendered) })
		})
		<-rendered
		afterPaint()
		record()
		if later {
			ctx.Dispatch(func(ctx app.Context) {
				s.mu.Lock()
				still := s.current.Lang == v.Lang
				s.mu.Unlock()
				if still {
					s.setView(ctx, v)
				}
			})
		}
	})
}

// near returns the sections on screen or close to it (boot.js).
func near() map[string]bool {
	ids := app.Window().Get("eulagate").Call("near")
	out := make(map[string]bool, ids.Length())
	for i := 0; i < ids.Length(); i++ {
		out[ids.Index(i).String()] = true
	}
	return out
}

// nearFirst returns next's sections with only those in near changed: the
// others keep cur's (the same HTML, which go-app leaves in place), for a
// first frame. It reports false when the two documents' sections differ or
// nothing would be left for later.
func nearFirst(cur, next []ui.Section, near map[string]bool) ([]ui.Section, bool) {
	if len(cur) != len(next) || len(near) == 0 || len(near) >= len(next) {
		return nil, false
	}
	out := make([]ui.Section, len(next))
	for i := range next {
		if cur[i].ID != next[i].ID {
			return nil, false
		}
		out[i] = next[i]
		if !near[next[i].ID] {
			out[i].HTML, out[i].Adopt, out[i].Held = cur[i].HTML, cur[i].Adopt, cur[i].Held
		}
	}
	return out, true
}

// prefetch fetches, once the page is idle, the Views of the other
// languages v is offered in, side by side, so that switching to one need
// not wait for the network.
func (s *snapshot) prefetch(ctx app.Context, v ui.View) {
	if len(v.Languages) < 2 || saveData() {
		return
	}
	ctx.Async(func() {
		whenIdle(s.hurry)
		var wg sync.WaitGroup
		for _, l := range v.Languages {
			if l.Tag == v.Lang {
				continue
			}
			q := v.Query
			q.Lang = l.Tag
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.fetchAhead(q) // offline, or refused: switching asks again
			}()
		}
		wg.Wait()
		// The English original the page left for later, now the page is
		// idle: shown at once when asked for, and printed.
		if !v.OriginalLater {
			return
		}
		if en, ok := s.english(v.Query); ok {
			ctx.Dispatch(func(ctx app.Context) { s.fillOriginals(ctx, v.Query, en) })
		}
	})
}

// fetchAhead returns the View for q: the one fetched ahead, waiting for
// it while its fetch is on its way, else fetched now and kept for the next
// ask. A View that could not be had (its Error set) is not kept: the next
// ask, or one waiting for it, fetches again.
func (s *snapshot) fetchAhead(q ui.Query) ui.View {
	key := q.Encode()
	for {
		s.mu.Lock()
		a := s.ahead[key]
		if a == nil {
			break // with s.mu held
		}
		s.mu.Unlock()
		<-a.done
		if a.v.Error == "" {
			return a.v
		}
	}
	a := &aheadView{done: make(chan struct{})}
	if s.ahead == nil {
		s.ahead = map[string]*aheadView{}
	}
	s.ahead[key] = a
	s.mu.Unlock()
	a.v = loadView(q)
	if a.v.Error != "" {
		s.mu.Lock()
		delete(s.ahead, key)
		s.mu.Unlock()
	}
	close(a.done)
	return a.v
}

// whenIdle waits until the browser is idle (requestIdleCallback), at most
// prefetchDelay, or until hurry is closed.
func whenIdle(hurry <-chan struct{}) {
	ric := app.Window().Get("requestIdleCallback")
	if !ric.Truthy() {
		select {
		case <-time.After(prefetchDelay):
		case <-hurry:
		}
		return
	}
	done := make(chan struct{})
	f := app.FuncOf(func(this app.Value, args []app.Value) any {
		close(done) // requestIdleCallback calls it once
		return nil
	})
	defer f.Release()
	handle := app.Window().Call("requestIdleCallback", f, map[string]any{"timeout": prefetchDelay.Milliseconds()})
	select {
	case <-done:
	case <-hurry:
		// Not called after its release.
		app.Window().Call("cancelIdleCallback", handle)
	}
}

// languageIntent answers ActionLanguageIntent: the reader reaches for the
// language picker, so the other languages are fetched now rather than once
// the page is idle.
func (s *snapshot) languageIntent(ctx app.Context, a app.Action) {
	s.hurryOnce.Do(func() { close(s.hurry) })
}

// prefetchDelay is how long after the page is up prefetch waits at most
// for the browser to be idle.
const prefetchDelay = 300 * time.Millisecond

// saveData reports whether the reader asked the browser to save data
// (Save-Data), in which case nothing is fetched ahead.
func saveData() bool {
	c := app.Window().Get("navigator").Get("connection")
	return c.Truthy() && c.Get("saveData").Truthy()
}

// sameSections reports whether a and b hold the same sections (by hash),
// in the same form (their HTML here, taken over from the page, held by the
// browser, or not fetched yet).
func sameSections(a, b []ui.Section) bool {
	if !sameText(a, b) {
		return false
	}
	for i := range a {
		if a[i].Adopt != b[i].Adopt || a[i].Held != b[i].Held || (a[i].HTML == "") != (b[i].HTML == "") {
			return false
		}
	}
	return true
}

// sameIDs reports whether a and b hold sections of the same ids.
func sameIDs(a, b []ui.Section) bool { return matching(a, b, false) }

// sameText reports whether a and b hold the sections of the same text (by
// hash), whatever their form.
func sameText(a, b []ui.Section) bool { return matching(a, b, true) }

// matching reports whether a and b hold sections of the same ids, and of
// the same hashes when hashes is set.
func matching(a, b []ui.Section, hashes bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || (hashes && a[i].Hash != b[i].Hash) {
			return false
		}
	}
	return true
}

// shown returns the View the page shows now.
func (s *snapshot) shown() ui.View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

// loadOriginals answers ActionLoadOriginals: it shows the English original
// beside the current View when the page left it for later
// (View.OriginalLater), from the English View fetched ahead, or fetched
// now.
func (s *snapshot) loadOriginals(ctx app.Context, a app.Action) {
	cur := s.shown()
	if !cur.OriginalLater {
		return
	}
	ctx.Async(func() {
		en, ok := s.english(cur.Query)
		if !ok {
			return // offline: the button stays, and asks again when pressed
		}
		ctx.Dispatch(func(ctx app.Context) { s.fillOriginals(ctx, cur.Query, en) })
	})
}

// english returns the View of the English document for q, fetched ahead or
// now, and whether there is one.
func (s *snapshot) english(q ui.Query) (ui.View, bool) {
	q.Lang = ui.OriginalLang
	v := s.fetchAhead(q)
	return v, v.Error == "" && v.Lang == ui.OriginalLang && len(v.Sections) > 0
}

// fillOriginals shows the current View, if it is still the one for q
// without its English original, with the original taken from en.
func (s *snapshot) fillOriginals(ctx app.Context, q ui.Query, en ui.View) {
	cur := s.shown()
	if cur.Query != q || !cur.OriginalLater {
		return
	}
	if sameIDs(en.Sections, cur.Sections) {
		s.setView(ctx, withOriginals(cur, en))
	}
}

// print answers ActionPrint: the printed copy carries the English original
// beside a translation, so it is fetched first where the page left it for
// later.
func (s *snapshot) print(ctx app.Context, a app.Action) {
	cur := s.shown()
	if !cur.OriginalLater {
		app.Window().Call("print")
		return
	}
	ctx.Async(func() {
		en, ok := s.english(cur.Query)
		ctx.Dispatch(func(ctx app.Context) {
			if ok {
				s.fillOriginals(ctx, cur.Query, en)
			}
			ctx.Defer(func(app.Context) {
				fillHeld() // now: the observer fills them once this task ends
				app.Window().Call("print")
			})
		})
	})
}

// afterPaint waits until the browser has painted a frame (or a tenth of a
// second has passed, in a hidden page where frames do not come).
func afterPaint() {
	done := make(chan struct{})
	f := app.FuncOf(func(this app.Value, args []app.Value) any {
		close(done) // eulagateAfterPaint calls it once
		return nil
	})
	defer f.Release()
	app.Window().Call("eulagateAfterPaint", f)
	<-done
}

// preferNavigator asks for the View again with navigator.languages when
// they differ from the Accept-Language header that chose the prerendered
// one (an installer's webview may send another), and shows it if its
// language differs.
func (s *snapshot) preferNavigator(ctx app.Context, q ui.Query) {
	langs := app.Window().Get("navigator").Get("languages")
	if !langs.Truthy() {
		return
	}
	nav := make([]string, langs.Length())
	for i := range nav {
		nav[i] = langs.Index(i).String()
	}
	if len(nav) == 0 || ui.SamePreferences(s.view.Preferences, nav) {
		return
	}
	ctx.Async(func() {
		v := loadViewPrefer(q, strings.Join(nav, ","))
		ctx.Dispatch(func(ctx app.Context) {
			if v.Error == "" && v.Lang != s.view.Lang {
				s.setView(ctx, v)
			}
		})
	})
}

// rememberedLang returns the language the reader chose earlier, from local
// storage.
func rememberedLang() string {
	ls := app.Window().Get("localStorage")
	if !ls.Truthy() {
		return ""
	}
	v := ls.Call("getItem", storageLang)
	if !v.Truthy() {
		return ""
	}
	return v.String()
}

// rememberLang keeps the reader's choice in local storage and in the cookie
// the server reads.
func rememberLang(lang string) {
	if ls := app.Window().Get("localStorage"); ls.Truthy() {
		ls.Call("setItem", storageLang, lang)
	}
	app.Window().Get("document").Set("cookie", cookieLang+"="+url.QueryEscape(lang)+"; path=/; max-age=31536000; SameSite=Lax")
}

// find answers ActionFind with the DOM helper of boot.js.
func find(ctx app.Context, a app.Action) {
	req, ok := a.Value.(ui.FindRequest)
	if !ok {
		return
	}
	r := app.Window().Get("eulagate").Call("find", req.Text, req.Step)
	ctx.SetState(ui.StateFind, ui.FindResult{Text: req.Text, Index: r.Index(0).Int(), Count: r.Index(1).Int()})
}

// watchEnd publishes StateReachedEnd once the end of the document is in
// view (at once if it already is).
func watchEnd(ctx app.Context, a app.Action) {
	ctx.Defer(func(ctx app.Context) {
		var done app.Func
		done = app.FuncOf(func(this app.Value, args []app.Value) any {
			ctx.Dispatch(func(ctx app.Context) { ctx.SetState(ui.StateReachedEnd, true) })
			done.Release()
			return nil
		})
		app.Window().Get("eulagate").Call("watchEnd", done)
	})
}

// focus answers ActionFocus: it moves the focus once the element is
// rendered.
func focus(ctx app.Context, a app.Action) {
	id, _ := a.Value.(string)
	app.Window().Get("eulagate").Call("focus", id)
}

func decide(ctx app.Context, a app.Action) {
	req, ok := a.Value.(ui.DecisionRequest)
	if !ok {
		return
	}
	ctx.SetState(ui.StateOutcome, ui.Outcome{Pending: true})
	ctx.Async(func() {
		r, err := send(req)
		var out ui.Outcome
		if err != nil {
			out.Error = decisionFailure(err)
		} else {
			out.Decision, out.RecordID = r.Decision, r.ID
			defer notifyHost(req, out, r.Receipt)
		}
		ctx.Dispatch(func(ctx app.Context) { ctx.SetState(ui.StateOutcome, out) })
	})
}

// send records the decision: as the confirmation of a dealer's acceptance
// on the first-boot confirmation page (req.Ref), else as a decision.
func send(req ui.DecisionRequest) (api.DecisionResponse, error) {
	opts := []api.CallOption{api.WithCSRFToken(req.CSRF), api.WithIdempotencyKey(req.IdempotencyKey)}
	if req.Ref == "" {
		return apiClient.Decide(context.Background(), req.DecisionRequest, opts...)
	}
	d := req.DecisionRequest
	r, err := apiClient.Confirm(context.Background(), req.Ref, api.ConfirmationRequest{
		Decision:  d.Decision,
		Product:   d.Product,
		Installer: api.ConfirmationInstaller{MachineID: d.Installer.MachineID, Version: d.Installer.Version},
		Document:  d.Document,
		Session:   d.Session,
	}, opts...)
	return api.DecisionResponse{ID: r.ID, Decision: d.Decision, Receipt: r.Receipt}, err
}

// failure returns the message the reader sees for a failed call, from the
// catalogs in the reader's language: the label of a refusal, of unreachable
// (no answer) or of unreadable (an answer the viewer cannot read). The
// server's own message, in English and written for programs, is never
// shown.
func failure(err error, unreachable, unreadable string) string {
	_, refused := api.AsError(err)
	switch {
	case refused:
		return label("error.refused")
	case errors.Is(err, api.ErrUnexpectedAnswer):
		return label(unreadable)
	}
	return label(unreachable)
}

// decisionFailure returns the message the reader sees when a decision was
// not recorded: what went wrong and what to do, by the error's code, as
// the plain form's problems say it.
func decisionFailure(err error) string {
	e, refused := api.AsError(err)
	if !refused {
		return failure(err, "error.send", "error.answer")
	}
	switch e.Code {
	case api.CodeForbidden:
		return label("problem.expired")
	case api.CodeConflict:
		return label("problem.conflict")
	case api.CodeTooLarge:
		return label("problem.too_large")
	case api.CodeInvalid:
		if strings.HasPrefix(e.Message, "product: ") {
			return label("problem.product")
		}
		return label("problem.invalid")
	}
	return label("error.refused")
}

// readPrerendered rebuilds the View the server rendered into the page from
// the JSON in its ViewElementID element, which names the sections by ID:
// each section's title and level are its heading's (the element with the
// section's ID), and its sections are marked Adopt: their HTML is the
// page's own. go-app does not hydrate: web/internal/goappfix lists this
// among the go-app workarounds.
func readPrerendered() (ui.View, bool) {
	doc := app.Window().Get("document")
	if !doc.Truthy() {
		return ui.View{}, false
	}
	data := doc.Call("getElementById", ui.ViewElementID)
	if !data.Truthy() {
		return ui.View{}, false
	}
	var v ui.View
	if err := decodeView(data.Get("textContent").String(), &v); err != nil {
		return ui.View{}, false
	}
	bodies := doc.Call("querySelectorAll", ".eula-section-body")
	if bodies.Length() != len(v.Sections) {
		return ui.View{}, false
	}
	for i := range v.Sections {
		h := doc.Call("getElementById", v.Sections[i].ID)
		if !h.Truthy() {
			return ui.View{}, false
		}
		tag := h.Get("tagName").String()
		if len(tag) != 2 || tag[0] != 'H' || tag[1] < '1' || tag[1] > '6' {
			return ui.View{}, false
		}
		v.Sections[i].Title = h.Get("textContent").String()
		v.Sections[i].Level = int(tag[1] - '0')
	}
	// The section bodies stay in the page: the first render takes them
	// over (boot.js's takeover) instead of copying their HTML into Go and
	// having the browser parse it again. Without boot.js (it did not run),
	// their HTML is copied: the text is never left behind.
	if eg := app.Window().Get("eulagate"); eg.Truthy() && eg.Get("takeover").Truthy() {
		for i := range v.Sections {
			v.Sections[i].Adopt = true
		}
		return v, true
	}
	for i := range v.Sections {
		v.Sections[i].HTML = bodies.Index(i).Get("innerHTML").String()
	}
	return v, true
}

// fetch calls the browser's fetch and waits for the whole response: the
// api.Doer of the browser side, which keeps net/http out of the wasm. The
// request carries the page's cookies (same origin only).
func fetch(_ context.Context, method, path string, header map[string]string, body []byte) (int, []byte, error) {
	status, text, err := fetchJS(method, path, header, body)
	if err != nil {
		return 0, nil, err
	}
	return status, []byte(text.String()), nil
}

// fetchJS calls the browser's fetch and returns the response's status and
// its body, a JavaScript string.
func fetchJS(method, path string, header map[string]string, body []byte) (int, app.Value, error) {
	headers := make(map[string]any, len(header))
	for k, v := range header {
		headers[k] = v
	}
	opts := map[string]any{"method": method, "credentials": "same-origin", "headers": headers}
	if body != nil {
		opts["body"] = string(body)
	}
	type result struct {
		status int
		body   app.Value
		err    error
	}
	done := make(chan result, 1)
	onError := app.FuncOf(func(this app.Value, args []app.Value) any {
		msg := "fetch failed"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		done <- result{err: errors.New(msg)}
		return nil
	})
	defer onError.Release()
	onResponse := app.FuncOf(func(this app.Value, args []app.Value) any {
		resp := args[0]
		status := resp.Get("status").Int()
		resp.Call("text").Then(func(text app.Value) {
			done <- result{status: status, body: text}
		})
		return nil
	})
	defer onResponse.Release()
	app.Window().Call("fetch", path, opts).Call("then", onResponse).Call("catch", onError)
	r := <-done
	return r.status, r.body, r.err
}
