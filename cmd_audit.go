package main

import (
	"context"
	"fmt"
	"io"

	"github.com/eulagate/eulagate/eula/translog"
)

// auditWitnessFile is the default name of the audit's witness file, in the
// data directory.
const auditWitnessFile = "audit-witness.json"

// auditFlags are the flags of `eulagate audit`.
type auditFlags struct {
	data                *dataFlags
	db                  string
	asJSON              bool
	witness, receipts   string
	cosigned, cosigners listFlag
}

// runAudit audits the store against itself, the witness file, the kept
// receipts and the cosigned checkpoints (translog.RunAudit), prints the
// report, and keeps the store's latest checkpoint in the witness file when
// all is clean.
func runAudit(ctx context.Context, a *auditFlags, stdout, stderr io.Writer) error {
	store, verifier, err := openStore(ctx, a.data, a.db, noticeTo(stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	run, err := translog.RunAudit(ctx, store, verifier, translog.Sources{
		Witness: a.witness, Cosigned: a.cosigned, Cosigners: a.cosigners, Receipts: a.receipts})
	if err != nil {
		return err
	}
	rep := &run.Report
	kept := ""
	if run.Kept {
		kept = fmt.Sprintf("witness: %s keeps the checkpoint of %d entries", a.witness, rep.TreeSize)
		if run.NewWitness {
			kept += " (a new witness file: there was no earlier checkpoint to compare with)"
		}
	} else if !rep.Clean() {
		kept = fmt.Sprintf("witness: %s not updated", a.witness)
	}
	if a.asJSON {
		if err := writeJSONTo(stdout, rep); err != nil {
			return err
		}
		if kept != "" {
			fmt.Fprintln(stderr, kept)
		}
	} else {
		printAudit(stdout, rep, kept)
	}
	if !rep.Clean() {
		return &exitError{code: exitFailed, err: fmt.Errorf("audit: %d findings", len(rep.Findings))}
	}
	if !a.asJSON {
		fmt.Fprintln(stdout, "clean")
	}
	return nil
}

// printAudit prints an audit report for people.
func printAudit(w io.Writer, rep *translog.Report, kept string) {
	fmt.Fprintf(w, "records: %d\n", rep.Records)
	fmt.Fprintf(w, "erasure entries: %d", rep.Erasures)
	if rep.LegacyErasures > 0 {
		fmt.Fprintf(w, " (%d of erasures made before erasure entries existed, logged when this version first opened the database)", rep.LegacyErasures)
	}
	fmt.Fprintf(w, "\ncheckpoints: %d\nsigned tree size: %d\n", rep.Checkpoints, rep.TreeSize)
	if rep.Known > 0 || rep.Receipts > 0 {
		fmt.Fprintf(w, "known checkpoints: %d\nkept receipts: %d\n", rep.Known, rep.Receipts)
	}
	for _, f := range rep.Findings {
		fmt.Fprintln(w, f)
	}
	if rep.Alert() {
		fmt.Fprintln(w, "ALERT: the log is not the log audited or witnessed before: it was cut short or rewritten")
	}
	if kept != "" {
		fmt.Fprintln(w, kept)
	}
}
