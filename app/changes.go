package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// ChangesPanel shows a reader who accepted an older version what changed
// since: each changed section with the words removed and added marked, and
// how many sections did not change.
type ChangesPanel struct {
	app.Compo

	Changes *Changes
	Labels  Labels
}

// Render implements app.Composer.
func (c *ChangesPanel) Render() app.UI {
	ch, l := c.Changes, c.Labels
	if ch == nil {
		return app.Div().ID("eula-changes").Hidden(true)
	}
	return app.Section().
		ID("eula-changes").
		Class("eula-changes").
		Aria("labelledby", "eula-changes-title").
		DataSet("since", attr(ch.Since)).
		Body(
			app.H2().ID("eula-changes-title").Text(l.Format("changes.title", ch.Since)),
			app.P().Class("eula-changes-intro").Text(l.Get("changes.intro")),
			app.Range(ch.Sections).Slice(func(i int) app.UI {
				s := ch.Sections[i]
				return app.Div().
					Class("eula-change").
					DataSet("section", attr(s.ID)).
					Body(app.Raw("<div class=\"eula-change-body\">" + s.HTML + "</div>"))
			}),
			app.P().ID("eula-changes-unchanged").Text(l.Format("changes.unchanged", strconv.Itoa(ch.Unchanged))),
		)
}
