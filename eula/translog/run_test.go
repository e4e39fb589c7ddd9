package translog_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
)

// TestRunAudit: the first clean audit starts the witness file, the next
// one names the checkpoint it kept, a cosigned checkpoint without its
// cosignature is a finding that keeps the witness file as it was, and
// without a witness file nothing is kept.
func TestRunAudit(t *testing.T) {
	ctx := context.Background()
	signer, vkey := storetest.Key(t)
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName), sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.AppendN(t, s, 4)
	src := translog.Sources{Witness: filepath.Join(dir, "audit-witness.json")}

	run, err := translog.RunAudit(ctx, s, vkey, src)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Report.Clean() || !run.Kept || !run.NewWitness || len(run.Witnessed) != 0 || run.Report.TreeSize != 4 {
		t.Errorf("first audit: clean %v, kept %v, new %v, witnessed %v, size %d", run.Report.Clean(), run.Kept, run.NewWitness, run.Witnessed, run.Report.TreeSize)
	}

	storetest.AppendN(t, s, 2)
	run, err = translog.RunAudit(ctx, s, vkey, src)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Kept || run.NewWitness || len(run.Witnessed) != 1 || run.Witnessed[0].TreeSize != 4 || run.Witnessed[0].File != src.Witness {
		t.Errorf("second audit: kept %v, new %v, witnessed %+v", run.Kept, run.NewWitness, run.Witnessed)
	}

	// A checkpoint said to be cosigned, without the cosignature.
	_, wkey, err := translog.GenerateCosigner("witness")
	if err != nil {
		t.Fatal(err)
	}
	w, err := translog.LoadWitness(src.Witness, vkey)
	if err != nil {
		t.Fatal(err)
	}
	cosigned := filepath.Join(dir, "cosigned")
	if err := os.WriteFile(cosigned, []byte(w.Checkpoints[len(w.Checkpoints)-1]), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := src
	bad.Cosigned, bad.Cosigners = []string{cosigned}, []string{wkey}
	run, err = translog.RunAudit(ctx, s, vkey, bad)
	if err != nil {
		t.Fatal(err)
	}
	if run.Report.Clean() || run.Report.Findings[0].Kind != translog.BadCheckpoint || run.Kept || len(run.Witnessed) != 1 {
		t.Errorf("audit with an uncosigned checkpoint: findings %v, kept %v, witnessed %+v", run.Report.Findings, run.Kept, run.Witnessed)
	}

	run, err = translog.RunAudit(ctx, s, vkey, translog.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Report.Clean() || run.Kept || len(run.Witnessed) != 0 {
		t.Errorf("audit without a witness file: clean %v, kept %v, witnessed %+v", run.Report.Clean(), run.Kept, run.Witnessed)
	}
}
