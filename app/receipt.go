package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// ReceiptPanel is the receipt of a dealer's acceptance, to print or save
// and forward to the customer: the reference code and who accepted for
// whom, when; or, for an unknown code, that there is none.
type ReceiptPanel struct {
	app.Compo

	Receipt Receipt
	Labels  Labels
}

// Render implements app.Composer.
func (p *ReceiptPanel) Render() app.UI {
	r := p.Receipt
	l := p.Labels
	if !r.Found {
		return app.P().ID("receipt-notfound").Class("eula-error").Role("alert").Text(l.Get("dealer.receipt.notfound"))
	}
	return app.Div().ID("dealer-receipt").Body(
		app.P().Text(l.Get("dealer.receipt.reference")+":"),
		app.P().ID("receipt-reference").Class("eula-reference").Text(r.Reference),
		app.P().ID("receipt-summary").Text(r.Summary),
		app.Dl().Class("eula-facts").Body(
			app.Dt().Text(l.Get("dealer.receipt.product")),
			app.Dd().ID("receipt-product").Text(r.ProductName),
			app.Dt().Text(l.Get("dealer.receipt.version")),
			app.Dd().Text(r.Version),
			app.Dt().Text(l.Get("dealer.receipt.record")),
			app.Dd().Body(app.Code().ID("receipt-record").Text(r.RecordID)),
		),
		app.If(r.MSeries,
			app.P().ID("receipt-mseries").Class("eula-rule").Role("note").Text(l.Get("dealer.mseries")),
		),
		app.P().Text(l.Get("dealer.receipt.forward")),
		app.P().Class("eula-noprint").Body(
			app.A().ID("receipt-json").Href(attr(r.ReceiptURL)).Text(l.Get("dealer.receipt.json")).OnClick(ownTab),
		),
		app.Button().ID("receipt-print").Class("eula-button eula-decline eula-noprint eula-script-only").Type("button").Text(l.Get("dealer.receipt.print")).OnClick(p.print),
	)
}

func (p *ReceiptPanel) print(ctx app.Context, e app.Event) { ctx.NewAction(ActionPrint) }
