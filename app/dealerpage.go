package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// DealerPage is the root component of the dealer's pages: the form on
// which a dealer accepts for a customer (View.DealerForm) and its receipt
// (View.Receipt). It has the viewer's header, language picker and style,
// and works as plain HTML before and without the wasm: the form is a real
// form that the server answers.
type DealerPage struct {
	app.Compo

	view View
}

// OnInit takes the View the server prerendered into the page.
func (p *DealerPage) OnInit() {
	if v, ok := preloaded(); ok {
		p.view = v
	}
}

// OnPreRender loads the View on the server, for the prerendered page.
func (p *DealerPage) OnPreRender(ctx app.Context) {
	ctx.ObserveState(StateView).Value(&p.view)
	ctx.NewActionWithValue(ActionLoad, ParseQuery(ctx.Page().URL()))
}

// OnNav gives the page, in the browser, the View's language and title.
func (p *DealerPage) OnNav(ctx app.Context) {
	if p.view.Lang != "" {
		ctx.Page().SetLang(p.view.Lang)
	}
	if p.view.Title != "" {
		ctx.Page().SetTitle(p.view.Title)
	}
}

// Render implements app.Composer.
func (p *DealerPage) Render() app.UI {
	v := p.view
	l := v.Labels
	path := PathDealer
	var body app.UI
	switch {
	case v.DealerForm != nil:
		body = &DealerFormPanel{Form: *v.DealerForm, Labels: l, Lang: v.Lang, CSRF: v.CSRF, IdempotencyKey: v.IdempotencyKey}
	case v.Receipt != nil:
		path = PathDealerReceipt
		body = &ReceiptPanel{Receipt: *v.Receipt, Labels: l}
	}
	return app.Div().
		ID("eula-page").
		Class("eula-page eula-dealer").
		Lang(attr(v.Lang)).
		Dir(attr(v.Dir)).
		DataSet("wasm", wasmMarker()).
		DataSet("wasm-failed", attr(l.Get("wasm.failed"))).
		Body(
			app.A().Class("eula-skip").Href("#main").Text(l.Get("dealer.skip")),
			app.Header().Class("eula-header").Body(
				app.Div().Class("eula-header-top").Body(
					app.Div().Class("eula-heading").Body(
						app.H1().ID("dealer-title").Text(v.Title),
					),
					app.If(len(v.Languages) > 1,
						&LanguagePicker{Languages: v.Languages, Lang: v.Lang, Query: v.Query, Labels: l, Action: path, Plain: true},
					),
				),
			),
			app.Main().ID("main").Body(
				app.If(v.Error != "", app.P().Class("eula-error").Role("alert").Text(v.Error)),
				body,
			),
			prerenderedView(v),
		)
}
