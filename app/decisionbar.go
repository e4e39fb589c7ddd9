package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/eulagate/eulagate/api"
)

// PathDecide is where the decision form posts when the wasm is not running:
// the same server path records the decision either way.
const PathDecide = api.PathDecide

// DecisionBar holds the accept and decline controls, nothing pre-selected.
// It is a plain HTML form that works before (and without) the wasm; once
// the wasm runs, clicks fire ActionDecide instead of submitting the form,
// and declining asks for confirmation first, stating that the installation
// will not continue. ActionDecide is the one interface through which the
// decision leaves the viewer.
type DecisionBar struct {
	app.Compo

	View    View
	Pending bool
	// MustRead keeps "I accept" disabled, saying why, until the reader has
	// reached the end of the document.
	MustRead bool

	product    string // chosen in the picker when the page named no product
	confirming bool   // asking whether to decline
}

// Render implements app.Composer.
func (b *DecisionBar) Render() app.UI {
	v := b.View
	l := v.Labels
	disabled := b.Pending || v.Version == "" || v.Partial
	// A page opened without a product cannot record a decision until one
	// is chosen. Before the wasm (and without it) the form's required
	// select stops the submission; once the wasm sends the decision
	// itself, the buttons wait for the choice.
	needProduct := app.IsClient && b.productKey() == ""
	accept := app.Button().
		ID("eula-accept").
		Class("eula-button eula-accept").
		Type("submit").
		Name("decision").
		Value(DecisionAccept).
		Text(l.Get("accept")).
		OnClick(b.decide(DecisionAccept))
	switch {
	case b.MustRead:
		accept = accept.Aria("describedby", "eula-mustread")
	case needProduct:
		accept = accept.Aria("describedby", "eula-needproduct")
	}
	return app.Form().
		ID("eula-decision").
		Class("eula-decision").
		// Focusable from the page's "Skip to the decision" link only.
		TabIndex(-1).
		Method("post").
		Action(decidePath(v.Query)).
		Aria("label", attr(l.Get("decision.label"))).
		Body(
			app.Input().Type("hidden").Name("csrf").Value(attr(v.CSRF)),
			app.Input().Type("hidden").Name("document").Value(attr(v.DocumentID)),
			app.Input().Type("hidden").Name("version").Value(attr(v.Version)),
			app.Input().Type("hidden").Name("lang").Value(attr(v.Lang)),
			app.If(v.ProductKey != "",
				app.Input().Type("hidden").Name("product").Value(attr(v.ProductKey)),
			).Else(
				&ProductPicker{Products: v.Products, Selected: b.product, onSelect: b.selectProduct, Labels: l},
			),
			app.Input().Type("hidden").Name("installer").Value(attr(v.Query.Installer)),
			app.Input().Type("hidden").Name("iv").Value(attr(v.Query.InstallerVersion)),
			app.Input().Type("hidden").Name("channel").Value(attr(channelOf(v.Query))),
			app.If(v.Query.MustRead, app.Input().Type("hidden").Name("mustread").Value("1")),
			app.Input().Type("hidden").Name("return").Value(attr(v.Host.Return)),
			app.Input().Type("hidden").Name("idem").Value(attr(v.IdempotencyKey)),
			app.If(v.Query.Session != "", app.Input().Type("hidden").Name("session").Value(attr(v.Query.Session))),
			app.If(v.Query.Ref != "", app.Input().Type("hidden").Name("ref").Value(attr(v.Query.Ref))),
			app.If(b.MustRead,
				app.P().ID("eula-mustread").Class("eula-mustread").Text(l.Get("mustread.reason")),
			),
			app.If(needProduct,
				app.P().ID("eula-needproduct").Class("eula-mustread").Text(l.Get("problem.product")),
			),
			app.If(b.confirming,
				app.Div().
					ID("eula-confirm").
					Class("eula-confirm").
					Role("alertdialog").
					Aria("labelledby", "eula-confirm-text").
					OnKeyDown(b.confirmKey).
					Body(
						app.P().ID("eula-confirm-text").Text(l.Get("decline.confirm")),
						app.Div().Class("eula-buttons").Body(
							disable(app.Button().
								ID("eula-decline-yes").
								Class("eula-button eula-decline-yes").
								Type("submit").
								Name("decision").
								Value(DecisionDecline).
								Text(l.Get("decline.yes")).
								OnClick(b.decide(DecisionDecline)), disabled),
							app.Button().
								ID("eula-decline-no").
								Class("eula-button eula-decline").
								Type("button").
								Text(l.Get("decline.no")).
								OnClick(b.cancel),
						),
					),
			).Else(
				app.Div().Class("eula-buttons").Body(
					disable(accept, disabled || b.MustRead || needProduct),
					b.declineControl(disabled || needProduct),
				),
			),
		)
}

// declineControl returns "I decline". In the browser it asks first (the
// confirmation above). In the page the server prerenders, which works
// before and without the wasm, it is a <details> whose summary opens the
// same question with "Yes, decline" posting the form and "No, go back"
// a link to the page itself (declineBackHref), which closes the question:
// no script needed.
func (b *DecisionBar) declineControl(off bool) app.UI {
	l := b.View.Labels
	if app.IsServer && !off {
		return app.Details().ID("eula-decline-ask").Class("eula-decline-ask").Body(
			app.Summary().ID("eula-decline").Class("eula-button eula-decline").Text(l.Get("decline")),
			app.Div().ID("eula-confirm").Class("eula-confirm").Role("group").Aria("labelledby", "eula-confirm-text").Body(
				app.P().ID("eula-confirm-text").Text(l.Get("decline.confirm")),
				app.Div().Class("eula-buttons").Body(
					app.Button().
						ID("eula-decline-yes").
						Class("eula-button eula-decline-yes").
						Type("submit").
						Name("decision").
						Value(DecisionDecline).
						Text(l.Get("decline.yes")),
					app.A().
						ID("eula-decline-no").
						Class("eula-button eula-decline").
						Href(attr(declineBackHref(b.View))).
						Text(l.Get("decline.no")),
				),
			),
		)
	}
	return disable(app.Button().
		ID("eula-decline").
		Class("eula-button eula-decline").
		Type("submit").
		Name("decision").
		Value(DecisionDecline).
		Text(l.Get("decline")).
		OnClick(b.askDecline), off)
}

// declineBackHref is the address of "No, go back" without scripts: the
// page itself, loaded again (a link that differs from the page's address
// by its fragment only would leave the question open), with the
// reader's "I have read to the end" step kept.
func declineBackHref(v View) string {
	vals := v.Query.Values()
	if v.ReadToEnd && v.CSRF != "" {
		vals.Set("read", v.CSRF)
	}
	return "?" + vals.Encode()
}

func (b *DecisionBar) askDecline(ctx app.Context, e app.Event) {
	e.PreventDefault()
	b.confirming = true
	ctx.NewActionWithValue(ActionFocus, "eula-decline-yes")
}

// confirmKey goes back from the confirmation on Escape.
func (b *DecisionBar) confirmKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() == "Escape" {
		b.cancel(ctx, e)
	}
}

func (b *DecisionBar) cancel(ctx app.Context, e app.Event) {
	e.PreventDefault()
	b.confirming = false
	ctx.NewActionWithValue(ActionFocus, "eula-decline")
}

func (b *DecisionBar) decide(decision string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		if decision == DecisionAccept && b.MustRead || b.productKey() == "" {
			return
		}
		b.confirming = false
		v := b.View
		ctx.NewActionWithValue(ActionDecide, DecisionRequest{
			DecisionRequest: api.DecisionRequest{
				Decision:  decision,
				Document:  DocumentRef{ID: v.DocumentID, Version: v.Version, Language: v.Lang},
				Product:   b.productKey(),
				Installer: InstallerRef{MachineID: v.Query.Installer, Version: v.Query.InstallerVersion},
				Channel:   channelOf(v.Query),
				Session:   v.Query.Session,
			},
			Ref:            v.Query.Ref,
			CSRF:           v.CSRF,
			IdempotencyKey: v.IdempotencyKey + "-" + decision,
			Host:           v.Host,
		})
	}
}

// selectProduct keeps the product chosen in the picker and renders the
// bar again, whose buttons wait for it.
func (b *DecisionBar) selectProduct(key string) {
	b.product = key
	if app.IsClient {
		b.Update()
	}
}

func (b *DecisionBar) productKey() string {
	if b.View.ProductKey != "" {
		return b.View.ProductKey
	}
	return b.product
}

// decidePath returns where the plain decision form posts: the
// confirmation's own path for a dealer's reference code, else PathDecide.
func decidePath(q Query) string {
	if q.Ref != "" {
		return PathDealerConfirm
	}
	return PathDecide
}

// ChannelFirstBoot is the channel of a decision made in kiosk mode.
const ChannelFirstBoot = api.ChannelFirstBoot

// channelOf returns the channel a decision on this page is collected by:
// first-boot in kiosk mode, else the server's default (installer screen
// with an installer id, browser without).
func channelOf(q Query) string {
	if q.Kiosk {
		return ChannelFirstBoot
	}
	return ""
}
