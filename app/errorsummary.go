package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// ErrorSummary says, above a form that was sent back, what happened and
// lists the wrong fields, each a link to its field. It takes the focus
// when the page opens (autofocus), so that a reader of a screen reader
// hears it first.
type ErrorSummary struct {
	app.Compo

	Problem string
	Errors  []FieldError
}

// Render implements app.Composer.
func (s *ErrorSummary) Render() app.UI {
	return app.Div().
		ID("dealer-errors").
		Class("eula-error eula-error-summary").
		Role("alert").
		TabIndex(-1).
		Attr("autofocus", true).
		Body(
			app.P().ID("dealer-problem").Text(s.Problem),
			app.If(len(s.Errors) > 0,
				app.Ul().Body(
					app.Range(s.Errors).Slice(func(i int) app.UI {
						e := s.Errors[i]
						return app.Li().Body(app.A().Href("#" + FieldID(e.Field)).Text(e.Summary).OnClick(s.jump(FieldID(e.Field))))
					}),
				),
			),
		)
}

// jump moves the focus to the field, as the link without the wasm moves
// the reader to it.
func (s *ErrorSummary) jump(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		e.Call("stopPropagation")
		ctx.NewActionWithValue(ActionFocus, id)
	}
}
