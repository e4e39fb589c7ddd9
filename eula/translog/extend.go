package translog

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// HashReader reads stored hashes at storage indexes, as
// eula.Store.ReadHashes does; stores pass one bound to their transaction.
type HashReader func(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

// Extend computes what appending the leaves (record hashes, see
// tlog.RecordHash) to a tree of size n adds to storage: the hashes to store
// at storage indexes start, start+1, ... and the root hash of the new tree
// of size n+len(leaves). read supplies hashes already stored.
func Extend(ctx context.Context, n int64, leaves []tlog.Hash, read HashReader) (start int64, hashes []tlog.Hash, root tlog.Hash, err error) {
	start = tlog.StoredHashIndex(0, n)
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		var need []int64
		var at []int
		for i, x := range indexes {
			switch {
			case x >= start+int64(len(hashes)):
				return nil, fmt.Errorf("hash %d not yet computed", x)
			case x >= start:
				out[i] = hashes[x-start]
			default:
				need = append(need, x)
				at = append(at, i)
			}
		}
		if len(need) > 0 {
			got, err := read(ctx, need)
			if err != nil {
				return nil, err
			}
			if len(got) != len(need) {
				return nil, fmt.Errorf("read %d hashes, got %d", len(need), len(got))
			}
			for j, i := range at {
				out[i] = got[j]
			}
		}
		return out, nil
	})
	for i, leaf := range leaves {
		hs, err := tlog.StoredHashesForRecordHash(n+int64(i), leaf, r)
		if err != nil {
			return 0, nil, tlog.Hash{}, fmt.Errorf("extend log at %d: %w", n+int64(i), err)
		}
		hashes = append(hashes, hs...)
	}
	root, err = tlog.TreeHash(n+int64(len(leaves)), r)
	if err != nil {
		return 0, nil, tlog.Hash{}, fmt.Errorf("tree hash at %d: %w", n+int64(len(leaves)), err)
	}
	return start, hashes, root, nil
}
