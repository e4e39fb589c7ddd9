package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
)

// testErasureEntries: erasing appends one erasure entry per record to the
// log, after the records, and the receipt of an erased record proves the
// erasure with that entry.
func testErasureEntries(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	recs := AppendN(t, s, 6) // eva0..eva4, eva0 twice
	ids, err := s.Erase(ctx, "eva0@example.hu")
	if err != nil || len(ids) != 2 {
		t.Fatalf("Erase = %v, %v; want 2 records", ids, err)
	}
	var entries []eula.Erasure
	if err := s.Erasures(ctx, func(e eula.Erasure) error { entries = append(entries, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("Erasures = %+v, want 2", entries)
	}
	for i, e := range entries {
		want := []eula.Record{recs[0], recs[5]}[i]
		if e.Index != int64(6+i) || e.RecordID != want.ID || e.RecordIndex != want.Index || e.Legacy || e.Time.IsZero() {
			t.Errorf("erasure entry %d = %+v, want index %d naming record %s at %d", i, e, 6+i, want.ID, want.Index)
		}
	}
	// The log goes on after the erasure entries.
	next, _, err := s.Append(ctx, NewRecord(6), "")
	if err != nil || next.Index != 8 {
		t.Errorf("Append after erasure: index %d, %v; want 8", next.Index, err)
	}
	wantClean(t, s, vkey, 9)

	rc, err := s.Receipt(ctx, recs[5].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, vkey); err != nil {
		t.Fatalf("receipt of an erased record: %v", err)
	}
	e, err := rc.ErasureEntry(vkey)
	if err != nil || e.Index != 7 || e.RecordID != recs[5].ID || !e.Time.Equal(entries[1].Time) {
		t.Errorf("ErasureEntry = %+v, %v; want entry 7", e, err)
	}
	for _, test := range []struct {
		name string
		edit func(rc *eula.Receipt)
		want string
	}{
		{"entry removed", func(rc *eula.Receipt) { rc.Erasure = nil }, "no erasure entry"},
		{"another record's entry", func(rc *eula.Receipt) {
			other, err := s.Receipt(ctx, recs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			rc.Erasure = other.Erasure
		}, "names record"},
		{"entry proof", func(rc *eula.Receipt) { rc.Erasure.Proof[0][0] ^= 1 }, "inclusion proof fails"},
		{"entry index", func(rc *eula.Receipt) { rc.Erasure.Index = 6 }, "inclusion proof fails"},
		{"entry time", func(rc *eula.Receipt) {
			rc.Erasure.Leaf = []byte(strings.Replace(string(rc.Erasure.Leaf), `"time":"2`, `"time":"1`, 1))
		}, "inclusion proof fails"},
		{"entry without mark", func(rc *eula.Receipt) { rc.Record.Erased = false }, "not marked erased"},
	} {
		t.Run(test.name, func(t *testing.T) {
			bad, err := s.Receipt(ctx, recs[5].ID)
			if err != nil {
				t.Fatal(err)
			}
			test.edit(&bad)
			if err := eula.VerifyReceipt(bad, vkey); !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), test.want) {
				t.Errorf("VerifyReceipt = %v, want %q", err, test.want)
			}
		})
	}
	// A receipt of a record not erased, with "erased": true added, fails.
	kept, err := s.Receipt(ctx, recs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Erasure != nil || kept.Record.Erased {
		t.Fatalf("receipt of a record not erased carries an erasure: %+v", kept.Erasure)
	}
	kept.Record.Personal, kept.Record.Erased = nil, true
	if err := eula.VerifyReceipt(kept, vkey); err == nil || !strings.Contains(err.Error(), "no erasure entry") {
		t.Errorf("VerifyReceipt(erased added) = %v, want a failure for the missing erasure entry", err)
	}
}

// testForgedErasure deletes a person's data and sets the erased mark
// directly in the database: the audit names the erasure missing from the
// log, and the record's receipt does not verify as erased.
func testForgedErasure(t *testing.T, s eula.Store, vkey string) {
	d, ok := s.(dber)
	if !ok {
		t.Skip("store has no DB() *sql.DB")
	}
	ctx := context.Background()
	recs := AppendN(t, s, 8)
	if _, err := s.Erase(ctx, "eva2@example.hu"); err != nil { // A real erasure, for contrast.
		t.Fatal(err)
	}
	wantClean(t, s, vkey, 8+2)
	for _, q := range []string{
		fmt.Sprintf("DELETE FROM personal WHERE record_id = '%s'", recs[3].ID),
		fmt.Sprintf("UPDATE records SET erased_at = '2026-01-02T03:04:05.000000Z' WHERE id = '%s'", recs[3].ID),
	} {
		if _, err := d.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rep := audit(t, s, vkey)
	if len(rep.Findings) != 1 || rep.Findings[0].Kind != translog.UnloggedErasure || rep.Findings[0].RecordID != recs[3].ID {
		t.Errorf("Audit after a forged erasure = %v, want one %s naming %s", rep.Findings, translog.UnloggedErasure, recs[3].ID)
	}
	rc, err := s.Receipt(ctx, recs[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, vkey); err == nil || !strings.Contains(err.Error(), "no erasure entry") {
		t.Errorf("VerifyReceipt(forged erasure) = %v, want a failure for the missing erasure entry", err)
	}

	// The mark taken off a real erasure is named too.
	if _, err := d.DB().ExecContext(ctx, fmt.Sprintf("UPDATE records SET erased_at = NULL WHERE id = '%s'", recs[2].ID)); err != nil {
		t.Fatal(err)
	}
	rep = audit(t, s, vkey)
	if !hasKind(rep, translog.ErasureNotApplied) {
		t.Errorf("Audit after unmarking an erasure = %v, want %s", rep.Findings, translog.ErasureNotApplied)
	}
	// And an erasure entry changed in storage.
	if _, err := d.DB().ExecContext(ctx, fmt.Sprintf("UPDATE erasures SET record_index = 1 WHERE record_id = '%s'", recs[7].ID)); err != nil {
		t.Fatal(err)
	}
	rep = audit(t, s, vkey)
	if !hasKind(rep, translog.Changed) || !hasKind(rep, translog.ErasureMismatch) {
		t.Errorf("Audit after changing an erasure entry = %v, want %s and %s", rep.Findings, translog.Changed, translog.ErasureMismatch)
	}
}
