package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// PathDecide is where the decision form posts when the wasm is not running:
// the same server path records the decision either way.
const PathDecide = "/decide"

// DecisionBar holds the accept and decline controls. It is a plain HTML form
// that works before (and without) the wasm; once the wasm runs, clicks fire
// ActionDecide instead of submitting the form.
type DecisionBar struct {
	app.Compo

	View    View
	Pending bool

	product string // chosen in the picker when the page named no product
}

// Render implements app.Composer.
func (b *DecisionBar) Render() app.UI {
	v := b.View
	disabled := b.Pending || v.Version == ""
	return app.Form().
		ID("eula-decision").
		Class("eula-decision").
		Method("post").
		Action(PathDecide).
		Body(
			app.Input().Type("hidden").Name("csrf").Value(attr(v.CSRF)),
			app.Input().Type("hidden").Name("document").Value(attr(v.DocumentID)),
			app.Input().Type("hidden").Name("version").Value(attr(v.Version)),
			app.Input().Type("hidden").Name("lang").Value(attr(v.Lang)),
			app.If(v.ProductKey != "",
				app.Input().Type("hidden").Name("product").Value(attr(v.ProductKey)),
			).Else(
				&ProductPicker{Products: v.Products, Selected: b.product, OnSelect: b.selectProduct},
			),
			app.Input().Type("hidden").Name("installer").Value(attr(v.Query.Installer)),
			app.Input().Type("hidden").Name("iv").Value(attr(v.Query.InstallerVersion)),
			app.Input().Type("hidden").Name("idem").Value(attr(v.IdempotencyKey)),
			disable(app.Button().
				ID("eula-accept").
				Class("eula-button eula-accept").
				Type("submit").
				Name("decision").
				Value(DecisionAccept).
				Text("I accept").
				OnClick(b.decide(DecisionAccept)), disabled),
			disable(app.Button().
				ID("eula-decline").
				Class("eula-button eula-decline").
				Type("submit").
				Name("decision").
				Value(DecisionDecline).
				Text("I decline").
				OnClick(b.decide(DecisionDecline)), disabled),
		)
}

func (b *DecisionBar) decide(decision string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		v := b.View
		ctx.NewActionWithValue(ActionDecide, DecisionRequest{
			Decision:       decision,
			Document:       DocumentRef{ID: v.DocumentID, Version: v.Version, Language: v.Lang},
			Product:        b.productKey(),
			Installer:      InstallerRef{MachineID: v.Query.Installer, Version: v.Query.InstallerVersion},
			CSRF:           v.CSRF,
			IdempotencyKey: v.IdempotencyKey + "-" + decision,
		})
	}
}

func (b *DecisionBar) selectProduct(key string) { b.product = key }

func (b *DecisionBar) productKey() string {
	if b.View.ProductKey != "" {
		return b.View.ProductKey
	}
	return b.product
}
