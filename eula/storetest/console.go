package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eulagate/eulagate/eula"
)

// consoleMatch states the console's search rule for the test: q is
// canonical (its reference a commitment).
func consoleMatch(q eula.Query, r *eula.Record) bool {
	org := func(p *eula.Person) bool { return p != nil && p.Organization == q.Organization }
	return q.Filter.Match(r) &&
		(q.MachineID == "" || r.Installer.MachineID == q.MachineID) &&
		(q.Reference == "" || r.Reference == q.Reference) &&
		(q.Organization == "" || r.Personal != nil && (org(&r.Personal.Actor) || org(r.Personal.Bound)))
}

func testConsole(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	cs, ok := s.(eula.ConsoleStore)
	if !ok {
		t.Fatalf("%T is not an eula.ConsoleStore", s)
	}
	var recs []eula.Record
	for i := range 14 {
		r := NewRecord(i)
		if i%4 == 1 {
			r.Personal.Actor.Organization = "Acme Kft."
		}
		if i == 5 {
			r.Role, r.Reference = eula.RoleDealer, eula.ReferenceCommitment("ABCD-EFGH")
			r.Personal.Bound = &eula.Person{Name: "Customer", Organization: "Bound Zrt."}
		}
		if i == 9 {
			r.Document.Version = "20240101"
		}
		stored, _, err := s.Append(ctx, r, "")
		if err != nil {
			t.Fatalf("Append(%d): %v", i, err)
		}
		recs = append(recs, stored)
	}
	for _, test := range []struct {
		name string
		q    eula.Query
	}{
		{"all", eula.Query{}},
		{"page", eula.Query{Offset: 3, Limit: 4}},
		{"offset only", eula.Query{Offset: 10}},
		{"machine", eula.Query{MachineID: "machine-3"}},
		{"machine and product", eula.Query{MachineID: "machine-2", Filter: eula.Filter{Product: "xprotect-corporate"}}},
		{"reference", eula.Query{Reference: eula.ReferenceCommitment("ABCD-EFGH")}},
		{"actor organisation", eula.Query{Organization: "Acme Kft."}},
		{"bound organisation", eula.Query{Organization: "Bound Zrt."}},
		{"version", eula.Query{Filter: eula.Filter{Version: "20240101"}}},
		{"since", eula.Query{Filter: eula.Filter{Since: recs[7].Time}}},
		{"nothing", eula.Query{MachineID: "x-unknown"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			// Time order, then log order.
			inTime := slices.Clone(recs)
			slices.SortStableFunc(inTime, func(a, b eula.Record) int { return a.Time.Compare(b.Time) })
			var all []int64
			for i := range inTime {
				if consoleMatch(test.q, &inTime[i]) {
					all = append(all, inTime[i].Index)
				}
			}
			want := all[min(test.q.Offset, len(all)):]
			if test.q.Limit > 0 && len(want) > test.q.Limit {
				want = want[:test.q.Limit]
			}
			var got []int64
			if err := cs.Search(ctx, test.q, func(r eula.Record) error { got = append(got, r.Index); return nil }); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Search (-want +got):\n%s", diff)
			}
			n, err := cs.Count(ctx, test.q)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(all)) {
				t.Errorf("Count = %d, want %d", n, len(all))
			}
		})
	}
	// A bounded count stops past its bound.
	for _, test := range []struct {
		q    eula.Query
		want int64
	}{
		{eula.Query{CountUpTo: 5}, 6},
		{eula.Query{CountUpTo: int64(len(recs))}, int64(len(recs))},
		{eula.Query{Organization: "Acme Kft.", CountUpTo: 2}, 3},
		{eula.Query{MachineID: "machine-3", CountUpTo: 100}, 2},
	} {
		if n, err := cs.Count(ctx, test.q); err != nil || n != test.want {
			t.Errorf("Count(%+v) = %d, %v; want %d", test.q, n, err, test.want)
		}
	}
	c, err := cs.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The rule's arithmetic is OverviewOf's; here the store's counts must
	// add up to what the records say.
	var total, latest int64
	for _, tl := range c.ByVersion {
		total += tl.Accepted + tl.Declined
	}
	for _, l := range c.Latest {
		latest += l.N
	}
	pairs := map[[2]string]bool{}
	for _, r := range recs {
		pairs[[2]string{r.Installer.MachineID, r.Product}] = true
	}
	if total != int64(len(recs)) || latest != int64(len(pairs)) || c.Installations != int64(len(pairs)) {
		t.Errorf("Counts: %d records by version, %d latest, %d installations; want %d, %d, %d", total, latest, c.Installations, len(recs), len(pairs), len(pairs))
	}
	// Counts made before an append are not answered after it.
	if _, _, err := s.Append(ctx, NewRecord(100), ""); err != nil {
		t.Fatal(err)
	}
	if c, err = cs.Counts(ctx); err != nil {
		t.Fatal(err)
	}
	var after int64
	for _, tl := range c.ByProduct {
		after += tl.Accepted + tl.Declined
	}
	if after != total+1 {
		t.Errorf("Counts after one more append: %d records, want %d", after, total+1)
	}
	if _, err := s.Erase(ctx, recs[1].Personal.Actor.Email); err != nil {
		t.Fatal(err)
	}
	var got []int64
	if err := cs.Search(ctx, eula.Query{Organization: "Acme Kft."}, func(r eula.Record) error { got = append(got, r.Index); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, i := range got {
		if recs[i].Personal.Actor.Email == recs[1].Personal.Actor.Email {
			t.Errorf("an erased record %d is still found by its organisation", i)
		}
	}
}
