package app

import (
	"maps"
	"net/url"
	"slices"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/eulagate/eulagate/api"
)

// Page is the viewer's root component: the document in the chosen language
// and the decision controls. It loads its View through ActionLoad and shows
// the Outcome published after a decision.
type Page struct {
	app.Compo

	view       View
	outcome    Outcome
	find       FindResult
	reachedEnd bool
	// mustRead is the page's address asking for must-read: it holds
	// whatever View shows, also one the service worker kept for another
	// address.
	mustRead bool
	showAll  bool            // the English original beside every section
	shown    map[string]bool // sections whose English original is shown
}

// OnInit takes the View the browser already shows (prerendered by the
// server), so that the first render in the browser repeats it instead of
// blanking it.
func (p *Page) OnInit() {
	if v, ok := preloaded(); ok {
		p.view = v
	}
	if app.IsClient {
		p.mustRead = ParseQuery(app.Window().URL()).MustRead
	}
}

// OnPreRender loads the View on the server, for the prerendered page.
func (p *Page) OnPreRender(ctx app.Context) { p.load(ctx) }

// OnNav loads the View in the browser and, when the embedding asked that
// the document be read to the end, watches for the end.
func (p *Page) OnNav(ctx app.Context) {
	p.load(ctx)
	ctx.ObserveState(StateFind).Value(&p.find)
	ctx.ObserveState(StateReachedEnd).Value(&p.reachedEnd)
	if !p.reachedEnd && ParseQuery(ctx.Page().URL()).MustRead {
		ctx.NewAction(ActionWatchEnd)
	}
}

func (p *Page) load(ctx app.Context) {
	ctx.ObserveState(StateView).Value(&p.view)
	ctx.ObserveState(StateOutcome).Value(&p.outcome)
	ctx.NewActionWithValue(ActionLoad, ParseQuery(ctx.Page().URL()))
}

// Render implements app.Composer.
func (p *Page) Render() app.UI {
	v := p.view
	l := v.Labels
	out := p.outcome
	if out == (Outcome{}) && v.Outcome != nil {
		out = *v.Outcome
	}
	// A confirmation whose code is refused offers nothing to decide.
	refused := v.Confirmation != nil && v.Confirmation.Problem != ""
	class := "eula-page"
	if v.Query.Kiosk {
		class += " eula-kiosk"
	}
	if p.anyOriginalShown() {
		class += " eula-page-wide"
	}
	return app.Div().
		ID("eula-page").
		Class(class).
		Lang(attr(v.Lang)).
		Dir(attr(v.Dir)).
		DataSet("wasm", wasmMarker()).
		DataSet("wasm-failed", attr(l.Get("wasm.failed"))).
		DataSet("mustread", onOff(v.Query.MustRead)).
		DataSet("reached-end", onOff(p.reachedEnd)).
		Body(
			app.If(!v.Query.ReadOnly && !refused && v.Version != "" && (out.Decision == "" || out.Error != ""),
				app.A().ID("eula-skip-decision").Class("eula-skip").Href("#eula-decision").Text(l.Get("skip.decision")).OnClick(inPageLink),
			),
			app.A().Class("eula-skip").Href("#eula-document").Text(l.Get("skip")).OnClick(inPageLink),
			&Header{View: v, Find: p.find},
			app.Main().ID("main").Body(
				app.If(v.Error != "", app.P().Class("eula-error").Role("alert").Text(v.Error)),
				confirmationPanel(v),
				&Notices{View: v, ShowAll: p.showAll, onShowAll: p.setShowAll},
				&Contents{View: v},
				&ChangesPanel{Changes: v.Changes, Labels: v.Labels},
				&Document{View: v, ShowAll: p.showAll, Shown: p.shown, onToggle: p.toggle},
				app.If(len(v.Sections) > 0,
					app.P().ID("eula-end").Class("eula-end").Text(l.Get("end")),
				),
				app.If(app.IsServer && len(v.Sections) > 0 && v.Query.MustRead && !v.Query.ReadOnly && !v.ReadToEnd && v.Outcome == nil,
					readToEndForm(v),
				),
			),
			app.If(!refused, app.Footer().Class("eula-footer").Body(
				app.If(v.Query.ReadOnly,
					app.P().ID("eula-readonly").Class("eula-notice").Role("note").Text(l.Get("readonly")),
				),
				app.If(!v.Query.ReadOnly && !refused && (out.Decision == "" || out.Error != ""),
					&DecisionBar{View: v, Pending: out.Pending, MustRead: (v.Query.MustRead || p.mustRead) && !p.reachedEnd && !v.ReadToEnd},
				),
				&OutcomePanel{Outcome: out, Labels: l},
			)),
			prerenderedView(v),
		)
}

// confirmationPanel returns the ConfirmationPanel of a first-boot
// confirmation page, or nil.
func confirmationPanel(v View) app.UI {
	if v.Confirmation == nil {
		return nil
	}
	return &ConfirmationPanel{Confirmation: *v.Confirmation, ProductName: v.ProductName, Labels: v.Labels}
}

func (p *Page) setShowAll(on bool) {
	p.showAll = on
	p.shown = nil
}

func (p *Page) toggle(id string) {
	// A new map, not the same one changed: the Document compares it with
	// the one it has (see Document.Shown).
	shown := maps.Clone(p.shown)
	if shown == nil {
		shown = map[string]bool{}
	}
	open := p.showAll || shown[id]
	if p.showAll {
		// Leaving the whole-document view for one section: keep the others
		// open.
		p.showAll = false
		for _, s := range p.view.Original {
			shown[s.ID] = true
		}
	}
	shown[id] = !open
	p.shown = shown
}

func (p *Page) anyOriginalShown() bool {
	if !p.view.Translated() {
		return false
	}
	if p.showAll {
		return true
	}
	for _, on := range p.shown {
		if on {
			return true
		}
	}
	return false
}

// inPageLink leaves a link to a place in the page (a skip link) to the
// browser, which moves the focus to its target. go-app's own handler of
// every link click, on the window, takes the click over and only scrolls,
// leaving the focus on the link: the click goes no further than the link.
// web/internal/goappfix lists it among the go-app workarounds.
func inPageLink(ctx app.Context, e app.Event) {
	e.Call("stopPropagation")
}

// onOff returns "on" or "off" for a data attribute (go-app's server HTML
// writes the value "true" as a bare attribute, which reads as "").
func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func boolString(b bool) string {
	if b {
		return trueAttr()
	}
	return "false"
}

// wasmMarker is the page's data-wasm attribute: "on" once the wasm has
// rendered the page, so that hosts, styles and tests can tell.
func wasmMarker() string {
	if app.IsClient {
		return "on"
	}
	return "off"
}

// ViewElementID is the id of the element that carries the prerendered
// View in the page.
const ViewElementID = "eula-view"

// prerenderedView is the View the server prerendered, without its
// sections' HTML (which the page carries as HTML), for the browser's first
// render to start from: JSON in a script element, after the decision form
// so that it delays neither the text nor the form. json.Marshal escapes <,
// > and &, so the JSON cannot end the element.
//
// In the browser it is nil, and the View is not encoded: an argument to
// app.If would be, on every render.
func prerenderedView(v View) app.UI {
	if !app.IsServer {
		return nil
	}
	return app.Raw(`<script type="application/json" id="` + ViewElementID + `">` + viewMeta(v) + `</script>`)
}

// readToEndForm is must-read without a script: a plain form at the end of
// the text that tells the server the reader got there; the server sends
// the reader back to the page with "I accept" enabled. The wasm, which
// sees the end itself, renders no such form.
func readToEndForm(v View) app.UI {
	q := v.Query.Values()
	hidden := []app.UI{app.Input().Type("hidden").Name("csrf").Value(attr(v.CSRF))}
	for _, k := range sortedKeys(q) {
		hidden = append(hidden, app.Input().Type("hidden").Name(attr(k)).Value(attr(q.Get(k))))
	}
	return app.Form().
		ID("eula-read-form").
		Class("eula-read-form").
		Method("post").
		Action(PathReadToEnd).
		Body(append(hidden,
			app.Button().ID("eula-read-end").Class("eula-button").Type("submit").Text(v.Labels.Get("mustread.done")),
		)...)
}

// PathReadToEnd is where the plain "I have read to the end" form posts.
const PathReadToEnd = api.PathReadToEnd

// sortedKeys returns the keys of q in order, so that the form's markup is
// the same from one render to the next.
func sortedKeys(q url.Values) []string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
