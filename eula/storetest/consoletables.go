package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eulagate/eulagate/eula"
)

// recounter is a store that can count its records as Counts does, from
// the records themselves rather than from what it maintains on append.
type recounter interface {
	eula.ConsoleStore
	CountsFromRecords(ctx context.Context) (eula.Counts, error)
}

// mixedRecord returns a valid record varied by i over what the overview
// counts: document, version, language, role, channel and decision, on few
// installations so that one batch often holds several records of one.
// A delegated record derives from from.
func mixedRecord(i int, from string) eula.Record {
	r := NewRecord(i)
	r.Installer.MachineID = fmt.Sprintf("machine-%d", i%5)
	r.Document.Version = []string{"20250212", "20240101", "20250212"}[i%3]
	r.Document.Language = []string{"hu", "en", "ja", "ru"}[i%4]
	r.Channel = []eula.Channel{eula.ChannelInstaller, eula.ChannelBrowser, eula.ChannelFirstBoot}[i%3]
	r.Decision = []eula.Decision{eula.Accepted, eula.Declined}[i/2%2]
	if i%7 == 3 {
		r.Document.ID = eula.DocPrivacy
	}
	if i%11 == 4 {
		// An installation with records but no EULA decision.
		r.Installer.MachineID, r.Document.ID = fmt.Sprintf("privacy-only-%d", i), eula.DocPrivacy
	}
	if from != "" && i%4 == 1 {
		r.Role, r.DerivedFrom = eula.RoleDelegated, []string{from}
	}
	return r
}

// wantCountsAgree fails t unless the store's counts equal a recount from
// its records.
func wantCountsAgree(t *testing.T, s recounter, when string) eula.Counts {
	t.Helper()
	ctx := context.Background()
	got, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.CountsFromRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: Counts differ from the records' recount (-records +Counts):\n%s", when, diff)
	}
	return got
}

// testConsoleTables checks that the counts the store maintains on append
// equal a recount from the records after concurrent appends (batches with
// several records of one installation), delegated records and erasures.
func testConsoleTables(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	rs, ok := s.(recounter)
	if !ok {
		t.Skipf("%T cannot recount from its records", s)
	}
	first, _, err := s.Append(ctx, mixedRecord(0, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	const clients, each = 12, 10
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				if _, _, err := s.Append(ctx, mixedRecord(1+c*each+i, first.ID), ""); err != nil {
					t.Errorf("Append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	c := wantCountsAgree(t, rs, "after appends")
	var records, latest int64
	for _, tl := range c.ByDay {
		records += tl.Accepted + tl.Declined
	}
	for _, l := range c.Latest {
		latest += l.N
	}
	if n := int64(1 + clients*each); records != n || latest == 0 || c.Installations <= latest {
		t.Errorf("Counts: %d records by day, %d installations with a EULA decision of %d; want %d records, some without a EULA decision", records, latest, c.Installations, n)
	}
	// An erasure removes personal data, not records: the counts stay.
	erased := 0
	for _, email := range []string{"eva1@example.hu", "eva3@example.hu"} {
		ids, err := s.Erase(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		erased += len(ids)
	}
	if after := wantCountsAgree(t, rs, "after erasures"); !cmp.Equal(c, after) {
		t.Errorf("Counts changed by an erasure:\n%s", cmp.Diff(c, after))
	}
	if _, _, err := s.Append(ctx, mixedRecord(1000, first.ID), ""); err != nil {
		t.Fatal(err)
	}
	wantCountsAgree(t, rs, "after an append after erasures")
	wantClean(t, s, vkey, int64(1+clients*each+1+erased))
}

// ConsoleUpgrade checks that a database written before the console's
// maintained tables gets them filled when it is opened: it appends to s,
// runs drop on its database (removing the tables, their trigger and the
// note that they were filled), appends more as an older server would,
// closes s, and checks the store reopen returns on the same database.
func ConsoleUpgrade(t *testing.T, s eula.Store, db *sql.DB, drop []string, reopen func() eula.Store) {
	ctx := context.Background()
	for i := range 20 {
		if _, _, err := s.Append(ctx, mixedRecord(i, ""), ""); err != nil {
			t.Fatal(err)
		}
	}
	before := wantCountsAgree(t, s.(recounter), "before the downgrade")
	for _, q := range drop {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i := 20; i < 30; i++ {
		if _, _, err := s.Append(ctx, mixedRecord(i, ""), ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = reopen()
	defer s.Close()
	after := wantCountsAgree(t, s.(recounter), "after the upgrade")
	var n, m int64
	for _, tl := range before.ByVersion {
		n += tl.Accepted + tl.Declined
	}
	for _, tl := range after.ByVersion {
		m += tl.Accepted + tl.Declined
	}
	if n != 20 || m != 30 {
		t.Errorf("records counted: %d before the downgrade, %d after the upgrade; want 20, 30", n, m)
	}
	if _, _, err := s.Append(ctx, mixedRecord(30, ""), ""); err != nil {
		t.Fatal(err)
	}
	wantCountsAgree(t, s.(recounter), "after an append after the upgrade")
}
