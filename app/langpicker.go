package app

import (
	"net/url"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// LanguagePicker lets the reader choose the language, every language named
// in itself. It is a GET form, so it works without the wasm too; with the
// wasm, a change fires ActionSwitchLanguage, which keeps the reader's place.
type LanguagePicker struct {
	app.Compo

	Languages []LanguageOption
	Lang      string
	Query     Query
	Labels    Labels
	// Action is the path of the page in another language; empty for the
	// page the Query is for (PagePath).
	Action string
	// Plain makes a choice load the page in the chosen language, as
	// without the wasm, rather than fire ActionSwitchLanguage: for pages
	// without a document.
	Plain bool
	// Keep, when not nil, are the parameters the form keeps (lang aside)
	// in place of the Query's: for a page whose address is not a Query,
	// such as the console's search.
	Keep url.Values
}

// Render implements app.Composer.
func (p *LanguagePicker) Render() app.UI {
	// The form keeps every other parameter of the page: a read-only page
	// stays read-only, a kiosk a kiosk, a confirmation the same one.
	vals := p.Query.Values()
	if p.Keep != nil {
		vals = url.Values{}
		for k, v := range p.Keep {
			vals[k] = v
		}
	}
	vals.Del("lang")
	keys := sortedKeys(vals)
	return app.Form().
		ID("eula-lang").
		Class("eula-lang").
		Method("get").
		Action(p.action()).
		Body(
			app.Label().For("eula-lang-select").Text(p.Labels.Get("lang.label")),
			app.Select().
				ID("eula-lang-select").
				Name("lang").
				OnChange(p.changed).
				OnFocus(p.intent).
				On("pointerdown", p.intent).
				Body(
					app.Range(p.Languages).Slice(func(i int) app.UI {
						o := p.Languages[i]
						return selected(app.Option().Value(attr(o.Tag)).Lang(attr(o.Tag)).Text(o.Name), o.Tag == p.Lang)
					}),
				),
			app.Range(keys).Slice(func(i int) app.UI {
				return app.Input().Type("hidden").Name(attr(keys[i])).Value(attr(vals.Get(keys[i])))
			}),
			app.Button().Class("eula-tool eula-lang-apply").Type("submit").Text(p.Labels.Get("lang.apply")),
		)
}

func (p *LanguagePicker) action() string {
	if p.Action != "" {
		return p.Action
	}
	return PagePath(p.Query)
}

func (p *LanguagePicker) changed(ctx app.Context, e app.Event) {
	if p.Plain {
		ctx.JSSrc().Get("form").Call("requestSubmit")
		return
	}
	ctx.NewActionWithValue(ActionSwitchLanguage, ctx.JSSrc().Get("value").String())
}

func (p *LanguagePicker) intent(ctx app.Context, e app.Event) {
	if !p.Plain {
		ctx.NewAction(ActionLanguageIntent)
	}
}

// PagePath returns the path of the page a Query is for: the first-boot
// confirmation for a dealer's reference code, else the viewer.
func PagePath(q Query) string {
	if q.Ref != "" {
		return PathDealerConfirm
	}
	return PathViewer
}
