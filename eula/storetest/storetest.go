package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Opener opens a fresh, empty store that signs checkpoints with signer. It
// registers the store's cleanup with t.
type Opener func(t *testing.T, signer note.Signer) eula.Store

// Key returns a new signer and its verifier key for a test.
func Key(t testing.TB) (note.Signer, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, translog.KeyName)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s, vkey
}

// NewRecord returns a valid record, varied by i: its machine, product and
// person depend on i.
func NewRecord(i int) eula.Record {
	yes := i%2 == 0
	return eula.Record{
		Installer: eula.Installer{Product: "xprotect-corporate", Version: "2025.1", MachineID: fmt.Sprintf("machine-%d", i%7)},
		Product:   []string{"xprotect-corporate", "xprotect-expert"}[i%2],
		Document: eula.Shown{ID: "eula", Version: "20250212", Language: "hu",
			Hash: "sha256:" + strings.Repeat("a", 64), OriginalHash: "sha256:" + strings.Repeat("b", 64)},
		Decision:        []eula.Decision{eula.Accepted, eula.Accepted, eula.Declined}[i%3],
		Role:            eula.RoleEndUser,
		Channel:         eula.ChannelInstaller,
		RegisterConsent: &yes,
		Personal: &eula.Personal{
			Actor:      eula.Person{Name: fmt.Sprintf("Kovács Éva %d", i), Email: fmt.Sprintf("eva%d@example.hu", i%5)},
			ClientAddr: "192.0.2.1", UserAgent: "eulagate-installer/1.0",
		},
	}
}

// Run runs the conformance suite on stores made by open.
func Run(t *testing.T, open Opener) {
	for _, test := range []struct {
		name string
		fn   func(t *testing.T, s eula.Store, vkey string)
	}{
		{"AppendGet", testAppendGet},
		{"Invalid", testInvalid},
		{"Idempotency", testIdempotency},
		{"Concurrent", testConcurrent},
		{"Receipt", testReceipt},
		{"Status", testStatus},
		{"HistoryPages", testHistoryPages},
		{"Records", testRecords},
		{"Export", testExport},
		{"SubjectErase", testSubjectErase},
		{"Tamper", testTamper},
		{"TamperHashes", testTamperHashes},
		{"WriteError", testWriteError},
		{"Truncate", testTruncate},
		{"ErasureEntries", testErasureEntries},
		{"ForgedErasure", testForgedErasure},
		{"Console", testConsole},
		{"ConsoleTables", testConsoleTables},
	} {
		t.Run(test.name, func(t *testing.T) {
			signer, vkey := Key(t)
			test.fn(t, open(t, signer), vkey)
		})
	}
	t.Run("Registrar", func(t *testing.T) {
		signer, vkey := Key(t)
		testRegistrar(t, open(t, signer), signer, vkey)
	})
}

// AppendN appends NewRecord(0) ... NewRecord(n-1) and returns the stored
// records.
func AppendN(t *testing.T, s eula.Store, n int) []eula.Record {
	t.Helper()
	var out []eula.Record
	for i := range n {
		r, _, err := s.Append(context.Background(), NewRecord(i), "")
		if err != nil {
			t.Fatalf("Append(%d): %v", i, err)
		}
		out = append(out, r)
	}
	return out
}

func audit(t *testing.T, s eula.Store, vkey string) translog.Report {
	t.Helper()
	rep, err := translog.Audit(context.Background(), s, vkey)
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	return rep
}

// wantClean wants a clean audit of a log of size entries: records and
// erasure entries.
func wantClean(t *testing.T, s eula.Store, vkey string, size int64) {
	t.Helper()
	rep := audit(t, s, vkey)
	if !rep.Clean() || rep.TreeSize != size || rep.Records+rep.Erasures != size {
		t.Errorf("Audit: size %d, records %d, erasure entries %d, findings %v; want clean with %d", rep.TreeSize, rep.Records, rep.Erasures, rep.Findings, size)
	}
}

func testAppendGet(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	in := NewRecord(1)
	got, replayed, err := s.Append(ctx, in, "")
	if err != nil || replayed {
		t.Fatalf("Append = _, %v, %v", replayed, err)
	}
	if got.ID == "" || got.Index != 0 || got.Time.IsZero() || got.PersonalHash == "" || len(got.Personal.Salt) != eula.SaltLen {
		t.Errorf("Append did not seal the record: %+v", got)
	}
	if got.Fingerprint() != in.Fingerprint() {
		t.Errorf("Append changed the client's fields")
	}
	back, err := s.Get(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, back); diff != "" {
		t.Errorf("Get differs from Append (-want +got):\n%s", diff)
	}
	second, _, err := s.Append(ctx, NewRecord(2), "")
	if err != nil || second.Index != 1 {
		t.Errorf("second Append: index %d, %v; want 1", second.Index, err)
	}
	if _, err := s.Get(ctx, "00000000-0000-0000-0000-000000000000"); !errors.Is(err, eula.ErrNotFound) {
		t.Errorf("Get(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.Receipt(ctx, "nope"); !errors.Is(err, eula.ErrNotFound) {
		t.Errorf("Receipt(unknown) = %v, want ErrNotFound", err)
	}
	wantClean(t, s, vkey, 2)
}

func testInvalid(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	AppendN(t, s, 1)
	for _, test := range []struct {
		name string
		edit func(r *eula.Record)
		key  string
	}{
		{"no machine", func(r *eula.Record) { r.Installer.MachineID = "" }, ""},
		{"bad decision", func(r *eula.Record) { r.Decision = "maybe" }, ""},
		{"control in name", func(r *eula.Record) { r.Personal.Actor.Name = "Eve\x00" }, ""},
		{"long name", func(r *eula.Record) { r.Personal.Actor.Name = strings.Repeat("x", eula.MaxNameLen+1) }, ""},
		{"bidi override", func(r *eula.Record) { r.Personal.Actor.Name = "abc\u202egpj.exe" }, ""},
		{"bad email", func(r *eula.Record) { r.Personal.Actor.Email = "not-an-address" }, ""},
		{"dealer without customer", func(r *eula.Record) { r.Role = eula.RoleDealer }, ""},
		{"bad key", func(r *eula.Record) {}, "has space"},
	} {
		t.Run(test.name, func(t *testing.T) {
			r := NewRecord(3)
			test.edit(&r)
			if _, _, err := s.Append(ctx, r, test.key); !errors.Is(err, eula.ErrInvalid) {
				t.Errorf("Append = %v, want ErrInvalid", err)
			}
		})
	}
	wantClean(t, s, vkey, 1) // Nothing half-written.
}

func testIdempotency(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	first, replayed, err := s.Append(ctx, NewRecord(1), "retry-1")
	if err != nil || replayed {
		t.Fatalf("Append = %v, %v", replayed, err)
	}
	again, replayed, err := s.Append(ctx, NewRecord(1), "retry-1")
	if err != nil || !replayed {
		t.Fatalf("retried Append = %v, %v; want replayed", replayed, err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("retry returned another record (-want +got):\n%s", diff)
	}
	if _, _, err := s.Append(ctx, NewRecord(2), "retry-1"); !errors.Is(err, eula.ErrConflict) {
		t.Errorf("Append with reused key and other body = %v, want ErrConflict", err)
	}
	// Concurrent retries of one request record it once.
	var wg sync.WaitGroup
	ids := make([]string, 16)
	for i := range ids {
		wg.Go(func() {
			r, _, err := s.Append(ctx, NewRecord(5), "retry-2")
			if err != nil {
				t.Errorf("Append: %v", err)
			}
			ids[i] = r.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Errorf("concurrent retries got ids %v, want one", ids)
			break
		}
	}
	wantClean(t, s, vkey, 2)
}

func testConcurrent(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	const clients, each = 16, 8
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				r, _, err := s.Append(ctx, NewRecord(c*each+i), fmt.Sprintf("c%d-%d", c, i))
				if err != nil {
					t.Errorf("Append: %v", err)
					return
				}
				mu.Lock()
				if other, dup := seen[r.Index]; dup {
					t.Errorf("index %d given to %s and %s", r.Index, other, r.ID)
				}
				seen[r.Index] = r.ID
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for i := range int64(clients * each) {
		if _, ok := seen[i]; !ok {
			t.Errorf("index %d not assigned", i)
		}
	}
	wantClean(t, s, vkey, clients*each)
}

func testReceipt(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	recs := AppendN(t, s, 13)
	for _, r := range recs {
		rc, err := s.Receipt(ctx, r.ID)
		if err != nil {
			t.Fatalf("Receipt(%d): %v", r.Index, err)
		}
		if rc.TreeSize != 13 || rc.Index != r.Index {
			t.Errorf("Receipt(%d): tree %d, index %d", r.Index, rc.TreeSize, rc.Index)
		}
		if err := eula.VerifyReceipt(rc, vkey); err != nil {
			t.Errorf("VerifyReceipt(%d): %v", r.Index, err)
		}
		// The receipt survives JSON.
		b, err := json.Marshal(rc)
		if err != nil {
			t.Fatal(err)
		}
		var back eula.Receipt
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := eula.VerifyReceipt(back, vkey); err != nil {
			t.Errorf("VerifyReceipt(%d) after JSON: %v", r.Index, err)
		}
	}
	rc, err := s.Receipt(ctx, recs[4].ID)
	if err != nil {
		t.Fatal(err)
	}
	bad := rc
	bad.Record.Decision = eula.Declined
	bad.Leaf = bad.Record.LeafData() // The leaf made again from the altered record.
	if err := eula.VerifyReceipt(bad, vkey); err == nil || !strings.Contains(err.Error(), "inclusion proof") {
		t.Errorf("VerifyReceipt(altered decision) = %v, want inclusion proof failure", err)
	}
	_, other := Key(t)
	if err := eula.VerifyReceipt(rc, other); err == nil || !strings.Contains(err.Error(), "not signed by") {
		t.Errorf("VerifyReceipt(other key) = %v, want not signed", err)
	}
}

func testStatus(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	h, err := s.Latest(ctx, "m-1", "xprotect-expert")
	if err != nil || h == nil || len(h) != 0 {
		t.Fatalf("Latest(empty) = %v, %v", h, err)
	}
	if got := eula.StatusOf(h, "2", nil).State; got != eula.StateNone {
		t.Errorf("status = %s, want none", got)
	}
	add := func(version string, d eula.Decision) {
		r := NewRecord(1)
		r.Installer.MachineID, r.Product, r.Document.Version, r.Decision = "m-1", "xprotect-expert", version, d
		if _, _, err := s.Append(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
		other := r
		other.Installer.MachineID = "m-2"
		other.Decision = eula.Declined
		if _, _, err := s.Append(ctx, other, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		version string
		d       eula.Decision
		want    eula.State
	}{
		{"1", eula.Accepted, eula.StateReacceptanceDue},
		{"2", eula.Declined, eula.StateDeclined},
		{"2", eula.Accepted, eula.StateAccepted},
	} {
		add(step.version, step.d)
		h, err := s.Latest(ctx, "m-1", "xprotect-expert")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range h {
			if r.Personal != nil {
				t.Fatalf("Latest returned personal data")
			}
		}
		if got := eula.StatusOf(h, "2", nil); got.State != step.want || got.Version != step.version {
			t.Errorf("after %s %s: status %+v, want %s", step.d, step.version, got, step.want)
		}
	}
}

// testHistoryPages gives one installation more records than a page of
// History, of several kinds: History pages through all of them, and Latest
// answers every rule as the whole history does.
func testHistoryPages(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	const machine, product = "m-1", "xprotect-expert"
	// A direct acceptance, then more than a page of other records: a
	// delegated acceptance after each update, the privacy notice, another
	// licensee's records, other installations' and products' decisions.
	var all []eula.Record
	add := func(edit func(r *eula.Record)) {
		t.Helper()
		r := NewRecord(len(all))
		r.Installer.MachineID, r.Product, r.Decision = machine, product, eula.Accepted
		edit(&r)
		got, _, err := s.Append(ctx, r, "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Installer.MachineID == machine && got.Product == product {
			all = append(all, got.WithoutPersonal())
		}
	}
	add(func(r *eula.Record) { r.Document.Version = "1" })
	add(func(r *eula.Record) { r.Document.Version, r.Decision = "1", eula.Declined })
	add(func(r *eula.Record) { r.Document.Version = "1" })
	for i := 0; len(all) <= eula.MaxHistoryPage+10; i++ {
		add(func(r *eula.Record) {
			switch i % 5 {
			case 0, 1:
				r.Role, r.Channel, r.Personal = eula.RoleDelegated, eula.ChannelUnattended, nil
				r.DerivedFrom = []string{all[0].ID}
				r.Installer.Version = fmt.Sprint("2025.", i)
			case 2:
				r.Document.ID, r.Decision = eula.DocPrivacy, []eula.Decision{eula.Accepted, eula.Declined}[i%2]
			case 3:
				r.Licensee = fmt.Sprint("Licensee ", i%3)
			case 4:
				r.Installer.MachineID = "m-2"
			}
		})
	}
	add(func(r *eula.Record) { r.Product = "xprotect-corporate" })

	var paged []eula.Record
	page := eula.Page{}
	for pages := 1; ; pages++ {
		got, next, err := s.History(ctx, machine, product, page)
		if err != nil {
			t.Fatalf("History(%+v): %v", page, err)
		}
		if len(got) > eula.MaxHistoryPage {
			t.Fatalf("History(%+v) gave %d records, more than %d", page, len(got), eula.MaxHistoryPage)
		}
		paged = append(paged, got...)
		if next == nil {
			if pages < 2 {
				t.Errorf("History gave one page of %d records, want more than one", len(paged))
			}
			break
		}
		page = *next
	}
	if diff := cmp.Diff(all, paged); diff != "" {
		t.Errorf("History, all pages (-want +got):\n%s", diff)
	}
	small, next, err := s.History(ctx, machine, product, eula.Page{From: all[1].Index, Limit: 2})
	if err != nil || next == nil || cmp.Diff(all[1:3], small) != "" || *next != (eula.Page{From: all[2].Index + 1, Limit: 2}) {
		t.Errorf("History(from %d, limit 2) = %v, %+v, %v; want records 1 and 2 and a next page", all[1].Index, small, next, err)
	}
	if _, _, err := s.History(ctx, machine, product, eula.Page{From: -1}); !errors.Is(err, eula.ErrInvalid) {
		t.Errorf("History(negative page) = %v, want ErrInvalid", err)
	}

	latest, err := s.Latest(ctx, machine, product)
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) >= len(all) {
		t.Errorf("Latest gave %d records of %d", len(latest), len(all))
	}
	last := func(recs []eula.Record, keep func(r *eula.Record) bool) int64 {
		at := int64(-1)
		for i := range recs {
			if keep(&recs[i]) {
				at = max(at, recs[i].Index)
			}
		}
		return at
	}
	for name, keep := range map[string]func(r *eula.Record) bool{
		"any":            func(*eula.Record) bool { return true },
		"EULA":           func(r *eula.Record) bool { return r.Document.ID == eula.DocEULA },
		"direct":         func(r *eula.Record) bool { return r.Role != eula.RoleDelegated && r.Role != eula.RoleAdministrator },
		"direct decline": func(r *eula.Record) bool { return r.Role == eula.RoleEndUser && r.Decision == eula.Declined },
		"privacy":        func(r *eula.Record) bool { return r.Document.ID == eula.DocPrivacy },
		"licensee":       func(r *eula.Record) bool { return r.Licensee == "Licensee 1" },
	} {
		if want, got := last(all, keep), last(latest, keep); got != want {
			t.Errorf("latest %s record: %d in Latest, %d in the whole history", name, got, want)
		}
	}
	if diff := cmp.Diff(eula.StatusOf(all, "1", nil), eula.StatusOf(latest, "1", nil)); diff != "" {
		t.Errorf("StatusOf(Latest) differs from StatusOf(the whole history) (-want +got):\n%s", diff)
	}
	for _, r := range latest {
		if r.Personal != nil {
			t.Fatalf("Latest returned personal data")
		}
	}
}

func testRecords(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	recs := AppendN(t, s, 12)
	mid := recs[6].Time
	for _, test := range []struct {
		name string
		f    eula.Filter
	}{
		{"all", eula.Filter{}},
		{"product", eula.Filter{Product: "xprotect-expert"}},
		{"version", eula.Filter{Version: "20250212"}},
		{"no version", eula.Filter{Version: "1999"}},
		{"role", eula.Filter{Role: eula.RoleEndUser}},
		{"decision", eula.Filter{Decision: eula.Declined}},
		{"since", eula.Filter{Since: mid}},
		{"until", eula.Filter{Until: mid}},
	} {
		t.Run(test.name, func(t *testing.T) {
			var want, got []int64
			for i := range recs {
				if test.f.Match(&recs[i]) {
					want = append(want, recs[i].Index)
				}
			}
			err := s.Records(ctx, test.f, func(r eula.Record) error {
				got = append(got, r.Index)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Records (-want +got):\n%s", diff)
			}
		})
	}
	stop := errors.New("stop")
	if err := s.Records(ctx, eula.Filter{}, func(eula.Record) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Records did not return fn's error: %v", err)
	}
}

func testExport(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	recs := AppendN(t, s, 5)
	var buf bytes.Buffer
	if err := eula.ExportJSONL(ctx, s, eula.Filter{}, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(recs) {
		t.Fatalf("JSON Lines: %d lines, want %d", len(lines), len(recs))
	}
	var first eula.Record
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(recs[0], first); diff != "" {
		t.Errorf("JSON Lines record (-want +got):\n%s", diff)
	}
	buf.Reset()
	if err := eula.ExportCSV(ctx, s, eula.Filter{Decision: eula.Declined}, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][1] != recs[2].ID || len(rows[1]) != len(eula.CSVHeader) {
		t.Errorf("CSV = %q, want header and record %s", rows, recs[2].ID)
	}
}

func testSubjectErase(t *testing.T, s eula.Store, vkey string) {
	ctx := context.Background()
	recs := AppendN(t, s, 10) // eva0..eva4, each twice
	bound := NewRecord(10)
	bound.Role = eula.RoleDealer
	bound.Personal.Actor = eula.Person{Name: "Dealer Dan", Email: "dan@dealer.example"}
	bound.Personal.Bound = &eula.Person{Name: "Customer Eva", Email: "EVA1@example.hu", Organization: "Eva Kft."}
	b, _, err := s.Append(ctx, bound, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Subject(ctx, " Eva1@Example.HU")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
		if r.Personal == nil {
			t.Errorf("Subject returned %s without personal data", r.ID)
		}
	}
	want := []string{recs[1].ID, recs[6].ID, b.ID}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("Subject (-want +got):\n%s", diff)
	}
	erased, err := s.Erase(ctx, "eva1@example.hu")
	if err != nil {
		t.Fatal(err)
	}
	if len(erased) != 3 {
		t.Errorf("Erase erased %v, want 3 records", erased)
	}
	if _, err := s.Erase(ctx, " "); !errors.Is(err, eula.ErrInvalid) {
		t.Errorf("Erase(empty) = %v, want ErrInvalid", err)
	}
	for _, id := range want {
		r, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Erased || r.Personal != nil {
			t.Errorf("record %s after erasure: erased %v, personal %v", id, r.Erased, r.Personal)
		}
		rc, err := s.Receipt(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := eula.VerifyReceipt(rc, vkey); err != nil {
			t.Errorf("receipt of erased record: %v", err)
		}
		var buf bytes.Buffer
		if err := eula.ExportJSONL(ctx, s, eula.Filter{}, &buf); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(buf.String()), "eva1@") || strings.Contains(buf.String(), "Customer Eva") {
			t.Errorf("export still holds erased personal data")
		}
	}
	var buf bytes.Buffer
	if err := eula.ExportSubject(ctx, s, "eva2@example.hu", time.Now(), &buf); err != nil {
		t.Fatal(err)
	}
	var export eula.SubjectExport
	if err := json.Unmarshal(buf.Bytes(), &export); err != nil || len(export.Records) != 2 || export.Records[0].Personal.Actor.Email != "eva2@example.hu" {
		t.Errorf("ExportSubject = %s, %v", buf.String(), err)
	}
	if got, err := s.Subject(ctx, "eva1@example.hu"); err != nil || len(got) != 0 {
		t.Errorf("Subject after erasure = %d records, %v", len(got), err)
	}
	// Others keep theirs.
	if r, err := s.Get(ctx, recs[2].ID); err != nil || r.Personal == nil {
		t.Errorf("unrelated record lost its personal data: %v", err)
	}
	wantClean(t, s, vkey, 11+3) // 11 records, 3 erasure entries
}

// dber is implemented by stores whose tables the tamper test can change.
type dber interface{ DB() *sql.DB }

func testTamper(t *testing.T, s eula.Store, vkey string) {
	d, ok := s.(dber)
	if !ok {
		t.Skip("store has no DB() *sql.DB")
	}
	ctx := context.Background()
	recs := AppendN(t, s, 20)
	wantClean(t, s, vkey, 20)
	exec := func(q string) {
		t.Helper()
		if _, err := d.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("UPDATE records SET decision = 'declined' WHERE log_index = 3")
	exec("DELETE FROM records WHERE log_index = 7")
	exec("UPDATE records SET log_index = -1 WHERE log_index = 10")
	exec("UPDATE records SET log_index = 10 WHERE log_index = 12")
	exec("UPDATE records SET log_index = 12 WHERE log_index = -1")
	exec(fmt.Sprintf("UPDATE personal SET actor_name = 'Mallory' WHERE record_id = '%s'", recs[15].ID))
	exec("DELETE FROM records WHERE log_index = 19")
	exec(fmt.Sprintf("UPDATE records SET time = '2020-01-01T00:00:00.000000Z' WHERE id = '%s'", recs[17].ID))
	exec(fmt.Sprintf("DELETE FROM personal WHERE record_id = '%s'", recs[5].ID))
	const extra = "ffffffff-ffff-4fff-bfff-ffffffffffff"
	exec(`INSERT INTO records (log_index, id, time, installer_product, installer_version, machine_id,
		product, doc_id, doc_version, doc_language, shown_hash, original_hash, decision, role, channel,
		register_consent, licensee, reference, derived_from, personal_hash, erased_at)
		SELECT 20, '` + extra + `', time, installer_product, installer_version, machine_id,
		product, doc_id, doc_version, doc_language, shown_hash, original_hash, decision, role, channel,
		register_consent, licensee, reference, derived_from, personal_hash, erased_at
		FROM records WHERE log_index = 0`)
	rep := audit(t, s, vkey)
	type key struct {
		kind  translog.Kind
		index int64
		id    string
	}
	var got []key
	for _, f := range rep.Findings {
		got = append(got, key{f.Kind, f.Index, f.RecordID})
	}
	want := []key{
		{translog.Changed, 3, recs[3].ID},
		{translog.PersonalMissing, 5, recs[5].ID},
		{translog.Removed, 7, ""},
		{translog.Reordered, 10, recs[12].ID},
		{translog.Reordered, 12, recs[10].ID},
		{translog.PersonalChanged, 15, recs[15].ID},
		{translog.Changed, 17, recs[17].ID},
		{translog.Removed, 19, ""},
		{translog.Extra, 20, extra},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(key{})); diff != "" {
		t.Errorf("Audit findings (-want +got):\n%s\n%v", diff, rep.Findings)
	}
	// A forged checkpoint is named too.
	exec("UPDATE checkpoints SET note = replace(note, 'eulagate acceptance log', 'eulagate acceptance log!')")
	rep = audit(t, s, vkey)
	if len(rep.Findings) == 0 || rep.Findings[0].Kind != translog.BadCheckpoint && !hasKind(rep, translog.BadCheckpoint) {
		t.Errorf("Audit after forging checkpoints: %v, want bad-checkpoint", rep.Findings)
	}
}

func hasKind(rep translog.Report, k translog.Kind) bool {
	for _, f := range rep.Findings {
		if f.Kind == k {
			return true
		}
	}
	return false
}

func testTamperHashes(t *testing.T, s eula.Store, vkey string) {
	d, ok := s.(dber)
	if !ok {
		t.Skip("store has no DB() *sql.DB")
	}
	ctx := context.Background()
	recs := AppendN(t, s, 10)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.DB().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Record 4 is rewritten together with its leaf hash: no leaf mismatch,
	// but the tree no longer matches the signed checkpoints.
	changed := recs[4]
	changed.Decision = eula.Declined
	leaf := tlog.RecordHash(changed.LeafData())
	exec("UPDATE records SET decision = 'declined' WHERE log_index = 4")
	exec(fmt.Sprintf("DELETE FROM hashes WHERE idx = %d", tlog.StoredHashIndex(0, 4)))
	exec(fmt.Sprintf("INSERT INTO hashes (idx, hash) VALUES (%d, %s)", tlog.StoredHashIndex(0, 4), hexLiteral(s, leaf[:])))
	exec(fmt.Sprintf("DELETE FROM hashes WHERE idx = %d", tlog.StoredHashIndex(0, 8)))
	rep := audit(t, s, vkey)
	if !hasKind(rep, translog.TreeMismatch) || !hasKind(rep, translog.HashMissing) {
		t.Errorf("Audit after rewriting a record and its hash = %v, want tree-mismatch and hash-missing", rep.Findings)
	}
}

// hexLiteral returns a binary literal for the store's SQL dialect.
func hexLiteral(s eula.Store, b []byte) string {
	if strings.Contains(fmt.Sprintf("%T", s), "postgres") {
		return fmt.Sprintf("'\\x%x'::bytea", b)
	}
	return fmt.Sprintf("X'%x'", b)
}

// testWriteError breaks the database under the writer: every Append in the
// batch fails, none half-written, and the writer keeps serving.
func testWriteError(t *testing.T, s eula.Store, vkey string) {
	d, ok := s.(dber)
	if !ok {
		t.Skip("store has no DB() *sql.DB")
	}
	ctx := context.Background()
	AppendN(t, s, 3)
	if _, err := d.DB().ExecContext(ctx, "ALTER TABLE checkpoints RENAME TO checkpoints_away"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if _, _, err := s.Append(ctx, NewRecord(i), ""); err == nil {
				t.Errorf("Append without a checkpoints table succeeded")
			}
		})
	}
	wg.Wait()
	if _, err := d.DB().ExecContext(ctx, "ALTER TABLE checkpoints_away RENAME TO checkpoints"); err != nil {
		t.Fatal(err)
	}
	r, _, err := s.Append(ctx, NewRecord(9), "")
	if err != nil || r.Index != 3 {
		t.Errorf("Append after repair: index %d, %v; want 3", r.Index, err)
	}
	wantClean(t, s, vkey, 4)
}

// testTruncate cuts the tail off the log with its checkpoints and hashes:
// only a checkpoint kept from before (from an audit or a receipt) shows it.
func testTruncate(t *testing.T, s eula.Store, vkey string) {
	d, ok := s.(dber)
	if !ok {
		t.Skip("store has no DB() *sql.DB")
	}
	ctx := context.Background()
	recs := AppendN(t, s, 10)
	before := audit(t, s, vkey)
	if !before.Clean() || before.Checkpoint == "" {
		t.Fatalf("Audit before = %+v", before)
	}
	rc, err := s.Receipt(ctx, recs[9].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DELETE FROM records WHERE log_index >= 8",
		fmt.Sprintf("DELETE FROM hashes WHERE idx >= %d", tlog.StoredHashIndex(0, 8)),
		"DELETE FROM checkpoints WHERE tree_size > 8",
		"UPDATE tree_head SET size = 8",
	} {
		if _, err := d.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if rep := audit(t, s, vkey); !rep.Clean() || rep.TreeSize != 8 {
		t.Fatalf("Audit without a known checkpoint = %+v; want clean at 8 (undetectable)", rep)
	}
	for name, known := range map[string][]byte{"audit": []byte(before.Checkpoint), "receipt": []byte(rc.Checkpoint)} {
		rep, err := translog.Audit(ctx, s, vkey, known)
		if err != nil {
			t.Fatal(err)
		}
		if !hasKind(rep, translog.Truncated) {
			t.Errorf("Audit with the %s's checkpoint = %v, want truncated", name, rep.Findings)
		}
	}
	// A known checkpoint the log still covers agrees.
	if rep, err := translog.Audit(ctx, s, vkey, []byte(before.Checkpoint)); err == nil && len(rep.Findings) != 1 {
		t.Errorf("Audit findings = %v, want only truncated", rep.Findings)
	}
}
