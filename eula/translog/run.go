package translog

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/eulagate/eulagate/eula"
)

// Sources are the files kept outside the store that an audit holds the
// store to: what `eulagate audit` and the console's audit read.
type Sources struct {
	// Witness is the audit's witness file (see Witness). A clean audit
	// keeps the store's latest checkpoint in it; without one it keeps
	// nothing and compares with nothing earlier.
	Witness string
	// Cosigned are files each holding a checkpoint cosigned by a witness
	// (`eulagate witness`), which must carry a cosignature by each of
	// Cosigners (verifier keys).
	Cosigned, Cosigners []string
	// Receipts is a directory of receipts (*.json) kept by installers, or
	// empty.
	Receipts string
}

// Witnessed is a checkpoint witnessed outside the store before an audit.
type Witnessed struct {
	// File is where it was kept: the witness file, or a file holding a
	// cosigned checkpoint.
	File string `json:"file"`
	// TreeSize is the number of log entries the checkpoint covers.
	TreeSize int64 `json:"tree_size"`
	// Cosigned are the times of its witnesses' cosignatures, in the order
	// of Sources.Cosigners; empty for the witness file (Run.Witness).
	Cosigned []time.Time `json:"cosigned,omitempty"`
}

// Run is the result of RunAudit: the report, and what the witness file
// knew before and keeps now.
type Run struct {
	Report Report
	// Witness is the witness file.
	Witness string
	// NewWitness reports that there was no witness file before: there was
	// no earlier checkpoint to compare with.
	NewWitness bool
	// Kept reports that the witness file now keeps Report.Checkpoint (the
	// audit was clean).
	Kept bool
	// Witnessed are the checkpoints witnessed before this audit: the
	// latest one of the witness file, then each cosigned checkpoint that
	// verifies.
	Witnessed []Witnessed
}

// RunAudit audits the store against itself and the files of src (see
// AuditWith), and when the audit is clean keeps the store's latest
// checkpoint in the witness file. Files that are not what they claim
// (a cosigned checkpoint without its cosignatures, a receipt that does
// not decode) are findings; files that cannot be read are errors.
func RunAudit(ctx context.Context, s eula.Store, verifierKey string, src Sources) (*Run, error) {
	run := &Run{Witness: src.Witness}
	var opt Options
	var unread []Finding
	witness := &Witness{}
	if src.Witness != "" {
		var err error
		witness, err = LoadWitness(src.Witness, verifierKey)
		run.NewWitness = errors.Is(err, fs.ErrNotExist)
		if err != nil && !run.NewWitness {
			return nil, err
		}
	}
	opt.Known = witness.Known("the witness file " + src.Witness)
	if n := len(witness.Checkpoints); n > 0 {
		if tree, err := eula.OpenCheckpoint([]byte(witness.Checkpoints[n-1]), verifierKey); err == nil {
			run.Witnessed = append(run.Witnessed, Witnessed{File: src.Witness, TreeSize: tree.N})
		}
	}
	for _, name := range src.Cosigned {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("cosigned checkpoint: %w", err)
		}
		source := "the cosigned checkpoint in " + name
		tree, times, err := OpenCosigned(b, verifierKey, src.Cosigners...)
		if err != nil {
			unread = append(unread, Finding{Kind: BadCheckpoint, Detail: source + ": " + err.Error()})
			continue
		}
		opt.Known = append(opt.Known, Known{Source: source, Checkpoint: b})
		run.Witnessed = append(run.Witnessed, Witnessed{File: name, TreeSize: tree.N, Cosigned: times})
	}
	if src.Receipts != "" {
		rcs, bad, err := ReadReceipts(src.Receipts)
		if err != nil {
			return nil, err
		}
		opt.Receipts, unread = rcs, append(unread, bad...)
	}
	rep, err := AuditWith(ctx, s, verifierKey, opt)
	if err != nil {
		return nil, err
	}
	rep.Findings = append(unread, rep.Findings...)
	run.Report = rep
	if rep.Clean() && rep.Checkpoint != "" && src.Witness != "" {
		witness.Add(rep.Checkpoint)
		if err := witness.Save(src.Witness); err != nil {
			return nil, err
		}
		run.Kept = true
	}
	return run, nil
}

// Alert reports whether a finding shows the log is not the log audited or
// witnessed before: cut short or rewritten.
func (r *Report) Alert() bool {
	for _, f := range r.Findings {
		if f.Kind == Truncated || f.Kind == Forked || f.Kind == TreeMismatch {
			return true
		}
	}
	return false
}

// ReadReceipts reads the receipts (*.json) in dir, in name order. Files
// that are not receipts are findings.
func ReadReceipts(dir string) ([]KeptReceipt, []Finding, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("receipts: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var out []KeptReceipt
	var bad []Finding
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
			bad = append(bad, Finding{Kind: ReceiptMismatch, Detail: name + " is not a receipt: " + err.Error()})
			continue
		}
		out = append(out, KeptReceipt{Source: name, Receipt: rc})
	}
	return out, bad, nil
}
