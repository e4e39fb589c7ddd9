package translog

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/eulagate/eulagate/eula"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Kind classifies an audit finding.
type Kind string

// The kinds of finding.
const (
	// Changed: the record no longer matches the leaf logged at its index.
	Changed Kind = "changed"
	// Removed: the log has a leaf at this index but the store no record.
	Removed Kind = "removed"
	// Reordered: the record matches the leaf logged at another index.
	Reordered Kind = "reordered"
	// Extra: a record beyond the signed log, added behind its back.
	Extra Kind = "extra"
	// PersonalChanged: the personal data no longer matches its commitment.
	PersonalChanged Kind = "personal-changed"
	// PersonalMissing: the personal data is gone but the record is not
	// marked erased.
	PersonalMissing Kind = "personal-missing"
	// HashMissing: the stored leaf hash at this index is gone.
	HashMissing Kind = "hash-missing"
	// BadCheckpoint: a stored checkpoint's signature or text does not verify.
	BadCheckpoint Kind = "bad-checkpoint"
	// Truncated: a known checkpoint (kept from an earlier audit or taken
	// from a receipt) covers more records than the store's log.
	Truncated Kind = "truncated"
	// TreeMismatch: the tree recomputed from the records disagrees with a
	// signed checkpoint although no single record could be named (for
	// example, records and stored hashes were both rewritten).
	TreeMismatch Kind = "tree-mismatch"
)

// Finding is one problem Audit found.
type Finding struct {
	Kind Kind `json:"kind"`
	// Index is the log index concerned (or the tree size for checkpoints).
	Index int64 `json:"index"`
	// RecordID is the id of the record concerned, if known.
	RecordID string `json:"record_id,omitempty"`
	// Detail explains the finding.
	Detail string `json:"detail"`
}

// String formats the finding for people: kind, index, record and detail.
func (f Finding) String() string {
	id := ""
	if f.RecordID != "" {
		id = " record " + f.RecordID
	}
	return fmt.Sprintf("%s: index %d%s: %s", f.Kind, f.Index, id, f.Detail)
}

// Report is the result of Audit.
type Report struct {
	// TreeSize is the size of the largest validly signed checkpoint.
	TreeSize int64 `json:"tree_size"`
	// Records is the number of records read.
	Records int64 `json:"records"`
	// Checkpoints is the number of checkpoints checked.
	Checkpoints int `json:"checkpoints"`
	// Checkpoint is the store's latest signed checkpoint, to keep and pass
	// to the next audit as known, so that a log cut short is noticed.
	Checkpoint string `json:"checkpoint,omitempty"`
	// Findings lists every problem, in index order; empty when clean.
	Findings []Finding `json:"findings"`
}

// Clean reports whether the audit found nothing.
func (r *Report) Clean() bool { return len(r.Findings) == 0 }

// auditChunk is how many stored hashes Audit reads at once.
const auditChunk = 1024

// Audit re-reads the whole store and checks it against the log: every
// stored checkpoint's signature (with verifierKey), every record's leaf
// against the leaf hash logged at its index, the personal data against its
// commitment, and the tree recomputed from the records against every signed
// checkpoint. It names each record changed, removed, reordered or added
// behind the log's back. An error means the audit could not run; problems
// found are in the Report.
//
// Known checkpoints, signed with the same key, are checked too: ones kept
// from an earlier audit (Report.Checkpoint) or taken from receipts. They
// catch a log whose tail was removed together with its checkpoints.
func Audit(ctx context.Context, s eula.Store, verifierKey string, known ...[]byte) (Report, error) {
	var rep Report
	if _, err := note.NewVerifier(strings.TrimSpace(verifierKey)); err != nil {
		return rep, fmt.Errorf("audit: verifier key: %w", err)
	}
	var cps []tlog.Tree
	err := s.Checkpoints(ctx, func(signed []byte) error {
		rep.Checkpoints++
		tree, err := eula.OpenCheckpoint(signed, verifierKey)
		if err != nil {
			t, _ := eula.CheckpointTree(signed) // Best effort, for the index only.
			rep.Findings = append(rep.Findings, Finding{Kind: BadCheckpoint, Index: t.N, Detail: err.Error()})
			return nil
		}
		cps = append(cps, tree)
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("audit: read checkpoints: %w", err)
	}
	for _, t := range cps {
		rep.TreeSize = max(rep.TreeSize, t.N)
	}
	n := rep.TreeSize
	if len(cps) > 0 {
		latest, err := s.LatestCheckpoint(ctx)
		if err != nil {
			return rep, fmt.Errorf("audit: %w", err)
		}
		rep.Checkpoint = string(latest)
	}
	for _, signed := range known {
		tree, err := eula.OpenCheckpoint(signed, verifierKey)
		switch {
		case err != nil:
			rep.Findings = append(rep.Findings, Finding{Kind: BadCheckpoint, Detail: "known checkpoint: " + err.Error()})
		case tree.N > n:
			rep.Findings = append(rep.Findings, Finding{Kind: Truncated, Index: n,
				Detail: fmt.Sprintf("a known checkpoint signs a log of %d records; the store's log has %d", tree.N, n)})
		default:
			cps = append(cps, tree)
		}
	}
	sort.Slice(cps, func(i, j int) bool { return cps[i].N < cps[j].N })

	// The leaf hashes logged at each index, and where each leaf was logged.
	logged := make([]tlog.Hash, n)
	have := make([]bool, n)
	where := make(map[tlog.Hash]int64, n)
	for lo := int64(0); lo < n; lo += auditChunk {
		hi := min(lo+auditChunk, n)
		idx := make([]int64, 0, hi-lo)
		for i := lo; i < hi; i++ {
			idx = append(idx, tlog.StoredHashIndex(0, i))
		}
		hs, err := s.ReadHashes(ctx, idx)
		if err != nil && !errors.Is(err, eula.ErrNotFound) {
			return rep, fmt.Errorf("audit: read hashes: %w", err)
		}
		if err != nil { // Some are missing: read one by one to name them.
			for i := lo; i < hi; i++ {
				h, err := s.ReadHashes(ctx, []int64{tlog.StoredHashIndex(0, i)})
				if err != nil {
					rep.Findings = append(rep.Findings, Finding{Kind: HashMissing, Index: i, Detail: "the log's leaf hash is not in storage"})
					continue
				}
				logged[i], have[i] = h[0], true
				where[h[0]] = i
			}
			continue
		}
		for j, h := range hs {
			logged[lo+int64(j)], have[lo+int64(j)] = h, true
			where[h] = lo + int64(j)
		}
	}

	// Recompute the tree from the records (the logged leaf standing in for
	// a removed record) and compare with the checkpoints as it grows.
	var tree []tlog.Hash
	mem := tlog.HashReaderFunc(func(x []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(x))
		for i, j := range x {
			if j < 0 || j >= int64(len(tree)) {
				return nil, fmt.Errorf("hash %d not computed", j)
			}
			out[i] = tree[j]
		}
		return out, nil
	})
	var size int64      // leaves added to the recomputed tree
	named := false      // a finding names a record already added
	mismatched := false // a TreeMismatch was reported
	nextCP := 0         // next checkpoint to compare
	add := func(h tlog.Hash) error {
		hs, err := tlog.StoredHashesForRecordHash(size, h, mem)
		if err != nil {
			return err
		}
		tree = append(tree, hs...)
		size++
		for nextCP < len(cps) && cps[nextCP].N <= size {
			c := cps[nextCP]
			nextCP++
			if c.N != size {
				continue // Only possible for an empty tree.
			}
			root, err := tlog.TreeHash(size, mem)
			if err != nil {
				return err
			}
			if root != c.Hash && !named && !mismatched {
				mismatched = true
				rep.Findings = append(rep.Findings, Finding{Kind: TreeMismatch, Index: c.N,
					Detail: fmt.Sprintf("the tree of the first %d records has root %s, the signed checkpoint says %s", c.N, root, c.Hash)})
			}
		}
		return nil
	}
	for nextCP < len(cps) && cps[nextCP].N == 0 {
		nextCP++
	}
	removed := func(i int64) error {
		rep.Findings = append(rep.Findings, Finding{Kind: Removed, Index: i, Detail: "the log has a leaf here but the store has no record"})
		named = true
		return add(logged[i])
	}
	var next int64
	err = s.Records(ctx, eula.Filter{}, func(r eula.Record) error {
		rep.Records++
		if r.Index < next {
			rep.Findings = append(rep.Findings, Finding{Kind: Reordered, Index: r.Index, RecordID: r.ID, Detail: "a second record claims this index"})
			return nil
		}
		for ; next < r.Index && next < n; next++ {
			if err := removed(next); err != nil {
				return err
			}
		}
		next = r.Index + 1
		leaf := tlog.RecordHash(r.LeafData())
		if r.Index >= n {
			rep.Findings = append(rep.Findings, Finding{Kind: Extra, Index: r.Index, RecordID: r.ID,
				Detail: fmt.Sprintf("record beyond the signed log of size %d", n)})
			return nil
		}
		switch j, ok := where[leaf]; {
		case have[r.Index] && leaf == logged[r.Index]:
		case ok:
			rep.Findings = append(rep.Findings, Finding{Kind: Reordered, Index: r.Index, RecordID: r.ID,
				Detail: fmt.Sprintf("the record was logged at index %d", j)})
			named = true
		default:
			rep.Findings = append(rep.Findings, Finding{Kind: Changed, Index: r.Index, RecordID: r.ID,
				Detail: "the record does not match the leaf logged at its index"})
			named = true
		}
		switch {
		case r.Personal != nil && r.Personal.Hash() != r.PersonalHash:
			rep.Findings = append(rep.Findings, Finding{Kind: PersonalChanged, Index: r.Index, RecordID: r.ID,
				Detail: "the personal data does not match the record's commitment"})
		case r.Personal == nil && !r.Erased:
			rep.Findings = append(rep.Findings, Finding{Kind: PersonalMissing, Index: r.Index, RecordID: r.ID,
				Detail: "the personal data is gone but the record is not marked erased"})
		}
		return add(leaf)
	})
	if err != nil {
		return rep, fmt.Errorf("audit: read records: %w", err)
	}
	for ; next < n; next++ {
		if err := removed(next); err != nil {
			return rep, fmt.Errorf("audit: %w", err)
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool { return rep.Findings[i].Index < rep.Findings[j].Index })
	return rep, nil
}
