package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// OutcomePanel shows the result of the reader's decision plainly.
type OutcomePanel struct {
	app.Compo

	Outcome Outcome
	Labels  Labels
}

// Render implements app.Composer.
func (o *OutcomePanel) Render() app.UI {
	out := o.Outcome
	var msg, class string
	switch {
	case out.Error != "":
		msg, class = out.Error, "eula-outcome eula-outcome-error"
	case out.Pending:
		msg, class = o.Labels.Get("outcome.pending"), "eula-outcome"
	case out.Decision == DecisionAccept:
		msg, class = o.Labels.Get("outcome.accepted"), "eula-outcome eula-outcome-accepted"
	case out.Decision == DecisionDecline:
		msg, class = o.Labels.Get("outcome.declined"), "eula-outcome eula-outcome-declined"
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
