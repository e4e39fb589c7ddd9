package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Notices opens the view: that the language asked for is not available,
// that the English original prevails over a translation (with a way to show
// it), and, when the page names a product, a link to its own terms.
type Notices struct {
	app.Compo

	View    View
	ShowAll bool
	// onShowAll is the Page's method, unexported for the reason given at
	// Document.onToggle.
	onShowAll func(on bool)
}

// Render implements app.Composer.
func (n *Notices) Render() app.UI {
	v := n.View
	l := v.Labels
	name := v.ProductName
	return app.Div().Class("eula-notices").Body(
		app.If(v.Notice != "",
			app.P().ID("eula-lang-notice").Class("eula-notice").Text(v.Notice),
		),
		app.If(v.Translated(),
			app.Div().ID("eula-prevails").Class("eula-notice eula-prevails").Lang(attr(v.Lang)).Body(
				app.P().Text(l.Get("prevails.notice")),
				n.showAll(),
			),
		),
		app.If(v.NoReturn,
			app.P().ID("eula-no-return").Class("eula-notice").Text(l.Get("kiosk.huskyReturn")),
		),
		app.If(v.ProductSection != "" && name != "",
			app.P().Class("eula-product-jump").Body(
				app.A().ID("eula-product-link").Href("#"+attr(v.ProductSection)).Text(l.Format("product.jump", name)),
			),
		),
	)
}

// showAll is the control that shows the English original beside the whole
// text: a button, or, in a first response without the original, a link to
// the English page, which a page without scripts keeps.
func (n *Notices) showAll() app.UI {
	v := n.View
	if v.OriginalLater && app.IsServer {
		return app.A().
			ID("eula-prevails-link").
			Class("eula-tool").
			Href(attr(OriginalHref(v.Query, ""))).
			HrefLang(OriginalLang).
			Text(v.Labels.Get("original.linkAll"))
	}
	return app.Button().
		ID("eula-prevails-show").
		Class("eula-tool").
		Type("button").
		Aria("pressed", boolString(n.ShowAll)).
		Text(v.Labels.Get(originalAllKey(n.ShowAll))).
		OnClick(n.toggle)
}

func (n *Notices) toggle(ctx app.Context, e app.Event) {
	if n.onShowAll != nil {
		n.onShowAll(!n.ShowAll)
	}
	if n.View.OriginalLater {
		ctx.NewAction(ActionLoadOriginals)
	}
}
