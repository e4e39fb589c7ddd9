package translog

import (
	"context"
	"errors"
	"fmt"

	"github.com/eulagate/eulagate/eula"
	"golang.org/x/mod/sumdb/tlog"
)

// ReceiptSource is what NewReceipt reads from a store.
type ReceiptSource interface {
	// Get returns a record by id (eula.ErrNotFound if none).
	Get(ctx context.Context, id string) (eula.Record, error)
	// LatestCheckpoint returns the signed checkpoint of the largest tree.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// ReadHashes reads stored hashes, as eula.Store.ReadHashes.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
	// ErasureOf returns the erasure entry of a record (eula.ErrNotFound if
	// none).
	ErasureOf(ctx context.Context, recordID string) (eula.Erasure, error)
}

// NewReceipt returns the receipt of the record with the given id: the
// record and its leaf, an inclusion proof in the tree of the latest signed
// checkpoint, and that checkpoint; for an erased record, also its erasure
// entry with that entry's inclusion proof. A record marked erased without
// an entry gets none, and its receipt then fails VerifyReceipt, as it
// should. Errors: eula.ErrNotFound.
func NewReceipt(ctx context.Context, src ReceiptSource, id string) (eula.Receipt, error) {
	rec, err := src.Get(ctx, id)
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("receipt %s: %w", id, err)
	}
	signed, err := src.LatestCheckpoint(ctx)
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("receipt %s: %w", id, err)
	}
	tree, err := eula.CheckpointTree(signed)
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("receipt %s: stored %w", id, err)
	}
	if rec.Index >= tree.N {
		return eula.Receipt{}, fmt.Errorf("receipt %s: record %d is beyond the latest checkpoint (size %d)", id, rec.Index, tree.N)
	}
	hashes := tlog.HashReaderFunc(func(x []int64) ([]tlog.Hash, error) {
		return src.ReadHashes(ctx, x)
	})
	proof, err := tlog.ProveRecord(tree.N, rec.Index, hashes)
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("receipt %s: prove record %d in tree %d: %w", id, rec.Index, tree.N, err)
	}
	if proof == nil {
		proof = tlog.RecordProof{}
	}
	rc := eula.Receipt{
		Record:     rec,
		Index:      rec.Index,
		TreeSize:   tree.N,
		Proof:      proof,
		Checkpoint: string(signed),
		Leaf:       rec.LeafData(),
	}
	if !rec.Erased {
		return rc, nil
	}
	e, err := src.ErasureOf(ctx, rec.ID)
	if errors.Is(err, eula.ErrNotFound) {
		return rc, nil
	}
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("receipt %s: %w", id, err)
	}
	if e.Index >= tree.N {
		return eula.Receipt{}, fmt.Errorf("receipt %s: erasure entry %d is beyond the latest checkpoint (size %d)", id, e.Index, tree.N)
	}
	eproof, err := tlog.ProveRecord(tree.N, e.Index, hashes)
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("receipt %s: prove erasure entry %d in tree %d: %w", id, e.Index, tree.N, err)
	}
	rc.Erasure = &eula.ErasureProof{Index: e.Index, Leaf: e.LeafData(), Proof: eproof}
	return rc, nil
}
