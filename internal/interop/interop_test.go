package interop_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/internal/interop"
	"github.com/eulagate/eulagate/internal/testserver"
)

// TestStandardLibraryOnly: the verifier is written from the
// specifications with the standard library alone.
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s: the verifier may use the standard library only", file, path)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files found")
	}
}

// TestSignedNoteExample verifies the example of C2SP signed-note.
func TestSignedNoteExample(t *testing.T) {
	key, err := interop.ParseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
	if err != nil {
		t.Fatal(err)
	}
	note := "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
	text, sigs, err := interop.OpenNote([]byte(note), key)
	if err != nil || text != "This is an example message.\n" || len(sigs) != 1 {
		t.Errorf("OpenNote(example) = %q, %v, %v", text, sigs, err)
	}
	if _, _, err := interop.OpenNote([]byte(strings.Replace(note, "example", "Example", 1)), key); err == nil {
		t.Error("OpenNote(altered example) verifies")
	}
}

// TestMerkleExample checks the verifier with the example of C2SP
// merkle-tree (derived from RFC 6962 and 9162): a tree of seven entries,
// its inclusion and consistency proofs.
func TestMerkleExample(t *testing.T) {
	var d [7]interop.Hash
	for i := range d {
		d[i] = interop.LeafHash([]byte{byte(i)})
	}
	node := func(l, r interop.Hash) interop.Hash {
		return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
	}
	a, b, c, dd, e, f, g := d[0], d[1], d[2], d[3], d[4], d[5], d[6]
	h, i, j := node(a, b), node(c, dd), node(e, f)
	k, l := node(h, i), node(j, g)
	root := node(k, l)
	for _, test := range []struct {
		index uint64
		proof []interop.Hash
	}{
		{0, []interop.Hash{b, i, l}},
		{3, []interop.Hash{c, h, l}},
		{4, []interop.Hash{f, g, k}},
		{6, []interop.Hash{j, k}},
	} {
		if err := interop.VerifyInclusion(test.index, 7, d[test.index], test.proof, root); err != nil {
			t.Errorf("inclusion of %d: %v", test.index, err)
		}
		if err := interop.VerifyInclusion(test.index, 7, d[(test.index+1)%7], test.proof, root); err == nil {
			t.Errorf("inclusion of another leaf at %d verifies", test.index)
		}
	}
	roots := map[uint64]interop.Hash{3: node(h, c), 4: k, 6: node(k, j), 7: root}
	for _, test := range []struct {
		first uint64
		proof []interop.Hash
	}{
		{3, []interop.Hash{c, dd, h, l}},
		{4, []interop.Hash{l}},
		{6, []interop.Hash{j, g, k}},
	} {
		if err := interop.VerifyConsistency(test.first, 7, roots[test.first], root, test.proof); err != nil {
			t.Errorf("consistency %d..7: %v", test.first, err)
		}
		if err := interop.VerifyConsistency(test.first, 7, roots[test.first], node(k, j), test.proof); err == nil {
			t.Errorf("consistency %d..7 verifies against another root", test.first)
		}
	}
}

// server starts eulagate's server over a SQLite store in a temporary
// directory, as `eulagate serve` runs it.
func server(t *testing.T) (*testserver.Server, *sqlite.Store, string) {
	t.Helper()
	ts := testserver.New(t)
	return ts, ts.Store, ts.VerifierKey
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s %v", url, resp.StatusCode, b, err)
	}
	return b
}

// TestServerReceipts verifies the server's receipts, of a record and of an
// erased record, from the specifications.
func TestServerReceipts(t *testing.T) {
	ts, store, vkey := server(t)
	ctx := context.Background()
	recs := storetest.AppendN(t, store, 9)
	before := time.Now().Add(-time.Second)
	if _, err := store.Erase(ctx, "eva3@example.hu"); err != nil { // records 3 and 8
		t.Fatal(err)
	}
	storetest.AppendN(t, store, 2)
	for _, r := range recs {
		data := get(t, ts.URL+api.ReceiptPath(r.ID))
		v, err := interop.VerifyReceipt(data, vkey)
		if err != nil {
			t.Fatalf("receipt of record %d: %v\n%s", r.Index, err, data)
		}
		if v.Checkpoint.Origin != eula.CheckpointOrigin || v.Checkpoint.Size != 13 || v.Leaf["decision"] != string(r.Decision) {
			t.Errorf("receipt of record %d: %+v", r.Index, v)
		}
		if erased := r.Index == 3 || r.Index == 8; erased != !v.Erased.IsZero() || erased && v.Erased.Before(before) {
			t.Errorf("receipt of record %d: erased at %v", r.Index, v.Erased)
		}
	}
	// Altered receipts fail: "erased": true added, a proof hash changed.
	var raw map[string]any
	if err := json.Unmarshal(get(t, ts.URL+api.ReceiptPath(recs[1].ID)), &raw); err != nil {
		t.Fatal(err)
	}
	raw["record"].(map[string]any)["erased"] = true
	forged, _ := json.Marshal(raw)
	if _, err := interop.VerifyReceipt(forged, vkey); err == nil {
		t.Error("a receipt with \"erased\": true added verifies")
	}
	raw["record"].(map[string]any)["erased"] = false
	proof := raw["proof"].([]any)
	proof[0] = strings.Replace(proof[0].(string), proof[0].(string)[:2], "AA", 1)
	forged, _ = json.Marshal(raw)
	if _, err := interop.VerifyReceipt(forged, vkey); err == nil {
		t.Error("a receipt with a proof hash changed verifies")
	}
}

// TestServerConsistency verifies the server's consistency proofs between
// the checkpoints it published as the log grew.
func TestServerConsistency(t *testing.T) {
	ts, store, vkey := server(t)
	key, err := interop.ParseVerifierKey(vkey)
	if err != nil {
		t.Fatal(err)
	}
	var seen []interop.Checkpoint
	for _, n := range []int{1, 1, 2, 3, 1, 5, 8} {
		storetest.AppendN(t, store, n)
		text, _, err := interop.OpenNote(get(t, ts.URL+api.PathLogCheckpoint), key)
		if err != nil {
			t.Fatal(err)
		}
		c, err := interop.ParseCheckpoint(text)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, c)
	}
	for _, older := range seen {
		for _, newer := range seen {
			if older.Size > newer.Size {
				continue
			}
			var p struct {
				Old, New uint64
				Proof    []interop.Hash
			}
			q := ts.URL + api.PathLogConsistency + "?old=" + strconv.FormatUint(older.Size, 10) + "&new=" + strconv.FormatUint(newer.Size, 10)
			if err := json.Unmarshal(get(t, q), &p); err != nil {
				t.Fatal(err)
			}
			if err := interop.VerifyConsistency(older.Size, newer.Size, older.Root, newer.Root, p.Proof); err != nil {
				t.Errorf("consistency %d..%d: %v", older.Size, newer.Size, err)
			}
			if older.Size < newer.Size && interop.VerifyConsistency(older.Size, newer.Size, older.Root, interop.LeafHash(nil), p.Proof) == nil {
				t.Errorf("consistency %d..%d verifies against another root", older.Size, newer.Size)
			}
		}
	}
}

// TestWitnessCosignature verifies a witness's cosignature on the server's
// checkpoint, as C2SP tlog-cosignature defines it.
func TestWitnessCosignature(t *testing.T) {
	ts, store, vkey := server(t)
	storetest.AppendN(t, store, 4)
	c, _, err := translog.LoadOrCreateCosigner(filepath.Join(t.TempDir(), "witness.key"), "witness.example/w1")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	c.Now = func() time.Time { return at }
	cosigned, err := translog.Cosign(get(t, ts.URL+api.PathLogCheckpoint), vkey, c)
	if err != nil {
		t.Fatal(err)
	}
	logKey, err := interop.ParseVerifierKey(vkey)
	if err != nil {
		t.Fatal(err)
	}
	witnessKey, err := interop.ParseVerifierKey(c.VerifierKey())
	if err != nil || witnessKey.Type != interop.TypeCosignature {
		t.Fatalf("witness vkey %s: %+v, %v", c.VerifierKey(), witnessKey, err)
	}
	_, sigs, err := interop.OpenNote(cosigned, logKey, witnessKey)
	if err != nil || len(sigs) != 2 || !sigs[1].Time.Equal(at) || !sigs[0].Time.IsZero() {
		t.Fatalf("OpenNote(cosigned) = %+v, %v; want the log's signature and a cosignature of %v", sigs, err, at)
	}
	// The cosignature covers the checkpoint's text.
	altered := strings.Replace(string(cosigned), "\n4\n", "\n5\n", 1)
	if _, _, err := interop.OpenNote([]byte(altered), witnessKey); err == nil {
		t.Error("a cosignature verifies on another checkpoint")
	}
}
