package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eulagate/eulagate/eula"
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
// receipts and the cosigned checkpoints, prints the report, and keeps the
// store's latest checkpoint in the witness file when all is clean.
func runAudit(ctx context.Context, a *auditFlags, stdout, stderr io.Writer) error {
	store, verifier, err := openStore(ctx, a.data, a.db, noticeTo(stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	var opt translog.Options
	var unread []translog.Finding // kept files that are not what they claim
	witness, err := translog.LoadWitness(a.witness, verifier)
	newWitness := errors.Is(err, fs.ErrNotExist)
	if err != nil && !newWitness {
		return err
	}
	opt.Known = witness.Known("the witness file " + a.witness)
	for _, name := range a.cosigned {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if _, _, err := translog.OpenCosigned(b, verifier, a.cosigners...); err != nil {
			unread = append(unread, translog.Finding{Kind: translog.BadCheckpoint, Detail: "the cosigned checkpoint in " + name + ": " + err.Error()})
			continue
		}
		opt.Known = append(opt.Known, translog.Known{Source: "the cosigned checkpoint in " + name, Checkpoint: b})
	}
	if a.receipts != "" {
		rcs, bad, err := readReceipts(a.receipts)
		if err != nil {
			return err
		}
		opt.Receipts, unread = rcs, append(unread, bad...)
	}
	rep, err := translog.AuditWith(ctx, store, verifier, opt)
	if err != nil {
		return err
	}
	rep.Findings = append(unread, rep.Findings...)
	kept := ""
	if rep.Clean() && rep.Checkpoint != "" {
		witness.Add(rep.Checkpoint)
		if err := witness.Save(a.witness); err != nil {
			return err
		}
		kept = fmt.Sprintf("witness: %s keeps the checkpoint of %d entries", a.witness, rep.TreeSize)
		if newWitness {
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
		printAudit(stdout, &rep, kept)
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
	alert := false
	for _, f := range rep.Findings {
		fmt.Fprintln(w, f)
		alert = alert || f.Kind == translog.Truncated || f.Kind == translog.Forked || f.Kind == translog.TreeMismatch
	}
	if alert {
		fmt.Fprintln(w, "ALERT: the log is not the log audited or witnessed before: it was cut short or rewritten")
	}
	if kept != "" {
		fmt.Fprintln(w, kept)
	}
}

// readReceipts reads the receipts (*.json) in dir, in name order. Files
// that are not receipts are findings.
func readReceipts(dir string) ([]translog.KeptReceipt, []translog.Finding, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("receipts: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var out []translog.KeptReceipt
	var bad []translog.Finding
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		name := filepath.Join(dir, e.Name())
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, fmt.Errorf("receipts: %w", err)
		}
		rc, err := eula.DecodeReceipt(f)
		f.Close()
		if err != nil {
			bad = append(bad, translog.Finding{Kind: translog.ReceiptMismatch, Detail: name + " is not a receipt: " + err.Error()})
			continue
		}
		out = append(out, translog.KeptReceipt{Source: name, Receipt: rc})
	}
	return out, bad, nil
}
