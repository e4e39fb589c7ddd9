package eula_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/storetest"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testLog builds receipts for n records in memory, signed by a new key.
func testLog(t testing.TB, n int) ([]eula.Receipt, string) {
	t.Helper()
	signer, vkey := storetest.Key(t)
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(x []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(x))
		for i, j := range x {
			out[i] = stored[j]
		}
		return out, nil
	})
	var recs []eula.Record
	for i := range n {
		rec := validRecord()
		if err := rec.Seal(time.Unix(int64(i), 0), rand.Reader); err != nil {
			t.Fatal(err)
		}
		rec.Index = int64(i)
		hs, err := tlog.StoredHashes(int64(i), rec.LeafData(), r)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
		recs = append(recs, rec)
	}
	root, err := tlog.TreeHash(int64(n), r)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := eula.SignCheckpoint(signer, tlog.Tree{N: int64(n), Hash: root})
	if err != nil {
		t.Fatal(err)
	}
	var out []eula.Receipt
	for _, rec := range recs {
		p, err := tlog.ProveRecord(int64(n), rec.Index, r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, eula.Receipt{Record: rec, Index: rec.Index, TreeSize: int64(n), Proof: p, Checkpoint: string(signed)})
	}
	return out, vkey
}

func TestVerifyReceipt(t *testing.T) {
	rcs, vkey := testLog(t, 7)
	for _, rc := range rcs {
		if err := eula.VerifyReceipt(rc, vkey); err != nil {
			t.Errorf("VerifyReceipt(%d) = %v", rc.Index, err)
		}
	}
	_, otherKey := testLog(t, 1)
	for _, test := range []struct {
		name string
		edit func(rc *eula.Receipt)
		key  string
		want string
	}{
		{"erased added", func(rc *eula.Receipt) { rc.Record.Personal, rc.Record.Erased = nil, true }, vkey, "no erasure entry"},
		{"malformed key", func(rc *eula.Receipt) {}, "eulagate+1234", "verifier key is malformed"},
		{"other key", func(rc *eula.Receipt) {}, otherKey, "is not signed by key"},
		{"checkpoint text", func(rc *eula.Receipt) { rc.Checkpoint = strings.Replace(rc.Checkpoint, "\n7\n", "\n8\n", 1) }, vkey, "does not match its text"},
		{"not a note", func(rc *eula.Receipt) { rc.Checkpoint = "hello" }, vkey, "not a signed note"},
		{"tree size", func(rc *eula.Receipt) { rc.TreeSize = 6 }, vkey, "receipt says tree size 6"},
		{"index", func(rc *eula.Receipt) { rc.Index = 4 }, vkey, "differs from the record's index"},
		{"index and record index", func(rc *eula.Receipt) { rc.Index, rc.Record.Index = 4, 4 }, vkey, "inclusion proof fails"},
		{"outside", func(rc *eula.Receipt) { rc.Index, rc.Record.Index = 9, 9 }, vkey, "outside the signed tree"},
		{"decision", func(rc *eula.Receipt) { rc.Record.Decision = eula.Declined }, vkey, "inclusion proof fails"},
		{"time", func(rc *eula.Receipt) { rc.Record.Time = rc.Record.Time.Add(time.Second) }, vkey, "inclusion proof fails"},
		{"name", func(rc *eula.Receipt) { rc.Record.Personal.Actor.Name = "Someone Else" }, vkey, "personal data"},
		{"erased with data", func(rc *eula.Receipt) { rc.Record.Erased = true }, vkey, "marked erased"},
		{"proof", func(rc *eula.Receipt) { rc.Proof[0][0] ^= 1 }, vkey, "inclusion proof fails"},
		{"short proof", func(rc *eula.Receipt) { rc.Proof = rc.Proof[1:] }, vkey, "inclusion proof fails"},
		{"long proof", func(rc *eula.Receipt) { rc.Proof = make([]tlog.Hash, 64) }, vkey, "more than any tree needs"},
	} {
		t.Run(test.name, func(t *testing.T) {
			rcs, _ := json.Marshal(rcs[3])
			var rc eula.Receipt
			if err := json.Unmarshal(rcs, &rc); err != nil {
				t.Fatal(err)
			}
			test.edit(&rc)
			err := eula.VerifyReceipt(rc, test.key)
			switch {
			case test.want == "" && err != nil:
				t.Errorf("VerifyReceipt = %v, want nil", err)
			case test.want != "" && (err == nil || !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), test.want)):
				t.Errorf("VerifyReceipt = %v, want ErrInvalid containing %q", err, test.want)
			}
		})
	}
}

func TestDecodeReceipt(t *testing.T) {
	rcs, vkey := testLog(t, 3)
	b, err := json.Marshal(rcs[1])
	if err != nil {
		t.Fatal(err)
	}
	rc, err := eula.DecodeReceipt(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, vkey); err != nil {
		t.Errorf("VerifyReceipt(DecodeReceipt) = %v", err)
	}
	for _, bad := range []string{`{"extra":1}`, `{} []`, `[`, `{"record":{"time":"yesterday"}}`} {
		if _, err := eula.DecodeReceipt(strings.NewReader(bad)); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("DecodeReceipt(%s) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestParseCheckpoint(t *testing.T) {
	h := tlog.RecordHash([]byte("x"))
	tree, err := eula.ParseCheckpoint(string(eula.FormatCheckpoint(42, h)))
	if err != nil || tree.N != 42 || tree.Hash != h {
		t.Errorf("ParseCheckpoint(Format) = %+v, %v", tree, err)
	}
	for _, bad := range []string{
		"", "eulagate acceptance log\n", "go.sum database tree\n1\n" + h.String() + "\n",
		"eulagate acceptance log\n-1\n" + h.String() + "\n", "eulagate acceptance log\n01\n" + h.String() + "\n",
		"eulagate acceptance log\n1\nnothash\n", "eulagate acceptance log\n1\n" + h.String() + "\nmore\n",
	} {
		if _, err := eula.ParseCheckpoint(bad); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("ParseCheckpoint(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestCheckpointTree(t *testing.T) {
	rcs, vkey := testLog(t, 3)
	signed := rcs[0].Checkpoint
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open([]byte(signed), note.VerifierList(v))
	if err != nil {
		t.Fatal(err)
	}
	witness, _ := storetest.Key(t)
	cosigned, err := note.Sign(n, witness)
	if err != nil {
		t.Fatal(err)
	}
	text, _, _ := strings.Cut(signed, "\n\n")
	for _, test := range []struct {
		name, signed string
		sigs         int
		ok           bool
	}{
		{"signed", signed, 1, true},
		{"cosigned", string(cosigned), 2, true},
		{"unsigned", text + "\n", 0, false},
		{"no signature line", text + "\n\n", 0, false},
		{"malformed signature", text + "\n\n— eulagate !!!\n", 0, false},
		{"control character", strings.Replace(signed, "\n", "\r\n", 1), 0, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			tree, err := eula.CheckpointTree([]byte(test.signed))
			if !test.ok {
				if !errors.Is(err, eula.ErrInvalid) {
					t.Errorf("CheckpointTree = %+v, %v; want ErrInvalid", tree, err)
				}
				return
			}
			if err != nil || tree.N != 3 {
				t.Errorf("CheckpointTree = %+v, %v; want size 3", tree, err)
			}
			n, err := eula.OpenUnverified([]byte(test.signed))
			if err != nil || len(n.UnverifiedSigs) != test.sigs {
				t.Errorf("OpenUnverified = %+v, %v; want %d signatures", n, err, test.sigs)
			}
		})
	}
	// The log's key verifies the cosigned checkpoint; the witness's alone
	// does not stand for it.
	rc := rcs[1]
	rc.Checkpoint = string(cosigned)
	if err := eula.VerifyReceipt(rc, vkey); err != nil {
		t.Errorf("VerifyReceipt(cosigned) = %v", err)
	}
	_, wkey := storetest.Key(t)
	if err := eula.VerifyReceipt(rc, wkey); !errors.Is(err, eula.ErrInvalid) {
		t.Errorf("VerifyReceipt(cosigned, another witness key) = %v, want ErrInvalid", err)
	}
}

func FuzzVerifyReceipt(f *testing.F) {
	rcs, vkey := testLog(f, 5)
	for _, rc := range rcs {
		b, err := json.Marshal(rc)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"proof":[],"checkpoint":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rc, err := eula.DecodeReceipt(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, eula.ErrInvalid) {
				t.Fatalf("DecodeReceipt error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		err = eula.VerifyReceipt(rc, vkey)
		if err != nil && !errors.Is(err, eula.ErrInvalid) {
			t.Fatalf("error does not wrap ErrInvalid: %v", err)
		}
		if err == nil {
			// Only receipts of records that were logged verify.
			found := false
			for _, good := range rcs {
				if tlog.RecordHash(good.Record.LeafData()) == tlog.RecordHash(rc.Record.LeafData()) && good.Index == rc.Index {
					found = true
				}
			}
			if !found {
				t.Fatalf("forged receipt verifies: %s", data)
			}
		}
	})
}
