package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// OutcomePanel shows the result of the reader's decision plainly.
type OutcomePanel struct {
	app.Compo

	Outcome Outcome
}

// Render implements app.Composer.
func (o *OutcomePanel) Render() app.UI {
	out := o.Outcome
	var msg, class string
	switch {
	case out.Error != "":
		msg, class = out.Error, "eula-outcome eula-outcome-error"
	case out.Pending:
		msg, class = "Recording your decision…", "eula-outcome"
	case out.Decision == DecisionAccept:
		msg, class = "You accepted the license agreement. The installation continues.", "eula-outcome eula-outcome-accepted"
	case out.Decision == DecisionDecline:
		msg, class = "You declined the license agreement. The installation will not continue.", "eula-outcome eula-outcome-declined"
	}
	return app.Div().
		ID("eula-outcome").
		Class(class).
		Role("status").
		Aria("live", "polite").
		DataSet("decision", attr(out.Decision)).
		DataSet("record", attr(out.RecordID)).
		Text(msg)
}
