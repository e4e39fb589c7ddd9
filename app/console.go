package app

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Names of the console's action and state.
const (
	// ActionConsoleLoad asks for the ConsoleView of the page (no value). The
	// server answers it while it prerenders the page; in the browser the
	// first page takes the prerendered ConsoleView and every other console
	// page is loaded from the server whole.
	ActionConsoleLoad = "console/load"
	// StateConsole holds the current ConsoleView.
	StateConsole = "console/view"
)

// Paths of the administrators' console, each a page of ConsolePage.
const (
	PathConsole             = "/console"
	PathConsoleSignIn       = "/console/signin"
	PathConsoleSignOut      = "/console/signout"
	PathConsoleSearch       = "/console/search"
	PathConsoleInstallation = "/console/installation"
	PathConsolePrivacy      = "/console/privacy"
	PathConsoleAccess       = "/console/privacy/access"
	PathConsoleErase        = "/console/privacy/erase"
	PathConsoleAudit        = "/console/audit"
)

// consoleRoutes are the console's routes: every page a path can show,
// POST answers included (the browser shows them at the path posted to).
func consoleRoutes() []Route {
	paths := []string{PathConsole, PathConsole + "/", PathConsoleSignIn, PathConsoleSignOut, PathConsoleSearch,
		PathConsoleInstallation, PathConsolePrivacy, PathConsoleAccess, PathConsoleErase, PathConsoleAudit}
	out := make([]Route, len(paths))
	for i, p := range paths {
		out[i] = Route{Path: p, New: func() app.Composer { return &ConsolePage{} }}
	}
	return out
}

// The console's pages (ConsoleView.Page).
const (
	ConsoleSignIn       = "signin"
	ConsoleOverview     = "overview"
	ConsoleSearch       = "search"
	ConsoleInstallation = "installation"
	ConsolePrivacy      = "privacy"
	ConsoleAudit        = "audit"
	ConsoleMessage      = "message"
)

// ConsoleView is everything a console page shows, prepared by the server
// in the administrator's language: the components only lay it out.
type ConsoleView struct {
	// Page names the page (ConsoleSignIn, ...); Title is its heading.
	Page  string `json:"page"`
	Title string `json:"title"`
	Lang  string `json:"lang"`
	// Labels are the console's messages ("console." keys).
	Labels Labels `json:"labels"`
	// Languages are the languages to choose from, each named in itself.
	Languages []LanguageOption `json:"languages,omitempty"`
	// Path and Query are the page's URL, for the language picker.
	Path  string     `json:"path"`
	Query url.Values `json:"query,omitempty"`
	// CSRF is the session's token for the page's forms; empty when no one
	// is signed in (the sign-in page), which then shows no navigation.
	CSRF string `json:"csrf,omitempty"`
	// Nav is the path of the navigation entry that is the current page.
	Nav string `json:"nav,omitempty"`
	// Problem is an alert (what went wrong and what to do); Notice a
	// status message.
	Problem string `json:"problem,omitempty"`
	Notice  string `json:"notice,omitempty"`

	// SignInToken is the sign-in form's CSRF token (no session yet).
	SignInToken string `json:"signinToken,omitempty"`
	// Intro is the overview's first paragraph.
	Intro        string                   `json:"intro,omitempty"`
	Charts       []ConsoleChart           `json:"charts,omitempty"`
	Search       *ConsoleSearchView       `json:"search,omitempty"`
	Installation *ConsoleInstallationView `json:"installation,omitempty"`
	Privacy      *ConsolePrivacyView      `json:"privacy,omitempty"`
	Audit        *ConsoleAuditView        `json:"audit,omitempty"`
}

// ConsoleChart is a bar chart of the overview, with the table behind it.
type ConsoleChart struct {
	ID, Title string
	// Series name the columns; Classes style each series' bars (fixed
	// class names of the console's style sheet).
	Series, Classes []string
	Rows            []ConsoleChartRow
}

// ConsoleChartRow is one bar: its label and a value per series.
type ConsoleChartRow struct {
	Label  string
	Values []int64
}

// ConsoleSearchView is the search page: the form and the results.
type ConsoleSearchView struct {
	// Values are the form's values.
	Values    map[string]string
	Products  []ProductOption
	Decisions []ProductOption // value and label
	Roles     []string
	// Searched is set once a search ran; then Count ("Records found: N"),
	// Range and the results follow.
	Searched                  bool
	Count, Range, ExportCount string
	Total                     int64
	// More says the count stopped at a bound: the export holds more
	// than Total, and the browser saves it itself.
	More                     bool
	Records                  []ConsoleRecord
	PrevURL, NextURL         string
	CSVURL, JSONLURL         string
	ExportStatus, ExportDone string
	ExportFailed             string
	// ExportNative says that the browser saves the export itself (see
	// ExportInPageMax).
	ExportNative string
}

// ConsoleRecord is one record as a row of the search results.
type ConsoleRecord struct {
	Time, Machine, InstallationURL, Product, Version, Language string
	Decision, Role, Channel, Actor                             string
}

// ConsoleInstallationView is an installation's page.
type ConsoleInstallationView struct {
	Product, State, Current string
	Decisions               []ConsoleDecision
}

// ConsoleDecision is one decision on an installation's page, with its
// receipt's verification and its delegation chain.
type ConsoleDecision struct {
	Time, Summary, ID, Index string
	// Verified says the receipt verified; else Failed says why not.
	Verified, Failed string
	// Chain is the delegation chain, this record first; ChainOK and
	// ChainCheck say whether it justifies the acceptance.
	Chain      []string
	ChainOK    bool
	ChainCheck string
}

// ConsolePrivacyView is the privacy requests page.
type ConsolePrivacyView struct {
	Email string
	// Confirm asks to confirm an erasure: Found says what it erases.
	Confirm bool
	Found   string
}

// ConsoleAuditView is the audit page and, once run, its report.
type ConsoleAuditView struct {
	// Sources say what the audit holds the log to.
	Sources []string
	Ran     bool
	Clean   bool
	// Alert and Found head a report with findings.
	Alert, Found string
	Figures      []ConsoleFigure
	// Witnessed are the checkpoints witnessed before; Kept says what the
	// witness file keeps now.
	Witnessed []string
	Kept      string
	Findings  []ConsoleFinding
}

// ConsoleFigure is a labelled number of the audit's report.
type ConsoleFigure struct {
	Label string
	Value int64
}

// ConsoleFinding is one problem the audit found.
type ConsoleFinding struct {
	// Kind is the finding's kind as the audit names it; Meaning says what
	// it means in the reader's language.
	Kind, Meaning         string
	Index, Record, Detail string
}

// ConsoleViewElementID is the id of the element that carries the
// prerendered ConsoleView in the page.
const ConsoleViewElementID = "console-view"

// consolePreloaded is set once the first ConsolePage took the prerendered
// ConsoleView: any later console page is loaded from the server whole.
var consolePreloaded bool

// ConsolePage is the root component of every console page. The server
// prerenders it with plain forms and links, so it works without the wasm;
// in the browser it renders the same ConsoleView again, and navigating to
// another console page loads that page from the server.
type ConsolePage struct {
	app.Compo

	view ConsoleView
}

// OnInit takes the ConsoleView the browser already shows, once.
func (p *ConsolePage) OnInit() {
	if !app.IsClient || consolePreloaded {
		return
	}
	consolePreloaded = true
	doc := app.Window().Get("document")
	if !doc.Truthy() {
		return
	}
	data := doc.Call("getElementById", ConsoleViewElementID)
	if !data.Truthy() {
		return
	}
	var v ConsoleView
	if err := json.Unmarshal([]byte(data.Get("textContent").String()), &v); err == nil {
		p.view = v
	}
}

// OnPreRender loads the ConsoleView on the server.
func (p *ConsolePage) OnPreRender(ctx app.Context) {
	ctx.ObserveState(StateConsole).Value(&p.view)
	ctx.NewAction(ActionConsoleLoad)
}

// OnNav loads a console page the browser has no ConsoleView for from the
// server: its data needs the session, which only the server holds. go-app
// keeps this component when it navigates to another console page, so the
// URL tells whether the view is the page's.
func (p *ConsolePage) OnNav(ctx app.Context) {
	u := ctx.Page().URL()
	if app.IsClient && (p.view.Page == "" || u.Path != p.view.Path || u.Query().Encode() != p.view.Query.Encode()) {
		app.Window().Get("location").Set("href", u.String())
	}
}

// Render implements app.Composer.
func (p *ConsolePage) Render() app.UI {
	v := p.view
	l := consoleLabels(v.Labels)
	return app.Div().
		ID("console-page").
		Class("eula-page eula-page-wide").
		Lang(attr(v.Lang)).
		DataSet("wasm", wasmMarker()).
		DataSet("page", attr(v.Page)).
		Body(
			app.Raw(consoleStyle),
			app.A().Class("eula-skip").Href("#main").Text(l("skip")),
			app.Header().Class("eula-header").Body(
				app.Div().Class("eula-header-top").Body(
					app.Div().Class("eula-heading").Body(
						app.P().Class("eula-product").Text(l("title")),
						app.H1().Text(v.Title),
					),
					consoleNav(v, l),
					consoleLangPicker(v),
				),
			),
			app.Main().ID("main").Body(
				app.If(v.Problem != "", app.Div().Class("problem").Role("alert").Body(app.P().Text(v.Problem))),
				app.If(v.Notice != "", app.P().Class("eula-notice").Role("status").Text(v.Notice)),
				consoleBody(v, l),
			),
			consolePrerendered(v),
		)
}

// consoleLabels returns a function that gets a console message by its key
// without the "console." prefix.
func consoleLabels(labels Labels) func(string) string {
	return func(key string) string { return labels.Get("console." + key) }
}

// consolePrerendered is the ConsoleView the server prerendered, for the
// browser's first render to start from (see prerenderedView). In the
// browser it is nil.
func consolePrerendered(v ConsoleView) app.UI {
	if !app.IsServer {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return app.Raw(`<script type="application/json" id="` + ConsoleViewElementID + `">` + string(b) + `</script>`)
}

// consoleNav is the navigation of a signed-in administrator and the
// sign-out button; nothing when signed out.
func consoleNav(v ConsoleView, l func(string) string) app.UI {
	link := func(path, key string) app.UI {
		a := app.A().Href(path).Text(l(key))
		if v.Nav == path {
			a = a.Aria("current", "page")
		}
		return a
	}
	if v.CSRF == "" {
		return nil
	}
	return app.Nav().Class("console-nav").Aria("label", attr(l("nav"))).Body(
		app.If(v.CSRF != "",
			link(PathConsole, "overview"),
			link(PathConsoleSearch, "search"),
			link(PathConsolePrivacy, "privacy"),
			link(PathConsoleAudit, "audit"),
		),
		app.If(v.CSRF != "",
			app.Form().Method("post").Action(PathConsoleSignOut).Body(
				app.Input().Type("hidden").Name("csrf").Value(attr(v.CSRF)),
				app.Button().Class("eula-tool").Type("submit").Text(l("signout")),
			),
		),
	)
}

// consoleLangPicker chooses the console's language: the viewer's picker,
// a GET form to the same page, which the server remembers in the session.
// With the wasm, choosing a language sends the form.
func consoleLangPicker(v ConsoleView) app.UI {
	if len(v.Languages) < 2 {
		return nil
	}
	path := v.Path
	keep := v.Query
	if !strings.HasPrefix(path, PathConsole) || path == PathConsoleSignOut || path == PathConsoleAccess || path == PathConsoleErase {
		path = PathConsole // a POST's answer: choose the language on the overview
		keep = nil
	}
	if keep == nil {
		keep = url.Values{}
	}
	return &LanguagePicker{
		Languages: v.Languages,
		Lang:      v.Lang,
		Labels:    v.Labels,
		Action:    path,
		Plain:     true,
		Keep:      keep,
	}
}

// consoleBody is the page's own content.
func consoleBody(v ConsoleView, l func(string) string) app.UI {
	switch v.Page {
	case ConsoleSignIn:
		return consoleSignInForm(v, l)
	case ConsoleOverview:
		return consoleOverview(v, l)
	case ConsoleSearch:
		if v.Search != nil {
			return consoleSearchPage(v, l)
		}
	case ConsoleInstallation:
		if v.Installation != nil {
			return consoleInstallationPage(v, l)
		}
	case ConsolePrivacy:
		if v.Privacy != nil {
			return consolePrivacyPage(v, l)
		}
	case ConsoleAudit:
		if v.Audit != nil {
			return consoleAuditPage(v, l)
		}
	case ConsoleMessage:
		return app.P().Body(app.A().Href(PathConsole).Text(l("back")))
	}
	return nil
}
