package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// ConfirmationPanel opens the first-boot confirmation page: who accepted
// for whom and when, with the reference code, or why the code cannot be
// confirmed here.
type ConfirmationPanel struct {
	app.Compo

	Confirmation Confirmation
	ProductName  string
	Labels       Labels
}

// Render implements app.Composer.
func (c *ConfirmationPanel) Render() app.UI {
	cf := c.Confirmation
	l := c.Labels
	if cf.Problem != "" {
		return app.P().ID("confirm-problem").Class("eula-error").Role("alert").Text(cf.Problem)
	}
	return app.Section().ID("confirm").Class("eula-notice eula-confirmation").Aria("labelledby", "confirm-title").Body(
		app.H2().ID("confirm-title").Text(l.Get("dealer.confirm.title")),
		app.P().ID("confirm-summary").Text(cf.Summary),
		app.P().Class("eula-meta").Body(
			app.Span().Text(l.Get("dealer.receipt.reference")+":"),
			app.Strong().ID("confirm-reference").Text(cf.Reference),
			app.If(c.ProductName != "",
				app.Span().Class("eula-sep").Text(" · "),
				app.Span().Text(l.Get("dealer.receipt.product")+":"),
				app.Span().ID("confirm-product").Text(c.ProductName),
			),
		),
		app.P().Text(l.Get("dealer.confirm.intro")),
	)
}
