package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// DealerFormPanel is the form on which a dealer (or an integrator) accepts
// the agreement for a named customer before purchase: a plain form posted
// to PathDealer, which answers with the receipt or with this form again, a
// message at every wrong field and the list of them on top, focused.
type DealerFormPanel struct {
	app.Compo

	Form           DealerForm
	Labels         Labels
	Lang           string
	CSRF           string
	IdempotencyKey string
}

// Render implements app.Composer.
func (f *DealerFormPanel) Render() app.UI {
	d := f.Form
	l := f.Labels
	errs := map[string]string{}
	for _, e := range d.Errors {
		errs[e.Field] = e.Message
	}
	field := func(name, typ string) app.UI {
		return &TextField{Name: name, Type: typ, Label: l.Get("dealer." + name), Value: d.Values[name], Error: errs[name]}
	}
	check := func(name string) app.UI {
		return &CheckField{Name: name, Label: l.Get("dealer." + name), Checked: d.Checked[name], Error: errs[name]}
	}
	privacy := splitLink(l.Get("dealer.privacy"))
	mseries := "eula-mseries"
	if d.MSeries {
		mseries += " eula-mseries-on"
	}
	product := app.Select().ID("f-product").Name("product").Body(
		selected(app.Option().Value("").Text(l.Get("dealer.product.choose")), d.Product == ""),
		app.Range(d.Products).Slice(func(i int) app.UI {
			p := d.Products[i]
			o := selected(app.Option().Value(attr(p.Key)).Text(p.Name), p.Key == d.Product)
			if p.Prior {
				o = o.DataSet("prior", "on")
			}
			return o
		}),
	)
	if errs["product"] != "" {
		product = product.Aria("invalid", trueAttr()).Aria("describedby", ErrorID("product"))
	}
	return app.Div().ID("dealer").Body(
		app.P().Text(l.Get("dealer.intro")),
		app.If(d.Problem != "",
			&ErrorSummary{Problem: d.Problem, Errors: d.Errors},
		),
		app.Form().ID("dealer-form").Class("eula-form").Method("post").Action(PathDealer).NoValidate(true).Body(
			app.Input().Type("hidden").Name("csrf").Value(attr(f.CSRF)),
			app.Input().Type("hidden").Name("idem").Value(attr(f.IdempotencyKey)),
			app.Input().Type("hidden").Name("lang").Value(attr(f.Lang)),
			app.FieldSet().Body(
				app.Legend().Text(l.Get("dealer.legend.dealer")),
				app.Div().Class("eula-choice").Role("radiogroup").Aria("labelledby", "f-role-label").Body(
					app.Span().ID("f-role-label").Class("eula-choice-label").Text(l.Get("dealer.role")),
					radio("f-role-dealer", "role", RoleDealer, l.Get("dealer.role.dealer"), d.Role != RoleIntegrator),
					radio("f-role-integrator", "role", RoleIntegrator, l.Get("dealer.role.integrator"), d.Role == RoleIntegrator),
				),
				field("dealer.organization", "text"),
				field("dealer.name", "text"),
				field("dealer.email", "email"),
			),
			app.FieldSet().Body(
				app.Legend().Text(l.Get("dealer.legend.customer")),
				field("customer.organization", "text"),
				field("customer.name", "text"),
				field("customer.email", "email"),
			),
			app.P().ID("dealer-privacy").Body(
				app.Text(privacy[0]),
				app.A().Href(attr(d.PrivacyURL)).Target("_blank").Rel("noopener").Text(privacy[1]).OnClick(ownTab),
				app.Text(privacy[2]),
			),
			app.Div().Class("eula-text-field").Body(
				app.Label().For("f-product").Text(l.Get("dealer.product")),
				product,
				app.If(errs["product"] != "",
					app.P().ID(ErrorID("product")).Class("err eula-field-error").Text(errs["product"]),
				),
			),
			app.P().Body(
				app.A().ID("dealer-read").Href(attr(d.ReadURL)).Target("_blank").Rel("noopener").Text(l.Get("dealer.read")).OnClick(ownTab),
			),
			check("register_consent"),
			app.P().ID("dealer-return").Class("eula-rule").Role("note").Body(
				app.Text(l.Get("dealer.return")+" "),
				app.Span().ID("dealer-mseries").Class(mseries).Text(l.Get("dealer.mseries")),
			),
			check("customer_accepted"),
			check("return_right_understood"),
			app.Button().ID("dealer-submit").Class("eula-button eula-accept").Type("submit").Text(l.Get("dealer.submit")),
		),
	)
}

// Roles a dealer's form can record (api.RoleDealer, api.RoleIntegrator).
const (
	RoleDealer     = "dealer"
	RoleIntegrator = "integrator"
)

// radio returns a radio button with its label.
func radio(id, name, value, label string, on bool) app.UI {
	in := app.Input().Type("radio").ID(id).Name(name).Value(attr(value))
	if on {
		in = in.Checked(true)
	}
	return app.Span().Class("eula-radio").Body(in, app.Label().For(id).Text(label))
}

// splitLink cuts a label around its one {link text}: before, the link
// text, after.
func splitLink(s string) [3]string {
	i, j := strings.IndexByte(s, '{'), strings.IndexByte(s, '}')
	if i < 0 || j < i {
		return [3]string{s, "", ""}
	}
	return [3]string{s[:i], s[i+1 : j], s[j+1:]}
}

// ownTab lets a link with target _blank open its own tab, as it does
// without the wasm: go-app would otherwise take the click for a
// navigation within the page and leave the form.
func ownTab(ctx app.Context, e app.Event) { e.Call("stopPropagation") }
