package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/internal/testserver"
)

// TestWitness: the witness cosigns each checkpoint of a log that grows,
// refuses a log cut short or rewritten with its own key, and what it
// cosigned holds the database to account in an audit.
func TestWitness(t *testing.T) {
	ts := testserver.New(t)
	url, store, dir, key := ts.URL, ts.Store, ts.Dir, ts.VerifierKey
	wdir := t.TempDir()
	keyFile, state := filepath.Join(wdir, "witness.key"), filepath.Join(wdir, "witness.key.checkpoint")
	witness := []string{"witness", "--server", url, "--key", key, "--witness-key", keyFile, "--name", "witness.example/w1", "--once"}

	code, _, errOut := runCmd(t, witness...)
	if code != exitFailed || !strings.Contains(errOut, "404") || !strings.Contains(errOut, "its verifier key (give it to auditors): witness.example/w1+") {
		t.Errorf("witness of an empty log: exit %d, %s", code, errOut)
	}
	storetest.AppendN(t, store, 3)
	code, out, errOut := runCmd(t, witness...)
	if code != 0 || !strings.HasPrefix(out, eula.CheckpointOrigin+"\n3\n") || strings.Contains(errOut, "created") {
		t.Fatalf("first witness: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	c, _, err := translog.LoadOrCreateCosigner(keyFile, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{keyFile, state} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", f, fi, err)
		}
	}
	storetest.AppendN(t, store, 4)
	expectRun(t, witness, 0, eula.CheckpointOrigin+"\n7\n", "")
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if tree, times, err := translog.OpenCosigned(b, key, c.VerifierKey()); err != nil || tree.N != 7 || len(times) != 1 || times[0].IsZero() {
		t.Fatalf("state: %+v %v %v; want a checkpoint of 7 cosigned", tree, times, err)
	}
	cosigned := filepath.Join(t.TempDir(), "cosigned")
	os.WriteFile(cosigned, b, 0o600)
	audit := []string{"audit", "--data", dir, "--cosigned", cosigned, "--cosigner", c.VerifierKey(), "--witness", filepath.Join(t.TempDir(), "w.json")}
	expectRun(t, audit, 0, "clean", "")

	// Cut short: refused, the state kept.
	truncate(t, store, 5)
	code, _, errOut = runCmd(t, witness...)
	if code != exitFailed || !strings.Contains(errOut, "ALERT: the log shrank from 7 to 5 entries") {
		t.Errorf("witness of a cut log: exit %d, %s", code, errOut)
	}
	// Rewritten with the log's own key past the size cosigned: refused.
	for i := range 4 {
		if _, _, err := store.Append(context.Background(), storetest.NewRecord(50+i), ""); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errOut = runCmd(t, witness...)
	if code != exitFailed || !strings.Contains(errOut, "ALERT: the tree of 9 entries does not extend the tree of 7 entries") {
		t.Errorf("witness of a rewritten log: exit %d, %s", code, errOut)
	}
	if after, _ := os.ReadFile(state); string(after) != string(b) {
		t.Errorf("the state changed after a refusal:\n%s", after)
	}
	if refused, err := os.ReadFile(state + ".refused"); err != nil || !strings.HasPrefix(string(refused), eula.CheckpointOrigin+"\n9\n") {
		t.Errorf("refused checkpoint kept: %q, %v", refused, err)
	}
	// The database, signed again with the log's key, disagrees with what
	// the witness cosigned.
	code, out, _ = runCmd(t, audit...)
	if code != exitFailed || !strings.Contains(out, "forked:") {
		t.Errorf("audit of the rewritten log against the cosigned checkpoint: exit %d\n%s", code, out)
	}
}
