package eula_test

import (
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
)

func TestStatusOf(t *testing.T) {
	rec := func(index int64, version string, d eula.Decision) eula.Record {
		return eula.Record{ID: string(rune('a' + index)), Index: index, Time: time.Unix(index, 0), Decision: d,
			Document: eula.Shown{ID: eula.DocEULA, Version: version}}
	}
	editorial := func(accepted, current string) bool { return accepted == current || accepted == "2" && current == "2.1" }
	for _, test := range []struct {
		name    string
		history []eula.Record
		current string
		still   eula.StillValid
		want    eula.State
		version string
	}{
		{"none", nil, "2", nil, eula.StateNone, ""},
		{"accepted current", []eula.Record{rec(0, "2", eula.Accepted)}, "2", nil, eula.StateAccepted, "2"},
		{"accepted older", []eula.Record{rec(0, "1", eula.Accepted)}, "2", nil, eula.StateReacceptanceDue, "1"},
		{"declined", []eula.Record{rec(0, "2", eula.Declined)}, "2", nil, eula.StateDeclined, "2"},
		{"declined after accepting", []eula.Record{rec(0, "2", eula.Accepted), rec(1, "2", eula.Declined)}, "2", nil, eula.StateDeclined, "2"},
		{"accepted after declining", []eula.Record{rec(0, "2", eula.Declined), rec(1, "2", eula.Accepted)}, "2", nil, eula.StateAccepted, "2"},
		{"latest by index not order", []eula.Record{rec(5, "2", eula.Accepted), rec(1, "2", eula.Declined)}, "2", nil, eula.StateAccepted, "2"},
		{"declined older version", []eula.Record{rec(0, "1", eula.Declined)}, "2", nil, eula.StateDeclined, "1"},
		{"editorial change counts", []eula.Record{rec(0, "2", eula.Accepted)}, "2.1", editorial, eula.StateAccepted, "2"},
		{"material change does not", []eula.Record{rec(0, "1", eula.Accepted)}, "2.1", editorial, eula.StateReacceptanceDue, "1"},
	} {
		t.Run(test.name, func(t *testing.T) {
			got := eula.StatusOf(test.history, test.current, test.still)
			if got.State != test.want || got.Version != test.version || got.CurrentVersion != test.current {
				t.Errorf("StatusOf = %+v, want %s of version %q", got, test.want, test.version)
			}
		})
	}
}

// TestStatusOfOnlyEULA: a decision on another document (the privacy
// policy) neither opens nor closes the gate.
func TestStatusOfOnlyEULA(t *testing.T) {
	hist := []eula.Record{
		{ID: "a", Index: 0, Decision: eula.Accepted, Document: eula.Shown{ID: eula.DocEULA, Version: "2"}},
		{ID: "b", Index: 1, Decision: eula.Declined, Document: eula.Shown{ID: eula.DocPrivacy, Version: "2"}},
	}
	if st := eula.StatusOf(hist, "2", nil); st.State != eula.StateAccepted || st.RecordID != "a" {
		t.Errorf("StatusOf = %+v, want the EULA acceptance", st)
	}
}
