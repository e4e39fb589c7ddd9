package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// CheckField is a check box of a form with its label, and its message when
// it is wrong. Its id is FieldID(Name), its message's ErrorID(Name).
type CheckField struct {
	app.Compo

	Name    string
	Label   string
	Checked bool
	Error   string
}

// Render implements app.Composer.
func (f *CheckField) Render() app.UI {
	id := FieldID(f.Name)
	in := app.Input().Type("checkbox").ID(id).Name(attr(f.Name)).Value("yes")
	if f.Checked {
		in = in.Checked(true)
	}
	if f.Error != "" {
		in = in.Aria("invalid", trueAttr()).Aria("describedby", ErrorID(f.Name))
	}
	return app.Div().Class("eula-check").Body(
		app.P().Body(in, app.Label().For(id).Text(f.Label)),
		app.If(f.Error != "",
			app.P().ID(ErrorID(f.Name)).Class("err eula-field-error").Text(f.Error),
		),
	)
}
