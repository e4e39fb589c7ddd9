package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// TextField is a labelled text input of a form, with its message when it
// is wrong. Its id is FieldID(Name), its message's ErrorID(Name).
type TextField struct {
	app.Compo

	Name  string
	Type  string
	Label string
	Value string
	Error string
}

// Render implements app.Composer.
func (f *TextField) Render() app.UI {
	id := FieldID(f.Name)
	in := app.Input().Type(f.Type).ID(id).Name(attr(f.Name)).Value(attr(f.Value)).MaxLength(254)
	if f.Error != "" {
		in = in.Aria("invalid", trueAttr()).Aria("describedby", ErrorID(f.Name))
	}
	return app.Div().Class("eula-text-field").Body(
		app.Label().For(id).Text(f.Label),
		in,
		app.If(f.Error != "",
			app.P().ID(ErrorID(f.Name)).Class("err eula-field-error").Text(f.Error),
		),
	)
}

// FieldID returns the id of a form field's input element: "f-" and its
// name with "." as "-".
func FieldID(name string) string {
	out := []byte("f-" + name)
	for i, c := range out {
		if c == '.' {
			out[i] = '-'
		}
	}
	return string(out)
}

// ErrorID returns the id of the message that says what is wrong with a
// form field: "e-" and the field's FieldID.
func ErrorID(name string) string { return "e-" + FieldID(name) }
