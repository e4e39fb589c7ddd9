package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/note"
)

// reopen closes s and opens the database at path again, as a restarted
// server does.
func reopen(t *testing.T, s *sqlite.Store, path string, signer note.Signer) *sqlite.Store {
	t.Helper()
	if s != nil {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// exec runs statements on the store's database behind its back.
func exec(t *testing.T, s *sqlite.Store, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// eraseBehind erases a record as an attacker with the database would, or
// as eulagate did before erasures were logged: the personal data deleted,
// the record marked.
func eraseBehind(t *testing.T, s *sqlite.Store, id, at string) {
	t.Helper()
	exec(t, s, "DELETE FROM personal WHERE record_id = '"+id+"'",
		"UPDATE records SET erased_at = '"+at+"' WHERE id = '"+id+"'")
}

func auditWith(t *testing.T, s eula.Store, vkey string, known ...translog.Known) translog.Report {
	t.Helper()
	rep, err := translog.AuditWith(context.Background(), s, vkey, translog.Options{Known: known})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestLegacyErasures opens a database written before erasures were
// logged, with a record erased then: the store logs that erasure once, as
// a legacy entry, and the database stays readable and clean. Faking that
// upgrade later, to launder a forged erasure, is reported.
func TestLegacyErasures(t *testing.T) {
	ctx := context.Background()
	signer, vkey := storetest.Key(t)
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	s := reopen(t, nil, path, signer)
	recs := storetest.AppendN(t, s, 6)
	// The database as an earlier version left it: no erasure tables, one
	// record erased.
	const erasedAt = "2025-03-04T05:06:07.080910Z"
	eraseBehind(t, s, recs[1].ID, erasedAt)
	exec(t, s, "DROP TABLE erasures", "DROP TABLE log_meta")

	s = reopen(t, s, path, signer)
	rep := auditWith(t, s, vkey)
	if !rep.Clean() || rep.Records != 6 || rep.Erasures != 1 || rep.LegacyErasures != 1 || rep.TreeSize != 7 {
		t.Fatalf("Audit after the upgrade = %+v; want clean, 6 records and 1 legacy erasure entry", rep)
	}
	rc, err := s.Receipt(ctx, recs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, vkey); err != nil {
		t.Fatalf("receipt of a record erased before the upgrade: %v", err)
	}
	e, err := rc.ErasureEntry(vkey)
	if want, _ := time.Parse(eula.TimeLayout, erasedAt); err != nil || !e.Legacy || e.Index != 6 || !e.Time.Equal(want) {
		t.Errorf("ErasureEntry = %+v, %v; want legacy entry 6 of %s", e, err, erasedAt)
	}
	// Opening again logs nothing more.
	s = reopen(t, s, path, signer)
	if rep := auditWith(t, s, vkey); !rep.Clean() || rep.TreeSize != 7 {
		t.Fatalf("Audit after reopening = %+v", rep)
	}
	kept := translog.Known{Source: "witness", Checkpoint: []byte(rep.Checkpoint), Audited: true}

	// The upgrade faked to launder a forged erasure: the marker deleted,
	// the store restarted.
	storetest.AppendN(t, s, 2)
	eraseBehind(t, s, recs[2].ID, erasedAt)
	exec(t, s, "DELETE FROM log_meta")
	s = reopen(t, s, path, signer)
	rep = auditWith(t, s, vkey)
	if len(rep.Findings) != 1 || rep.Findings[0].Kind != translog.LateLegacyErasure || rep.Findings[0].RecordID != recs[2].ID {
		t.Errorf("Audit after a faked upgrade = %v, want one %s naming %s", rep.Findings, translog.LateLegacyErasure, recs[2].ID)
	}
	if rep := auditWith(t, s, vkey, kept); len(rep.Findings) != 1 || rep.Findings[0].Kind != translog.LateLegacyErasure {
		t.Errorf("Audit with the kept checkpoint = %v, want one %s", rep.Findings, translog.LateLegacyErasure)
	}
}

// TestFakedFirstUpgrade: on a database that never needed an upgrade, the
// faked one is the first run of legacy entries; the checkpoint an earlier
// audit kept shows it came too late.
func TestFakedFirstUpgrade(t *testing.T) {
	signer, vkey := storetest.Key(t)
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	s := reopen(t, nil, path, signer)
	recs := storetest.AppendN(t, s, 4)
	before := auditWith(t, s, vkey)
	if !before.Clean() {
		t.Fatalf("Audit = %v", before.Findings)
	}
	kept := translog.Known{Source: "witness", Checkpoint: []byte(before.Checkpoint), Audited: true}
	eraseBehind(t, s, recs[3].ID, "2026-01-01T00:00:00.000000Z")
	exec(t, s, "DELETE FROM log_meta")
	s = reopen(t, s, path, signer)
	rep := auditWith(t, s, vkey, kept)
	if len(rep.Findings) != 1 || rep.Findings[0].Kind != translog.LateLegacyErasure || rep.Findings[0].RecordID != recs[3].ID {
		t.Errorf("Audit with the kept checkpoint = %v, want one %s naming %s", rep.Findings, translog.LateLegacyErasure, recs[3].ID)
	}
}
