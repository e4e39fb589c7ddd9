package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// LanguagePicker lets the reader choose the language, every language named
// in itself. It is a GET form, so it works without the wasm too; with the
// wasm, a change fires ActionSwitchLanguage, which keeps the reader's place.
type LanguagePicker struct {
	app.Compo

	Languages []LanguageOption
	Lang      string
	Query     Query
	Labels    Labels
}

// Render implements app.Composer.
func (p *LanguagePicker) Render() app.UI {
	q := p.Query
	hidden := func(name, value string) app.UI {
		return app.If(value != "", app.Input().Type("hidden").Name(name).Value(attr(value)))
	}
	mustread := ""
	if q.MustRead {
		mustread = "1"
	}
	return app.Form().
		ID("eula-lang").
		Class("eula-lang").
		Method("get").
		Action(PathViewer).
		Body(
			app.Label().For("eula-lang-select").Text(p.Labels.Get("lang.label")),
			app.Select().
				ID("eula-lang-select").
				Name("lang").
				OnChange(p.changed).
				Body(
					app.Range(p.Languages).Slice(func(i int) app.UI {
						o := p.Languages[i]
						return selected(app.Option().Value(attr(o.Tag)).Lang(attr(o.Tag)).Text(o.Name), o.Tag == p.Lang)
					}),
				),
			hidden("product", q.Product),
			hidden("installer", q.Installer),
			hidden("iv", q.InstallerVersion),
			hidden("mustread", mustread),
			app.Button().Class("eula-tool eula-lang-apply").Type("submit").Text(p.Labels.Get("lang.apply")),
		)
}

func (p *LanguagePicker) changed(ctx app.Context, e app.Event) {
	ctx.NewActionWithValue(ActionSwitchLanguage, ctx.JSSrc().Get("value").String())
}
