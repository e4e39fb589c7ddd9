package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// withStore opens the store in the data directory dir as the commands do,
// runs fn on it and closes it.
func withStore(t *testing.T, dir string, fn func(s *sqlite.Store)) {
	t.Helper()
	s, _, err := openStore(context.Background(), &dataFlags{dir: dir}, "", func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fn(s.(*sqlite.Store))
}

// sqlExec runs statements on the store's database behind its back.
func sqlExec(t *testing.T, s *sqlite.Store, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// truncate cuts the log of store s to size entries, with the leaf hashes
// and checkpoints of what it cuts, and lowers the tree head: what a
// tamperer with the database does to make decisions disappear.
func truncate(t *testing.T, s *sqlite.Store, size int64) {
	t.Helper()
	sqlExec(t, s,
		fmt.Sprintf("DELETE FROM records WHERE log_index >= %d", size),
		fmt.Sprintf("DELETE FROM erasures WHERE log_index >= %d", size),
		fmt.Sprintf("DELETE FROM hashes WHERE idx >= %d", tlog.StoredHashIndex(0, size)),
		fmt.Sprintf("DELETE FROM checkpoints WHERE tree_size > %d", size),
		fmt.Sprintf("UPDATE tree_head SET size = %d", size))
}

// TestAuditTruncation: the audit's witness file catches the log's tail
// cut off with its hashes and checkpoints, which the store alone cannot
// show, and keeps failing until it is repaired.
func TestAuditTruncation(t *testing.T) {
	for _, cut := range []int64{1, 5} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			dir := t.TempDir()
			withStore(t, dir, func(s *sqlite.Store) { storetest.AppendN(t, s, 12) })
			expectRun(t, []string{"audit", "--data", dir}, 0, "witness: "+filepath.Join(dir, auditWitnessFile)+" keeps the checkpoint of 12 entries (a new witness file", "")
			fi, err := os.Stat(filepath.Join(dir, auditWitnessFile))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("witness file: %v, %v; want mode 0600", fi, err)
			}
			expectRun(t, []string{"audit", "--data", dir}, 0, "clean", "")
			withStore(t, dir, func(s *sqlite.Store) { truncate(t, s, 12-cut) })
			for range 2 { // It keeps failing: the witness file is not updated.
				code, out, _ := runCmd(t, "audit", "--data", dir)
				if code != exitFailed || !strings.Contains(out, "truncated: index "+fmt.Sprint(12-cut)) || !strings.Contains(out, "ALERT") || strings.Contains(out, "clean") {
					t.Errorf("audit after cutting %d records: exit %d\n%s", cut, code, out)
				}
			}
			// Another witness file, kept elsewhere, was not told.
			other := filepath.Join(t.TempDir(), "w.json")
			expectRun(t, []string{"audit", "--data", dir, "--witness", other}, 0, "clean", "")
		})
	}
}

// TestAuditRewrite: a log rewritten with its own key (cut, then new
// records appended and signed past the size witnessed) disagrees with the
// witness file.
func TestAuditRewrite(t *testing.T) {
	dir := t.TempDir()
	withStore(t, dir, func(s *sqlite.Store) { storetest.AppendN(t, s, 10) })
	expectRun(t, []string{"audit", "--data", dir}, 0, "clean", "")
	withStore(t, dir, func(s *sqlite.Store) {
		truncate(t, s, 5)
		for i := range 7 {
			if _, _, err := s.Append(context.Background(), storetest.NewRecord(100+i), ""); err != nil {
				t.Fatal(err)
			}
		}
	})
	// The store alone is consistent: its key signed the new history.
	expectRun(t, []string{"audit", "--data", dir, "--witness", filepath.Join(t.TempDir(), "new.json")}, 0, "clean", "")
	code, out, _ := runCmd(t, "audit", "--data", dir)
	if code != exitFailed || !strings.Contains(out, "forked:") || !strings.Contains(out, "tree-mismatch:") || !strings.Contains(out, "ALERT") {
		t.Errorf("audit of a rewritten log: exit %d\n%s", code, out)
	}
}

// TestAuditForgedErasure: an erasure made behind the log's back (the
// person's data deleted, the erased mark set in SQLite) fails the audit.
func TestAuditForgedErasure(t *testing.T) {
	dir := t.TempDir()
	var recs []eula.Record
	withStore(t, dir, func(s *sqlite.Store) {
		recs = storetest.AppendN(t, s, 6)
		if _, err := s.Erase(context.Background(), "eva1@example.hu"); err != nil {
			t.Fatal(err)
		}
	})
	expectRun(t, []string{"audit", "--data", dir}, 0, "erasure entries: 1\n", "")
	withStore(t, dir, func(s *sqlite.Store) {
		sqlExec(t, s, "DELETE FROM personal WHERE record_id = '"+recs[2].ID+"'",
			"UPDATE records SET erased_at = '2026-05-06T07:08:09.000000Z' WHERE id = '"+recs[2].ID+"'")
	})
	code, out, _ := runCmd(t, "audit", "--data", dir)
	if code != exitFailed || !strings.Contains(out, "erasure-unlogged: index 2 record "+recs[2].ID) {
		t.Errorf("audit after a forged erasure: exit %d\n%s", code, out)
	}
}

// writeReceipt writes a receipt as an installer keeps it.
func writeReceipt(t *testing.T, path string, rc eula.Receipt) {
	t.Helper()
	b, err := json.Marshal(rc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAuditReceipts: the receipts an installer kept hold the log to what
// it gave out, even without a witness file.
func TestAuditReceipts(t *testing.T) {
	dir, kept := t.TempDir(), t.TempDir()
	withStore(t, dir, func(s *sqlite.Store) {
		recs := storetest.AppendN(t, s, 8)
		for _, i := range []int{2, 7} {
			rc, err := s.Receipt(context.Background(), recs[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			writeReceipt(t, filepath.Join(kept, fmt.Sprintf("r%d.json", i)), rc)
		}
	})
	noWitness := func() string { return filepath.Join(t.TempDir(), "w.json") }
	expectRun(t, []string{"audit", "--data", dir, "--receipts", kept, "--witness", noWitness()}, 0, "known checkpoints: 0\nkept receipts: 2\n", "")
	if err := os.WriteFile(filepath.Join(kept, "junk.json"), []byte(`{"receipt":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "audit", "--data", dir, "--receipts", kept, "--witness", noWitness())
	if code != exitFailed || !strings.Contains(out, "junk.json is not a receipt") {
		t.Errorf("audit with a file that is not a receipt: exit %d\n%s", code, out)
	}
	os.Remove(filepath.Join(kept, "junk.json"))
	withStore(t, dir, func(s *sqlite.Store) { truncate(t, s, 7) })
	code, out, _ = runCmd(t, "audit", "--data", dir, "--receipts", kept, "--witness", noWitness())
	if code != exitFailed || !strings.Contains(out, "truncated: index 7") || !strings.Contains(out, "r7.json signs a log of 8 entries") {
		t.Errorf("audit of a cut log with kept receipts: exit %d\n%s", code, out)
	}
}

// TestVerifyErased: verify shows an erasure only from its erasure entry;
// "erased": true added to a receipt by hand fails.
func TestVerifyErased(t *testing.T) {
	dir, kept := t.TempDir(), t.TempDir()
	var key string
	withStore(t, dir, func(s *sqlite.Store) {
		ctx := context.Background()
		recs := storetest.AppendN(t, s, 4)
		if _, err := s.Erase(ctx, "eva1@example.hu"); err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{1, 2} {
			rc, err := s.Receipt(ctx, recs[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			writeReceipt(t, filepath.Join(kept, fmt.Sprintf("r%d.json", i)), rc)
		}
	})
	_, key, _ = runCmd(t, "key", "--data", dir)
	key = strings.TrimSpace(key)
	expectRun(t, []string{"verify", "--key", key, filepath.Join(kept, "r1.json")}, 0, "personal data: erased on request on ", "")
	code, out, _ := runCmd(t, "verify", "--key", key, filepath.Join(kept, "r2.json"))
	if code != 0 || strings.Contains(out, "erased") {
		t.Errorf("verify of a record not erased: exit %d\n%s", code, out)
	}
	// "erased": true added by hand, the personal data left out.
	var raw map[string]any
	b, _ := os.ReadFile(filepath.Join(kept, "r2.json"))
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	rec := raw["record"].(map[string]any)
	rec["erased"] = true
	delete(rec, "personal")
	forged := filepath.Join(kept, "forged.json")
	b, _ = json.Marshal(raw)
	os.WriteFile(forged, b, 0o600)
	code, out, errOut := runCmd(t, "verify", "--key", key, forged)
	if code != exitFailed || strings.Contains(out, "erased on request") || !strings.Contains(errOut, "no erasure entry") {
		t.Errorf("verify of a receipt with \"erased\": true added: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

// TestAuditCosigned: the checkpoints a witness cosigned hold the log to
// them; a file without the named witness's cosignature is refused.
func TestAuditCosigned(t *testing.T) {
	dir, wdir := t.TempDir(), t.TempDir()
	var signed []byte
	withStore(t, dir, func(s *sqlite.Store) {
		storetest.AppendN(t, s, 9)
		var err error
		if signed, err = s.LatestCheckpoint(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	_, key, _ := runCmd(t, "key", "--data", dir)
	c, _, err := translog.LoadOrCreateCosigner(filepath.Join(wdir, "witness.key"), "witness.example/w1")
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := translog.Cosign(signed, strings.TrimSpace(key), c)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(wdir, "cosigned")
	os.WriteFile(file, cosigned, 0o600)
	noWitness := func() string { return filepath.Join(t.TempDir(), "w.json") }
	expectRun(t, []string{"audit", "--data", dir, "--cosigned", file, "--cosigner", c.VerifierKey(), "--witness", noWitness()}, 0, "known checkpoints: 1\n", "")
	other, _, err := translog.LoadOrCreateCosigner(filepath.Join(wdir, "other.key"), "witness.example/w2")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "audit", "--data", dir, "--cosigned", file, "--cosigner", other.VerifierKey(), "--witness", noWitness())
	if code != exitFailed || !strings.Contains(out, "no valid cosignature by witness.example/w2") {
		t.Errorf("audit with a checkpoint another witness cosigned: exit %d\n%s", code, out)
	}
	withStore(t, dir, func(s *sqlite.Store) { truncate(t, s, 4) })
	code, out, _ = runCmd(t, "audit", "--data", dir, "--cosigned", file, "--cosigner", c.VerifierKey(), "--witness", noWitness())
	if code != exitFailed || !strings.Contains(out, "truncated: index 4") {
		t.Errorf("audit of a cut log with a cosigned checkpoint: exit %d\n%s", code, out)
	}
}
