package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Header shows the product the reader is asked about and the document's
// title and version.
type Header struct {
	app.Compo

	View View
}

// Render implements app.Composer.
func (h *Header) Render() app.UI {
	v := h.View
	return app.Header().Class("eula-header").Body(
		app.If(v.ProductName != "",
			app.P().ID("eula-product").Class("eula-product").Text(v.ProductName),
		),
		app.H1().ID("eula-title").Text(v.Title),
		app.If(v.Version != "",
			app.P().Class("eula-version").Text("Version "+v.Version),
		),
	)
}
