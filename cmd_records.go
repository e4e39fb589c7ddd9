package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// Exit codes of verify and audit.
const (
	// exitFailed means the receipt does not verify, or the audit found
	// problems.
	exitFailed = 1
)

func init() {
	register(&command{
		name:  "key",
		short: "print the log's public verifier key",
		long: "Key prints the verifier key of the acceptance log (creating the signing key in\n" +
			"the data directory, or at --signing-key, on first use). Give it to whoever checks\n" +
			"receipts offline: eulagate verify --key <it>.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			data := addDataFlags(fs, "data directory holding the log's key, unless --signing-key names it")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) > 0 {
					return usageErrorf("key: unexpected arguments %q", args)
				}
				verifier, err := data.verifierKey(noticeTo(stderr))
				if err != nil {
					return err
				}
				fmt.Fprintln(stdout, verifier)
				return nil
			}
		},
	})
	register(&command{
		name:  "verify",
		args:  "receipt.json | chain.json",
		short: "check a decision's receipt offline",
		long: "Verify checks a receipt offline, without the server: the checkpoint's signature\n" +
			"by the log's key, the personal data against its commitment, and the proof that\n" +
			"the record is in the signed log. It prints what holds, or exactly what fails\n" +
			"(exit 1). Use - to read the receipt from standard input. Given a record's\n" +
			"chain of receipts as the server answers it, it checks every receipt in it.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			key := fs.String("key", "", "the log's verifier key, as printed by `eulagate key` (required)")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) != 1 {
					return usageErrorf("verify: give one receipt file (or -)")
				}
				if *key == "" {
					return usageErrorf("verify: --key is required (run `eulagate key` on the server)")
				}
				return verifyFile(args[0], *key, stdout)
			}
		},
	})
	register(&command{
		name:  "audit",
		short: "recompute the log from the stored records and report tampering",
		long: "Audit re-reads every record, erasure entry and checkpoint in the store, recomputes\n" +
			"the log and reports each record changed, removed, reordered, added or erased behind\n" +
			"the log's back. It keeps the checkpoints it verified in a witness file outside the\n" +
			"database (--witness; keep it where whoever can write the database cannot) and checks\n" +
			"that the log still extends the last one: a log cut short or rewritten fails. With\n" +
			"--receipts it checks the receipts installers kept, and with --cosigned the\n" +
			"checkpoints a witness cosigned (`eulagate witness`). It exits 0 when all is clean\n" +
			"and 1 with the findings otherwise.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			var a auditFlags
			a.data = addDataFlags(fs, "data directory: the database and the log's key")
			fs.StringVar(&a.db, "db", "", "database: empty for SQLite in the data directory, or a postgres:// URL")
			fs.BoolVar(&a.asJSON, "json", false, "print the report as JSON")
			fs.StringVar(&a.witness, "witness", "", "the audit's witness file (default <data>/"+auditWitnessFile+")")
			fs.StringVar(&a.receipts, "receipts", "", "a directory of receipts (*.json) kept by installers, to check against the log")
			fs.Var(&a.cosigned, "cosigned", "a file holding a checkpoint cosigned by a witness (repeatable)")
			fs.Var(&a.cosigners, "cosigner", "the verifier key of a witness whose cosignature --cosigned files must carry (repeatable)")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) > 0 {
					return usageErrorf("audit: unexpected arguments %q", args)
				}
				if a.witness == "" {
					a.witness = filepath.Join(a.data.dir, auditWitnessFile)
				}
				return runAudit(ctx, &a, stdout, stderr)
			}
		},
	})
	register(&command{
		name:  "export",
		short: "export records as JSON Lines or CSV",
		long: "Export writes the records in log order, with personal data unless erased,\n" +
			"filtered by product, document version, role, decision and time.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			data := addDataFlags(fs, "data directory: the database and the log's key")
			db := fs.String("db", "", "database: empty for SQLite in the data directory, or a postgres:// URL")
			format := fs.String("format", "jsonl", "jsonl or csv")
			product := fs.String("product", "", "only this product key")
			version := fs.String("version", "", "only this document version")
			role := fs.String("role", "", "only this role (end-user, dealer, integrator, administrator, delegated)")
			decision := fs.String("decision", "", "only accepted or declined")
			since := fs.String("since", "", "only records at or after this time (RFC 3339 or YYYY-MM-DD)")
			until := fs.String("until", "", "only records before this time (RFC 3339 or YYYY-MM-DD)")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) > 0 {
					return usageErrorf("export: unexpected arguments %q", args)
				}
				f := eula.Filter{Product: *product, Version: *version, Role: eula.Role(*role), Decision: eula.Decision(*decision)}
				var err error
				if f.Since, err = parseTime("since", *since); err != nil {
					return err
				}
				if f.Until, err = parseTime("until", *until); err != nil {
					return err
				}
				store, _, err := openStore(ctx, data, *db, noticeTo(stderr))
				if err != nil {
					return err
				}
				defer store.Close()
				switch *format {
				case "jsonl":
					return eula.ExportJSONL(ctx, store, f, stdout)
				case "csv":
					return eula.ExportCSV(ctx, store, f, stdout)
				}
				return usageErrorf("export: --format must be jsonl or csv")
			}
		},
	})
}

func verifyFile(name, key string, stdout io.Writer) error {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxVerifyInput+1))
	if err != nil {
		return fmt.Errorf("verify %s: %w", name, err)
	}
	if len(data) > maxVerifyInput {
		return &exitError{code: exitFailed, err: fmt.Errorf("verify %s: larger than %d bytes", name, maxVerifyInput)}
	}
	chain, isChain, err := chainReceipts(data)
	if err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("verify %s: %w", name, err)}
	}
	if !isChain {
		return verifyReceipt(name, data, key, stdout)
	}
	if len(chain) == 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("verify %s: FAILED: the chain holds no receipt", name)}
	}
	var failed int
	for i, raw := range chain {
		if err := verifyReceipt(fmt.Sprintf("%s (receipt %d of %d in the chain)", name, i+1, len(chain)), raw, key, stdout); err != nil {
			fmt.Fprintln(stdout, err)
			failed++
		}
	}
	if failed > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("verify %s: FAILED: %d of the %d receipts in the chain do not verify", name, failed, len(chain))}
	}
	fmt.Fprintf(stdout, "OK: all %d receipts in the chain verify\n", len(chain))
	return nil
}

// maxVerifyInput bounds the receipt or chain that verify reads.
const maxVerifyInput = 16 << 20

// chainReceipts reports whether data is the answer of GET api.PathChain (an
// object with a "chain" member) and, if so, returns its receipts.
func chainReceipts(data []byte) ([]json.RawMessage, bool, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		// Not an object: DecodeReceipt reports what is wrong with it.
		return nil, false, nil
	}
	if _, ok := probe["chain"]; !ok {
		return nil, false, nil
	}
	var resp api.ChainResponse
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&resp); err != nil {
		return nil, true, fmt.Errorf("decode chain: %w", err)
	}
	return resp.Chain, true, nil
}

// verifyReceipt checks one receipt against the log's verifier key and
// prints what it holds.
func verifyReceipt(name string, data []byte, key string, stdout io.Writer) error {
	rc, err := eula.DecodeReceipt(bytes.NewReader(data))
	if err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("verify %s: %w", name, err)}
	}
	if err := eula.VerifyReceipt(rc, key); err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("verify %s: FAILED: %w", name, err)}
	}
	rec := rc.Record
	fmt.Fprintf(stdout, "OK: record %s is entry %d of the log signed by %s (tree size %d)\n", rec.ID, rc.Index, strings.SplitN(key, "+", 2)[0], rc.TreeSize)
	fmt.Fprintf(stdout, "  %s %s of %s %s (%s) for product %s on installation %s, %s\n",
		rec.Role, rec.Decision, rec.Document.ID, rec.Document.Version, rec.Document.Language, rec.Product, rec.Installer.MachineID, rec.Time.UTC().Format(time.RFC3339))
	// VerifyReceipt has checked the erasure entry of an erased record; the
	// erasure is shown only from it, never from the record's mark alone.
	if e, err := rc.ErasureEntry(key); err == nil {
		fmt.Fprintf(stdout, "  personal data: erased on request on %s (erasure entry %d of the log)\n", e.Time.UTC().Format(time.RFC3339), e.Index)
		if e.Legacy {
			fmt.Fprintln(stdout, "  (erased before the log had erasure entries; logged when the server was upgraded)")
		}
	}
	return nil
}

func parseTime(name, s string) (time.Time, error) {
	t, err := eula.ParseFilterTime(s)
	if err != nil {
		return t, usageErrorf("--%s %v", name, err)
	}
	return t, nil
}

func writeJSONTo(w io.Writer, v any) error {
	enc := jsonEncoder(w)
	if err := enc.Encode(v); err != nil {
		return errors.Join(errors.New("write JSON"), err)
	}
	return nil
}

func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc
}
