package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// FindBox finds text in the document (appliance kiosks have no browser
// toolbar): it highlights the matches and steps through them with the
// buttons, Enter and Shift+Enter.
type FindBox struct {
	app.Compo

	Labels Labels
	Result FindResult

	text string
}

// Render implements app.Composer.
func (f *FindBox) Render() app.UI {
	l := f.Labels
	status := ""
	switch {
	case f.text == "" || f.Result.Text != f.text:
	case f.Result.Count == 0:
		status = l.Get("find.none")
	default:
		status = l.Format("find.count", strconv.Itoa(f.Result.Index), strconv.Itoa(f.Result.Count))
	}
	return app.Form().
		ID("eula-find").
		Class("eula-find").
		Role("search").
		Aria("label", attr(l.Get("find.label"))).
		OnSubmit(f.submit).
		Body(
			app.Label().For("eula-find-input").Class("eula-visually-hidden").Text(l.Get("find.label")),
			app.Input().
				ID("eula-find-input").
				Type("search").
				Placeholder(attr(l.Get("find.label"))).
				AutoComplete(false).
				Value(attr(f.text)).
				OnInput(f.input).
				OnKeyDown(f.keyDown),
			app.Button().
				ID("eula-find-prev").
				Class("eula-tool eula-find-step").
				Type("button").
				Title(attr(l.Get("find.prev"))).
				Aria("label", attr(l.Get("find.prev"))).
				Text("↑").
				OnClick(f.step(-1)),
			app.Button().
				ID("eula-find-next").
				Class("eula-tool eula-find-step").
				Type("button").
				Title(attr(l.Get("find.next"))).
				Aria("label", attr(l.Get("find.next"))).
				Text("↓").
				OnClick(f.step(1)),
			app.Span().
				ID("eula-find-status").
				Class("eula-find-status").
				Role("status").
				Text(status),
		)
}

func (f *FindBox) input(ctx app.Context, e app.Event) {
	f.text = ctx.JSSrc().Get("value").String()
	ctx.NewActionWithValue(ActionFind, FindRequest{Text: f.text})
}

func (f *FindBox) keyDown(ctx app.Context, e app.Event) {
	if e.Get("key").String() != "Enter" {
		return
	}
	e.PreventDefault()
	step := 1
	if e.Get("shiftKey").Bool() {
		step = -1
	}
	ctx.NewActionWithValue(ActionFind, FindRequest{Text: f.text, Step: step})
}

// submit keeps the form from being sent: Enter is handled by keyDown.
func (f *FindBox) submit(ctx app.Context, e app.Event) { e.PreventDefault() }

func (f *FindBox) step(n int) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		ctx.NewActionWithValue(ActionFind, FindRequest{Text: f.text, Step: n})
	}
}
