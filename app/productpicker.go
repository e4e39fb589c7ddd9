package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// ProductPicker lets the reader choose the product when the page was opened
// without one (a dealer in a plain browser). It is a form field, so it
// works without the wasm too.
type ProductPicker struct {
	app.Compo

	Products []ProductOption
	Selected string
	Labels   Labels
	// onSelect is the DecisionBar's method, unexported for the reason
	// given at Document.onToggle.
	onSelect func(key string)
}

// Render implements app.Composer.
func (p *ProductPicker) Render() app.UI {
	return app.Div().Class("eula-field").Body(
		app.Label().For("eula-product-select").Text(p.Labels.Get("product.label")),
		app.Select().
			ID("eula-product-select").
			Name("product").
			Required(true).
			OnChange(p.changed).
			Body(
				selected(app.Option().Value("").Text(p.Labels.Get("product.choose")), p.Selected == ""),
				app.Range(p.Products).Slice(func(i int) app.UI {
					o := p.Products[i]
					return selected(app.Option().Value(attr(o.Key)).Text(o.Name), o.Key == p.Selected)
				}),
			),
	)
}

func (p *ProductPicker) changed(ctx app.Context, e app.Event) {
	if p.onSelect != nil {
		p.onSelect(ctx.JSSrc().Get("value").String())
	}
}
