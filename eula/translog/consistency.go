package translog

import (
	"context"
	"fmt"

	"github.com/eulagate/eulagate/eula"
	"golang.org/x/mod/sumdb/tlog"
)

// ConsistencySource is what ProveConsistency reads from a store.
type ConsistencySource interface {
	// LatestCheckpoint returns the signed checkpoint of the largest tree
	// (eula.ErrNotFound while the log is empty).
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// ReadHashes reads stored hashes, as eula.Store.ReadHashes.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
}

// ConsistencyProof is a consistency proof between two sizes of the log, as
// the server publishes it: the hashes of an RFC 6962 (section 2.1.2) and
// RFC 9162 (section 2.1.4) consistency proof from the tree of Old entries
// to the tree of New entries, base64 in JSON. It is empty when Old is 0 or
// equals New.
type ConsistencyProof struct {
	Old   int64       `json:"old"`
	New   int64       `json:"new"`
	Proof []tlog.Hash `json:"proof"`
}

// ProveConsistency returns the proof that the log's tree of size newSize
// extends its tree of size oldSize, for 0 <= oldSize <= newSize <= the
// size of the latest signed checkpoint. Errors: eula.ErrInvalid (sizes out
// of that range), eula.ErrNotFound (an empty log, or a stored hash
// missing).
func ProveConsistency(ctx context.Context, src ConsistencySource, oldSize, newSize int64) (ConsistencyProof, error) {
	p := ConsistencyProof{Old: oldSize, New: newSize, Proof: []tlog.Hash{}}
	signed, err := src.LatestCheckpoint(ctx)
	if err != nil {
		return p, fmt.Errorf("consistency proof: %w", err)
	}
	tree, err := eula.CheckpointTree(signed)
	if err != nil {
		return p, fmt.Errorf("consistency proof: stored %w", err)
	}
	if oldSize < 0 || oldSize > newSize || newSize > tree.N {
		return p, fmt.Errorf("consistency proof from %d to %d: want 0 <= old <= new <= %d, the latest checkpoint's size: %w", oldSize, newSize, tree.N, eula.ErrInvalid)
	}
	if oldSize == 0 || oldSize == newSize {
		return p, nil
	}
	proof, err := tlog.ProveTree(newSize, oldSize, tlog.HashReaderFunc(func(x []int64) ([]tlog.Hash, error) {
		return src.ReadHashes(ctx, x)
	}))
	if err != nil {
		return p, fmt.Errorf("consistency proof from %d to %d: %w", oldSize, newSize, err)
	}
	p.Proof = append(p.Proof, proof...)
	return p, nil
}

// CheckConsistency checks that the tree newer extends the tree older with
// the proof p between their sizes: with p's hashes, RFC 6962's algorithm
// recomputes both roots. A tree of size 0 is extended by every tree, and a
// tree by itself only. Errors wrap eula.ErrInvalid.
func CheckConsistency(p ConsistencyProof, older, newer tlog.Tree) error {
	switch {
	case p.Old != older.N || p.New != newer.N:
		return fmt.Errorf("the proof joins sizes %d and %d, not %d and %d: %w", p.Old, p.New, older.N, newer.N, eula.ErrInvalid)
	case older.N > newer.N:
		return fmt.Errorf("the log shrank from %d to %d entries: %w", older.N, newer.N, eula.ErrInvalid)
	case len(p.Proof) > 2*eula.MaxProofLen:
		return fmt.Errorf("consistency proof of %d hashes, more than any tree needs: %w", len(p.Proof), eula.ErrInvalid)
	case older.N == 0:
		return nil
	case older.N == newer.N:
		if older.Hash != newer.Hash || len(p.Proof) != 0 {
			return fmt.Errorf("two different trees of %d entries: the log forked: %w", older.N, eula.ErrInvalid)
		}
		return nil
	}
	if err := tlog.CheckTree(p.Proof, newer.N, newer.Hash, older.N, older.Hash); err != nil {
		return fmt.Errorf("the tree of %d entries does not extend the tree of %d entries: the log was rewritten: %w", newer.N, older.N, eula.ErrInvalid)
	}
	return nil
}
