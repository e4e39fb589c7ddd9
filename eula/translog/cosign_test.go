package translog_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/internal/privfile"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testCheckpoint returns a checkpoint of size n signed by a new log key.
func testCheckpoint(t *testing.T, n int64) ([]byte, string) {
	t.Helper()
	signer, vkey := storetest.Key(t)
	signed, err := eula.SignCheckpoint(signer, tlog.Tree{N: n, Hash: tlog.RecordHash([]byte(fmt.Sprint(n)))})
	if err != nil {
		t.Fatal(err)
	}
	return signed, vkey
}

func TestCosign(t *testing.T) {
	skey, vkey, err := translog.GenerateCosigner("witness.example/w1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := translog.NewCosigner(skey)
	if err != nil || c.VerifierKey() != vkey || c.Name() != "witness.example/w1" {
		t.Fatalf("NewCosigner = %v, %v; vkey %s", c, err, vkey)
	}
	// The key ID and the vkey as C2SP tlog-cosignature states them.
	parts := strings.SplitN(vkey, "+", 3)
	key, _ := base64.StdEncoding.DecodeString(parts[2])
	sum := sha256.Sum256(append([]byte("witness.example/w1\n\x04"), key[1:]...))
	if key[0] != 0x04 || len(key) != 33 || parts[1] != fmt.Sprintf("%08x", binary.BigEndian.Uint32(sum[:])) || c.KeyHash() != binary.BigEndian.Uint32(sum[:]) {
		t.Errorf("vkey %s: want type 0x04 and key ID SHA-256(name || \\n || 0x04 || key)[:4]", vkey)
	}

	signed, logKey := testCheckpoint(t, 42)
	at := time.Unix(1679315147, 0)
	c.Now = func() time.Time { return at }
	cosigned, err := translog.Cosign(signed, logKey, c)
	if err != nil {
		t.Fatal(err)
	}
	tree, times, err := translog.OpenCosigned(cosigned, logKey, vkey)
	if err != nil || tree.N != 42 || len(times) != 1 || !times[0].Equal(at) {
		t.Errorf("OpenCosigned = %+v, %v, %v", tree, times, err)
	}
	// The signed message is "cosignature/v1\ntime <t>\n" and the text.
	n, err := note.Open(cosigned, note.VerifierList(mustVerifier(t, vkey)))
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := base64.StdEncoding.DecodeString(n.Sigs[0].Base64)
	msg := "cosignature/v1\ntime 1679315147\n" + n.Text
	if binary.BigEndian.Uint64(sig[4:]) != 1679315147 || !ed25519.Verify(ed25519.PublicKey(key[1:]), []byte(msg), sig[12:]) {
		t.Errorf("the cosignature is not an Ed25519 signature of %q", msg)
	}

	_, otherKey, _ := translog.GenerateCosigner("witness.example/w2")
	for _, test := range []struct {
		name   string
		signed []byte
		log    string
		keys   []string
		want   string
	}{
		{"another witness", cosigned, logKey, []string{otherKey}, "no valid cosignature by witness.example/w2"},
		{"another log", cosigned, testKey(t), []string{vkey}, "not signed by key"},
		{"altered", []byte(strings.Replace(string(cosigned), "\n42\n", "\n43\n", 1)), logKey, nil, "does not match"},
		{"log signature only", signed, logKey, []string{vkey}, "no valid cosignature"},
		{"malformed vkey", cosigned, logKey, []string{"witness+1234+AAAA"}, "malformed cosigner verifier key"},
		{"log key as cosigner", cosigned, logKey, []string{logKey}, "malformed cosigner verifier key"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, _, err := translog.OpenCosigned(test.signed, test.log, test.keys...)
			if !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), test.want) {
				t.Errorf("OpenCosigned = %v, want %q", err, test.want)
			}
		})
	}
	for _, name := range []string{"", "two words", "a+b"} {
		if _, _, err := translog.GenerateCosigner(name); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("GenerateCosigner(%q) = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := translog.NewCosigner(strings.Replace(skey, "w1", "w3", 1)); err == nil {
		t.Error("NewCosigner accepts a key renamed")
	}
}

func mustVerifier(t *testing.T, vkey string) note.Verifier {
	t.Helper()
	v, err := translog.NewCosignatureVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func testKey(t *testing.T) string {
	t.Helper()
	_, k := storetest.Key(t)
	return k
}

func TestLoadOrCreateCosigner(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "witness.key")
	c1, created, err := translog.LoadOrCreateCosigner(path, "w")
	if err != nil || !created {
		t.Fatalf("first LoadOrCreateCosigner = %v, %v", created, err)
	}
	c2, created, err := translog.LoadOrCreateCosigner(path, "ignored")
	if err != nil || created || c2.VerifierKey() != c1.VerifierKey() {
		t.Errorf("second LoadOrCreateCosigner = %v, %v, %v", c2, created, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v; want mode 0600", fi, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := translog.LoadOrCreateCosigner(path, "w"); !errors.Is(err, privfile.ErrExposed) {
		t.Errorf("LoadOrCreateCosigner(a key others can read) = %v, want ErrExposed", err)
	}
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte("garbage\n"), 0o600)
	if _, _, err := translog.LoadOrCreateCosigner(path, "w"); err == nil {
		t.Error("LoadOrCreateCosigner(corrupt file) = nil error")
	}
}

func TestWitnessFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit", "witness.json")
	_, vkey := testCheckpoint(t, 1)
	w, err := translog.LoadWitness(path, vkey)
	if !errors.Is(err, fs.ErrNotExist) || w == nil || len(w.Checkpoints) != 0 {
		t.Fatalf("LoadWitness(missing) = %v, %v", w, err)
	}
	for i := range translog.MaxWitnessed + 10 {
		w.Add(fmt.Sprintf("checkpoint %d", i))
		w.Add(fmt.Sprintf("checkpoint %d", i)) // The same again is kept once.
	}
	if err := w.Save(path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("witness file: %v, %v; want mode 0600", fi, err)
	}
	back, err := translog.LoadWitness(path, vkey)
	if err != nil {
		t.Fatal(err)
	}
	got := back.Checkpoints
	if len(got) != translog.MaxWitnessed || got[0] != "checkpoint 0" || got[1] != "checkpoint 11" || got[len(got)-1] != fmt.Sprintf("checkpoint %d", translog.MaxWitnessed+9) {
		t.Errorf("kept %d checkpoints: %q ... %q", len(got), got[:2], got[len(got)-1])
	}
	if known := back.Known("here"); len(known) != len(got) || !known[0].Audited || known[0].Source != "here" {
		t.Errorf("Known = %+v", known[0])
	}
	_, other := testCheckpoint(t, 1)
	if _, err := translog.LoadWitness(path, other); !errors.Is(err, eula.ErrConflict) {
		t.Errorf("LoadWitness(another log's key) = %v, want ErrConflict", err)
	}
}

func TestCheckConsistency(t *testing.T) {
	a := tlog.Tree{N: 5, Hash: tlog.RecordHash([]byte("a"))}
	b := tlog.Tree{N: 5, Hash: tlog.RecordHash([]byte("b"))}
	for _, test := range []struct {
		name         string
		p            translog.ConsistencyProof
		older, newer tlog.Tree
		want         string
	}{
		{"same", translog.ConsistencyProof{Old: 5, New: 5}, a, a, ""},
		{"from empty", translog.ConsistencyProof{Old: 0, New: 5}, tlog.Tree{}, a, ""},
		{"fork", translog.ConsistencyProof{Old: 5, New: 5}, a, b, "forked"},
		{"shrank", translog.ConsistencyProof{Old: 6, New: 5}, tlog.Tree{N: 6}, a, "shrank"},
		{"other sizes", translog.ConsistencyProof{Old: 4, New: 5}, tlog.Tree{N: 3}, a, "joins sizes"},
		{"bad proof", translog.ConsistencyProof{Old: 3, New: 5, Proof: []tlog.Hash{{1}}}, tlog.Tree{N: 3}, a, "rewritten"},
	} {
		err := translog.CheckConsistency(test.p, test.older, test.newer)
		if test.want == "" && err != nil || test.want != "" && (!errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), test.want)) {
			t.Errorf("%s: CheckConsistency = %v, want %q", test.name, err, test.want)
		}
	}
}
