package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/note"
)

// TestDurablePragmas checks WAL mode and full sync on every connection.
func TestDurablePragmas(t *testing.T) {
	signer, _ := storetest.Key(t)
	s := open(t, signer).(*sqlite.Store)
	for range 3 { // Several pool connections.
		var mode string
		var sync int
		if err := s.DB().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || sync != 2 {
			t.Errorf("journal_mode %s, synchronous %d; want wal, 2 (FULL)", mode, sync)
		}
	}
}

// TestReopen checks that records, log and keys survive closing the store.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	signer, vkey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.OpenDir(ctx, dir, signer)
	if err != nil {
		t.Fatal(err)
	}
	first, _, err := s.Append(ctx, storetest.NewRecord(1), "k1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Append(ctx, storetest.NewRecord(2), ""); err == nil {
		t.Errorf("Append after Close succeeded")
	}
	signer, _, err = translog.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.OpenDir(ctx, dir, signer)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	again, replayed, err := s.Append(ctx, storetest.NewRecord(1), "k1")
	if err != nil || !replayed || again.ID != first.ID {
		t.Errorf("retry after reopen = %s, %v, %v; want %s replayed", again.ID, replayed, err, first.ID)
	}
	next, _, err := s.Append(ctx, storetest.NewRecord(2), "")
	if err != nil || next.Index != 1 {
		t.Errorf("Append after reopen: index %d, %v; want 1", next.Index, err)
	}
	rc, err := s.Receipt(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, vkey); err != nil {
		t.Error(err)
	}
}

// TestTwoWriters opens one file twice, as two processes would, and checks
// the log stays one sequence.
func TestTwoWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	signer, vkey := storetest.Key(t)
	var stores []*sqlite.Store
	for range 2 {
		s, err := sqlite.Open(ctx, path, sqlite.Options{Signer: signer})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			for i := range 10 {
				if _, _, err := stores[c%2].Append(ctx, storetest.NewRecord(i), fmt.Sprintf("%d-%d", c, i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	rep, err := translog.Audit(ctx, stores[0], vkey)
	if err != nil || !rep.Clean() || rep.TreeSize != 80 || rep.Records != 80 {
		t.Errorf("Audit = %+v, %v; want 80 records, clean", rep, err)
	}
}

// TestWrongKey checks that opening a log with another key fails at once.
func TestWrongKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	signer, vkey := storetest.Key(t)
	s, err := sqlite.Open(ctx, path, sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Append(ctx, storetest.NewRecord(1), ""); err != nil {
		t.Fatal(err)
	}
	s.Close()
	other, _ := storetest.Key(t)
	if s, err := sqlite.Open(ctx, path, sqlite.Options{Signer: other}); !errors.Is(err, eula.ErrConflict) {
		t.Errorf("Open with another key = %v, want ErrConflict", err)
		if err == nil {
			s.Close()
		}
	}
	s, err = sqlite.Open(ctx, path, sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatalf("Open with the right key: %v", err)
	}
	// A cosignature by another key (a witness's) beside the log's own.
	signed, err := s.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(signed, note.VerifierList(verifier(t, vkey)))
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := note.Sign(n, other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "UPDATE checkpoints SET note = ?", string(cosigned)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path, sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatalf("Open with the right key, checkpoint cosigned by another: %v", err)
	}
	s.Close()
}

func verifier(t *testing.T, vkey string) note.Verifier {
	t.Helper()
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestEraseFromDisk checks that erased personal data is gone from the
// database file and its WAL, not only from query results.
func TestEraseFromDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	signer, _ := storetest.Key(t)
	s, err := sqlite.OpenDir(ctx, dir, signer)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := storetest.NewRecord(1)
	r.Personal.Actor = eula.Person{Name: "Zebulon Quixote", Email: "zebulon.quixote@example.org"}
	if _, _, err := s.Append(ctx, r, ""); err != nil {
		t.Fatal(err)
	}
	storetest.AppendN(t, s, 50)
	onDisk := func() bool {
		for _, name := range []string{sqlite.FileName, sqlite.FileName + "-wal"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("Zebulon")) || bytes.Contains(b, []byte("zebulon.quixote")) {
				return true
			}
		}
		return false
	}
	if !onDisk() {
		t.Fatal("test is broken: the name is not on disk before erasure")
	}
	if ids, err := s.Erase(ctx, "Zebulon.Quixote@example.org"); err != nil || len(ids) != 1 {
		t.Fatalf("Erase = %v, %v", ids, err)
	}
	if onDisk() {
		t.Errorf("erased name or address still in the database files")
	}
}

// TestGroupCommit checks that concurrent appends share transactions.
func TestGroupCommit(t *testing.T) {
	signer, _ := storetest.Key(t)
	s := open(t, signer).(*sqlite.Store)
	var wg sync.WaitGroup
	for c := range 32 {
		wg.Go(func() {
			for i := range 8 {
				if _, _, err := s.Append(context.Background(), storetest.NewRecord(c*8+i), ""); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	st := s.Stats()
	if st.Records != 256 || st.Batches >= st.Records {
		t.Errorf("Stats = %+v: want 256 records in fewer transactions", st)
	}
	t.Logf("256 appends from 32 clients in %d transactions", st.Batches)
}
