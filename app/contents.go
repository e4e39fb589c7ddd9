package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Contents is the table of contents: the general terms, then the product
// groups with their products. Each entry links to its section (#id), so
// that section links can be shared. The reader's product is marked.
type Contents struct {
	app.Compo

	View View

	// open is set once the reader opens the list. In the browser its
	// entries are rendered only then: the list starts closed, and the
	// wasm's first render is the shorter for it. The server renders them
	// always, for the page without the wasm.
	open bool
}

// tocEntry is a line of the table of contents with the lines under it.
type tocEntry struct {
	Section
	children []Section
}

// tocGroups splits the sections into the general terms and the product
// groups (level-2 sections after the general terms, with their level-3
// products).
func tocGroups(secs []Section) (general []Section, products []tocEntry) {
	for _, s := range secs {
		switch {
		case s.ID == "preamble" || strings.HasPrefix(s.ID, "general/"):
			general = append(general, s)
		case s.Level <= 2 || len(products) == 0:
			products = append(products, tocEntry{Section: s})
		default:
			last := &products[len(products)-1]
			last.children = append(last.children, s)
		}
	}
	return general, products
}

// Render implements app.Composer.
func (c *Contents) Render() app.UI {
	v := c.View
	l := v.Labels
	if len(v.Sections) == 0 {
		return app.Nav().Class("eula-toc").Hidden(true)
	}
	summary := app.Summary().Text(l.Get("toc.label"))
	var entries app.UI
	if !app.IsClient || c.open {
		entries = c.entries()
	}
	return app.Nav().ID("eula-toc").Class("eula-toc").Aria("label", attr(l.Get("toc.label"))).Body(
		app.Details().OnToggle(c.toggle).Body(summary, entries),
	)
}

// entries returns the list's entries: the general terms and the products.
func (c *Contents) entries() app.UI {
	l := c.View.Labels
	general, products := tocGroups(c.View.Sections)
	return app.Div().Class("eula-toc-columns").Body(
		app.Div().Body(
			app.H2().Class("eula-toc-heading").Text(l.Get("toc.general")),
			app.Ul().Body(app.Range(general).Slice(func(i int) app.UI {
				return c.item(general[i], nil)
			})),
		),
		app.If(len(products) > 0,
			app.Div().Body(
				app.H2().Class("eula-toc-heading").Text(l.Get("toc.products")),
				app.Ul().Body(app.Range(products).Slice(func(i int) app.UI {
					return c.item(products[i].Section, products[i].children)
				})),
			),
		),
	)
}

func (c *Contents) item(s Section, children []Section) app.UI {
	mine := s.ID == c.View.ProductSection
	class := ""
	if mine {
		class = "eula-toc-mine"
	}
	a := app.A().Href("#" + attr(s.ID)).Class(class).Text(s.Title)
	if mine {
		a = a.Aria("current", "location")
	}
	return app.Li().Body(
		a,
		app.If(mine, app.Span().Class("eula-badge").Text(c.View.Labels.Get("product.yours"))),
		app.If(len(children) > 0,
			app.Ul().Body(app.Range(children).Slice(func(i int) app.UI {
				return c.item(children[i], nil)
			})),
		),
	)
}

// toggle notes that the reader opened (or closed) the list.
func (c *Contents) toggle(ctx app.Context, e app.Event) {
	if e.Get("target").Get("open").Bool() {
		c.open = true
	}
}
