package translog

import (
	"context"
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
}

// NewReceipt returns the receipt of the record with the given id: the
// record, an inclusion proof in the tree of the latest signed checkpoint,
// and that checkpoint. Errors: eula.ErrNotFound.
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
	proof, err := tlog.ProveRecord(tree.N, rec.Index, tlog.HashReaderFunc(func(x []int64) ([]tlog.Hash, error) {
		return src.ReadHashes(ctx, x)
	}))
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("receipt %s: prove record %d in tree %d: %w", id, rec.Index, tree.N, err)
	}
	if proof == nil {
		proof = tlog.RecordProof{}
	}
	return eula.Receipt{
		Record:     rec,
		Index:      rec.Index,
		TreeSize:   tree.N,
		Proof:      proof,
		Checkpoint: string(signed),
	}, nil
}
