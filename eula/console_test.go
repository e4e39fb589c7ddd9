package eula_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eulagate/eulagate/eula"
)

func TestOverviewOf(t *testing.T) {
	counts := eula.Counts{
		ByRole: []eula.Tally{{Key: "end-user", Accepted: 5, Declined: 2}, {Key: "delegated", Accepted: 3}},
		Latest: []eula.LatestCount{
			{Product: "p", Version: "2", Decision: eula.Accepted, N: 4},
			{Product: "p", Version: "1", Decision: eula.Accepted, N: 2},
			{Product: "q", Version: "2", Decision: eula.Declined, N: 1},
		},
		Installations: 9,
	}
	for _, test := range []struct {
		name    string
		current string
		still   eula.StillValid
		want    map[eula.State]int64
	}{
		{"same version", "2", nil, map[eula.State]int64{eula.StateAccepted: 4, eula.StateReacceptanceDue: 2, eula.StateDeclined: 1, eula.StateNone: 2}},
		{"editorial change", "2", func(a, c string) bool { return true }, map[eula.State]int64{eula.StateAccepted: 6, eula.StateReacceptanceDue: 0, eula.StateDeclined: 1, eula.StateNone: 2}},
		// The counts are of the latest versions, so a version the
		// publisher adds later moves the acceptances to re-acceptance due.
		{"a new version in force", "3", nil, map[eula.State]int64{eula.StateAccepted: 0, eula.StateReacceptanceDue: 6, eula.StateDeclined: 1, eula.StateNone: 2}},
	} {
		t.Run(test.name, func(t *testing.T) {
			o := eula.OverviewOf(counts, test.current, test.still)
			if diff := cmp.Diff(test.want, o.States); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
			if o.Delegated != 3 || o.Direct != 5 {
				t.Errorf("delegated %d, direct %d; want 3, 5", o.Delegated, o.Direct)
			}
		})
	}
}
