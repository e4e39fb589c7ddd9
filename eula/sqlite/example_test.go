package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/translog"
)

// Example shows a decision from request to verified receipt and audit, as
// the server and the CLI use the packages.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "eulagate-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// On start: the key (created on first start) and the store.
	signer, verifierKey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		log.Fatal(err)
	}
	store, err := sqlite.OpenDir(ctx, dir, signer)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	// POST /api/v1/decisions with an Idempotency-Key header.
	body := `{
		"installer": {"product": "xprotect-corporate", "version": "2025.1", "machine_id": "m-42"},
		"product": "xprotect-corporate",
		"document": {"id": "eula", "version": "20250212", "language": "hu",
			"hash": "sha256:aa", "original_hash": "sha256:bb"},
		"decision": "accepted", "role": "end-user", "channel": "installer",
		"personal": {"actor": {"name": "Kovács Éva", "email": "eva@example.hu"}}
	}`
	rec, err := eula.DecodeDecision(strings.NewReader(body))
	if err != nil {
		log.Fatal(err) // 400: errors.Is(err, eula.ErrInvalid)
	}
	stored, replayed, err := store.Append(ctx, rec, "req-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("index", stored.Index, "replayed", replayed)

	// GET status: no personal data.
	history, err := store.Latest(ctx, "m-42", "xprotect-corporate")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("status", eula.StatusOf(history, "20250212", nil).State)

	// GET receipt, then `eulagate verify receipt.json --key ...`.
	receipt, err := store.Receipt(ctx, stored.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("receipt verifies:", eula.VerifyReceipt(receipt, verifierKey) == nil)

	// `eulagate audit`.
	report, err := translog.Audit(ctx, store, verifierKey)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("audit clean:", report.Clean(), "records:", report.Records)
	// Output:
	// index 0 replayed false
	// status accepted
	// receipt verifies: true
	// audit clean: true records: 1
}
