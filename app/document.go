package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Document shows the sections of the document. Their HTML was rendered and
// sanitized on the server.
type Document struct {
	app.Compo

	View View
}

// Render implements app.Composer.
func (d *Document) Render() app.UI {
	return app.Article().
		ID("eula-document").
		Class("eula-document").
		DataSet("version", attr(d.View.Version)).
		DataSet("hash", attr(d.View.Hash)).
		Body(
			app.Range(d.View.Sections).Slice(func(i int) app.UI {
				s := d.View.Sections[i]
				return app.Section().
					Class("eula-section").
					DataSet("section", attr(s.ID)).
					DataSet("hash", attr(s.Hash)).
					Body(app.Raw("<div class=\"eula-section-body\">" + s.HTML + "</div>"))
			}),
		)
}
