package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Page is the viewer's root component: the document in the chosen language
// and the decision controls. It loads its View through ActionLoad and shows
// the Outcome published after a decision.
type Page struct {
	app.Compo

	view    View
	outcome Outcome
}

// OnInit takes the View the browser already shows (prerendered by the
// server), so that the first render in the browser repeats it instead of
// blanking it.
func (p *Page) OnInit() {
	if v, ok := preloaded(); ok {
		p.view = v
	}
}

// OnPreRender loads the View on the server, for the prerendered page.
func (p *Page) OnPreRender(ctx app.Context) { p.load(ctx) }

// OnNav loads the View in the browser.
func (p *Page) OnNav(ctx app.Context) { p.load(ctx) }

func (p *Page) load(ctx app.Context) {
	ctx.ObserveState(StateView).Value(&p.view)
	ctx.ObserveState(StateOutcome).Value(&p.outcome)
	ctx.NewActionWithValue(ActionLoad, ParseQuery(ctx.Page().URL()))
}

// Render implements app.Composer.
func (p *Page) Render() app.UI {
	v := p.view
	out := p.outcome
	if out == (Outcome{}) && v.Outcome != nil {
		out = *v.Outcome
	}
	return app.Div().
		ID("eula-page").
		Class("eula-page").
		Lang(attr(v.Lang)).
		Dir(attr(v.Dir)).
		DataSet("view", attr(v.Meta())).
		DataSet("wasm", wasmMarker()).
		Body(
			&Header{View: v},
			app.Main().ID("main").Body(
				app.If(v.Error != "", app.P().Class("eula-error").Role("alert").Text(v.Error)),
				&Document{View: v},
			),
			app.Footer().Class("eula-footer").Body(
				app.If(out.Decision == "" || out.Error != "",
					&DecisionBar{View: v, Pending: out.Pending},
				),
				&OutcomePanel{Outcome: out},
			),
		)
}

// wasmMarker is the page's data-wasm attribute: "on" once the wasm has
// rendered the page, so that hosts, styles and tests can tell.
func wasmMarker() string {
	if app.IsClient {
		return "on"
	}
	return "off"
}
