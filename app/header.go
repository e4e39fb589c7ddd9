package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Header shows the product the reader is asked about, the document's title,
// version and hash, the language picker and the tools: find and print.
type Header struct {
	app.Compo

	View View
	Find FindResult
}

// Render implements app.Composer.
func (h *Header) Render() app.UI {
	v := h.View
	l := v.Labels
	return app.Header().Class("eula-header").Body(
		app.Div().Class("eula-header-top").Body(
			app.Div().Class("eula-heading").Body(
				app.If(v.ProductName != "",
					app.P().ID("eula-product").Class("eula-product").Text(v.ProductName),
				),
				app.H1().ID("eula-title").Text(v.Title),
				app.If(v.Version != "",
					app.P().Class("eula-meta").Body(
						app.Span().Class("eula-version").Text(l.Format("version", v.Version)),
						app.Span().Class("eula-sep").Text(" · "),
						app.Span().ID("eula-hash").Class("eula-hash").Text(l.Format("hash", v.Hash)),
					),
				),
			),
			app.If(len(v.Languages) > 1,
				&LanguagePicker{Languages: v.Languages, Lang: v.Lang, Query: v.Query, Labels: l},
			),
		),
		app.If(len(v.Sections) > 0,
			app.Div().Class("eula-toolbar").Body(
				&FindBox{Labels: l, Result: h.Find},
				app.Button().
					ID("eula-print").
					Class("eula-tool").
					Type("button").
					Text(l.Get("print")).
					OnClick(h.print),
			),
		),
	)
}

// originalAllKey is the label of the whole-document English original
// toggle.
func originalAllKey(on bool) string {
	if on {
		return "original.hideAll"
	}
	return "original.showAll"
}

func (h *Header) print(ctx app.Context, e app.Event) { ctx.NewAction(ActionPrint) }
