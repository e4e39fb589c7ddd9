package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Document shows the sections of the document, each with its English
// original beside it (side by side on wide screens, one below the other on
// narrow ones) when the reader asks for it. Their HTML was rendered and
// sanitized on the server.
type Document struct {
	app.Compo

	View    View
	ShowAll bool
	// Shown is replaced, not changed in place, when a section is toggled:
	// go-app sees a change only in a field that is no longer deeply equal.
	Shown map[string]bool
	// onToggle is the Page's method, bound to it. It is unexported on
	// purpose: go-app compares a component's exported fields with
	// reflect.DeepEqual to decide whether to render it again, and two funcs
	// are never deeply equal, so an exported one would redo the whole
	// document on every render of its parent. Unexported, go-app neither
	// compares it nor replaces it, and the first one, bound to the same
	// parent, stays right.
	onToggle func(id string)
}

// Render implements app.Composer.
func (d *Document) Render() app.UI {
	v := d.View
	return app.Article().
		ID("eula-document").
		Class("eula-document").
		DataSet("version", attr(v.Version)).
		DataSet("hash", attr(v.Hash)).
		Body(
			app.Range(v.Sections).Slice(func(i int) app.UI {
				return d.section(v.Sections[i])
			}),
		)
}

// section renders one section. It is called for every section on each
// render of the Document, so it builds only what it shows (the arguments
// of app.If would be built, and thrown away, for a section without a
// translation or a product badge).
func (d *Document) section(s Section) app.UI {
	v := d.View
	l := v.Labels
	orig, hasOrig := v.OriginalOf(s.ID)
	open := hasOrig && (d.ShowAll || d.Shown[s.ID])
	mine := s.ID == v.ProductSection
	class := "eula-section"
	if mine {
		class += " eula-section-mine"
	}
	if s.Eager {
		class += " eula-section-eager"
	}
	pair := "eula-pair"
	if open {
		pair += " eula-pair-open"
	}
	body := []app.UI{app.Raw(sectionBody(s, "eula-section-body"))}
	var tools app.UI
	if mine || hasOrig {
		var badge, toggle app.UI
		if mine {
			badge = app.P().Class("eula-badge").Text(l.Get("product.yours"))
		}
		switch {
		case hasOrig && v.OriginalLater && app.IsServer:
			// The first response leaves the original out: a page without
			// scripts links to the English page at this section, which
			// the wasm replaces with the button.
			toggle = app.A().
				Class("eula-tool eula-original-link").
				Href(attr(OriginalHref(v.Query, s.ID))).
				HrefLang(OriginalLang).
				Aria("describedby", attr(s.ID)). // the section's heading
				Text(l.Get("original.heading"))
		case hasOrig:
			origID := "eula-original-" + s.ID
			toggleKey := "original.show"
			if open {
				toggleKey = "original.hide"
			}
			toggle = app.Button().
				Class("eula-tool eula-original-toggle").
				Type("button").
				DataSet("for", attr(s.ID)).
				Aria("expanded", boolString(open)).
				Aria("controls", attr(origID)).
				Aria("describedby", attr(s.ID)). // the section's heading
				Text(l.Get(toggleKey)).
				OnClick(d.toggle(s.ID))
			body = append(body, hide(app.Div().
				ID(attr(origID)).
				Class("eula-original").
				Lang(OriginalLang).
				Dir("ltr"), !open).
				Body(
					app.P().Class("eula-original-label").Lang(attr(v.Lang)).Text(l.Get("original.heading")),
					app.Raw(sectionBody(orig, "eula-original-body")),
				))
		}
		tools = app.Div().Class("eula-section-tools").Body(badge, toggle)
	}
	return app.Section().
		Class(class).
		DataSet("section", attr(s.ID)).
		Body(
			tools,
			app.Div().Class(pair).Body(body...),
		)
}

func (d *Document) toggle(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if d.onToggle != nil {
			d.onToggle(id)
		}
		if d.View.OriginalLater {
			ctx.NewAction(ActionLoadOriginals)
		}
	}
}
