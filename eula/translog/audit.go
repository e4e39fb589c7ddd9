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
	// Forked: the store's latest checkpoint is not an extension of a known
	// checkpoint: no consistency proof from the stored hashes joins them.
	// The log was rewritten, with or without its key.
	Forked Kind = "forked"
	// UnloggedErasure: the record is marked erased but the log has no
	// erasure entry naming it: the erasure was forged behind the log's
	// back.
	UnloggedErasure Kind = "erasure-unlogged"
	// ErasureNotApplied: the log has an erasure entry naming the record,
	// but the record is not marked erased.
	ErasureNotApplied Kind = "erasure-not-applied"
	// ErasureMismatch: an erasure entry names a record that is not at the
	// index it names, or that the store does not have.
	ErasureMismatch Kind = "erasure-mismatch"
	// LateLegacyErasure: an erasure entry claims to log an erasure made
	// before the log had erasure entries, but it was appended after the
	// store began logging erasures (after other erasure entries, apart
	// from the legacy run, or beyond a checkpoint an earlier audit kept):
	// a forged erasure laundered through a faked upgrade.
	LateLegacyErasure Kind = "erasure-legacy-late"
	// ReceiptMismatch: a receipt kept outside the store does not verify,
	// or the log today holds another leaf at its index.
	ReceiptMismatch Kind = "receipt-mismatch"
)

// Kinds lists every kind of finding, for those that describe each one to
// people (the console's catalog has a message per kind).
var Kinds = []Kind{
	Changed, Removed, Reordered, Extra, PersonalChanged, PersonalMissing,
	HashMissing, BadCheckpoint, Truncated, TreeMismatch, Forked,
	UnloggedErasure, ErasureNotApplied, ErasureMismatch, LateLegacyErasure,
	ReceiptMismatch,
}

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
	// Erasures is the number of erasure entries read, and LegacyErasures
	// how many of them log erasures made before the log had erasure
	// entries (logged once, when the store first opened the database).
	Erasures       int64 `json:"erasures"`
	LegacyErasures int64 `json:"legacy_erasures,omitempty"`
	// Known and Receipts are the numbers of known checkpoints and kept
	// receipts checked (see Options).
	Known    int `json:"known,omitempty"`
	Receipts int `json:"receipts,omitempty"`
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

// Known is a signed checkpoint kept outside the store, and where it was
// kept (named in findings).
type Known struct {
	// Source says where the checkpoint was kept, such as a file's name.
	Source string
	// Checkpoint is the signed note.
	Checkpoint []byte
	// Audited marks a checkpoint that an earlier audit verified and kept
	// (the audit's witness file). The store logged erasures by then, so no
	// legacy erasure entry may lie beyond it.
	Audited bool
}

// KeptReceipt is a receipt kept outside the store, as an installer keeps
// the receipts of its decisions, and where it was kept.
type KeptReceipt struct {
	// Source says where the receipt was kept, such as a file's name.
	Source string
	// Receipt is the receipt as kept.
	Receipt eula.Receipt
}

// Options are what AuditWith holds the store to besides itself.
type Options struct {
	// Known are signed checkpoints kept outside the store: from earlier
	// audits, a witness's cosigned checkpoints, receipts. The log today
	// must cover each (or it was cut short) and extend it (or it was
	// rewritten).
	Known []Known
	// Receipts must verify, their checkpoints count as known, and the log
	// today must hold their leaves at their indexes.
	Receipts []KeptReceipt
}

// Audit is AuditWith with known checkpoints and no receipts.
func Audit(ctx context.Context, s eula.Store, verifierKey string, known ...[]byte) (Report, error) {
	var opt Options
	for i, k := range known {
		opt.Known = append(opt.Known, Known{Source: fmt.Sprintf("known checkpoint %d", i+1), Checkpoint: k})
	}
	return AuditWith(ctx, s, verifierKey, opt)
}

// AuditWith re-reads the whole store and checks it against the log: every
// stored checkpoint's signature (with verifierKey), every record's leaf and
// every erasure entry's leaf against the leaf hash logged at its index, the
// personal data against its commitment, every erased mark against its
// erasure entry, and the tree recomputed from the records against every
// signed checkpoint. It names each record changed, removed, reordered,
// added or erased behind the log's back. An error means the audit could not
// run; problems found are in the Report.
//
// The known checkpoints and kept receipts of opt, signed with the same key,
// are checked too. They catch what the store's own checkpoints cannot: a
// log whose tail was removed together with its checkpoints (Truncated), or
// rewritten and signed again with the log's key (TreeMismatch, Forked).
func AuditWith(ctx context.Context, s eula.Store, verifierKey string, opt Options) (Report, error) {
	var rep Report
	if _, err := note.NewVerifier(strings.TrimSpace(verifierKey)); err != nil {
		return rep, fmt.Errorf("audit: verifier key: %w", err)
	}
	var cps []tlog.Tree
	var head tlog.Tree // the largest validly signed stored checkpoint
	err := s.Checkpoints(ctx, func(signed []byte) error {
		rep.Checkpoints++
		tree, err := eula.OpenCheckpoint(signed, verifierKey)
		if err != nil {
			t, _ := eula.CheckpointTree(signed) // Best effort, for the index only.
			rep.Findings = append(rep.Findings, Finding{Kind: BadCheckpoint, Index: t.N, Detail: err.Error()})
			return nil
		}
		cps = append(cps, tree)
		if tree.N >= head.N {
			head, rep.Checkpoint = tree, string(signed)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("audit: read checkpoints: %w", err)
	}
	rep.TreeSize = head.N
	n := rep.TreeSize

	// Checkpoints and receipts kept outside the store.
	var knowns []knownTree
	addKnown := func(source string, signed []byte, audited bool) bool {
		tree, err := eula.OpenCheckpoint(signed, verifierKey)
		switch {
		case err != nil:
			rep.Findings = append(rep.Findings, Finding{Kind: BadCheckpoint, Detail: source + ": " + err.Error()})
			return false
		case tree.N > n:
			rep.Findings = append(rep.Findings, Finding{Kind: Truncated, Index: n,
				Detail: fmt.Sprintf("%s signs a log of %d entries; the store's log has %d: the log was cut short", source, tree.N, n)})
			return false
		}
		cps = append(cps, tree)
		knowns = append(knowns, knownTree{source, tree, audited})
		return true
	}
	for _, k := range opt.Known {
		rep.Known++
		addKnown(k.Source, k.Checkpoint, k.Audited)
	}
	var receipts []KeptReceipt
	for _, k := range opt.Receipts {
		rep.Receipts++
		rc := k.Receipt
		if err := eula.VerifyReceipt(rc, verifierKey); err != nil {
			rep.Findings = append(rep.Findings, Finding{Kind: ReceiptMismatch, Index: rc.Index, RecordID: rc.Record.ID,
				Detail: fmt.Sprintf("the receipt kept in %s does not verify: %v", k.Source, err)})
			continue
		}
		if addKnown("the receipt kept in "+k.Source, []byte(rc.Checkpoint), false) {
			receipts = append(receipts, k)
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

	// The erasure entries, by index and by the record they name.
	byIndex := map[int64]eula.Erasure{}
	byRecord := map[string]eula.Erasure{}
	var erasures []eula.Erasure
	err = s.Erasures(ctx, func(e eula.Erasure) error {
		rep.Erasures++
		byIndex[e.Index] = e
		byRecord[e.RecordID] = e
		erasures = append(erasures, e)
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("audit: read erasures: %w", err)
	}
	matched := map[string]bool{} // erasure entries whose record was read

	// Recompute the tree from the records and erasure entries (the logged
	// leaf standing in for a removed one) and compare with the checkpoints
	// as it grows.
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
					Detail: fmt.Sprintf("the tree of the first %d entries has root %s, the signed checkpoint says %s", c.N, root, c.Hash)})
			}
		}
		return nil
	}
	for nextCP < len(cps) && cps[nextCP].N == 0 {
		nextCP++
	}
	// compare checks the leaf of the entry at index i against the log.
	compare := func(i int64, leaf tlog.Hash, id, what string) {
		switch j, ok := where[leaf]; {
		case have[i] && leaf == logged[i]:
		case ok:
			rep.Findings = append(rep.Findings, Finding{Kind: Reordered, Index: i, RecordID: id,
				Detail: fmt.Sprintf("the %s was logged at index %d", what, j)})
			named = true
		default:
			rep.Findings = append(rep.Findings, Finding{Kind: Changed, Index: i, RecordID: id,
				Detail: fmt.Sprintf("the %s does not match the leaf logged at its index", what)})
			named = true
		}
	}
	// gap handles index i, which no record claims: an erasure entry's, or
	// a removed record's.
	gap := func(i int64) error {
		if e, ok := byIndex[i]; ok {
			leaf := tlog.RecordHash(e.LeafData())
			compare(i, leaf, e.RecordID, "erasure entry")
			return add(leaf)
		}
		rep.Findings = append(rep.Findings, Finding{Kind: Removed, Index: i, Detail: "the log has a leaf here but the store has no record"})
		named = true
		return add(logged[i])
	}
	// Findings about entries that may have been appended, with their
	// checkpoint, while the audit ran; each is reported unless its check
	// shows the entry in the log signed now.
	var late []lateCheck
	var latest *tlog.Tree // the log signed now, read once when needed
	stored := tlog.HashReaderFunc(func(x []int64) ([]tlog.Hash, error) { return s.ReadHashes(ctx, x) })
	inLatest := func(index int64, leaf []byte) bool {
		if latest == nil {
			latest = &tlog.Tree{}
			if signed, err := s.LatestCheckpoint(ctx); err == nil {
				if t, err := eula.OpenCheckpoint(signed, verifierKey); err == nil {
					*latest = t
				}
			}
		}
		if index >= latest.N {
			return false
		}
		proof, err := tlog.ProveRecord(latest.N, index, stored)
		return err == nil && tlog.CheckRecord(proof, latest.N, latest.Hash, index, tlog.RecordHash(leaf)) == nil
	}
	var erasedNow map[string]eula.Erasure // the erasure entries, read again when needed
	erasedSince := func(id string, index int64) bool {
		if erasedNow == nil {
			erasedNow = map[string]eula.Erasure{}
			s.Erasures(ctx, func(e eula.Erasure) error { // On error, the finding stands.
				erasedNow[e.RecordID] = e
				return nil
			})
		}
		e, ok := erasedNow[id]
		return ok && e.Index >= n && e.RecordIndex == index && inLatest(e.Index, e.LeafData())
	}
	var next int64
	err = s.Records(ctx, eula.Filter{}, func(r eula.Record) error {
		rep.Records++
		if r.Index < next {
			rep.Findings = append(rep.Findings, Finding{Kind: Reordered, Index: r.Index, RecordID: r.ID, Detail: "a second record claims this index"})
			return nil
		}
		for ; next < r.Index && next < n; next++ {
			if err := gap(next); err != nil {
				return err
			}
		}
		next = r.Index + 1
		e, entry := byRecord[r.ID]
		matched[r.ID] = true
		switch {
		case r.Erased && !entry:
			f := Finding{Kind: UnloggedErasure, Index: r.Index, RecordID: r.ID,
				Detail: "the record is marked erased, but the log has no erasure entry naming it: the erasure was not made through the log"}
			late = append(late, lateCheck{f, func() bool { return erasedSince(r.ID, r.Index) }})
		case entry && !r.Erased:
			rep.Findings = append(rep.Findings, Finding{Kind: ErasureNotApplied, Index: r.Index, RecordID: r.ID,
				Detail: fmt.Sprintf("the log's erasure entry %d names this record, but it is not marked erased", e.Index)})
		case entry && e.RecordIndex != r.Index:
			rep.Findings = append(rep.Findings, Finding{Kind: ErasureMismatch, Index: e.Index, RecordID: r.ID,
				Detail: fmt.Sprintf("the erasure entry names the record at index %d; the record is at %d", e.RecordIndex, r.Index)})
		}
		if other, ok := byIndex[r.Index]; ok {
			rep.Findings = append(rep.Findings, Finding{Kind: ErasureMismatch, Index: r.Index, RecordID: r.ID,
				Detail: fmt.Sprintf("the erasure entry of record %s claims this record's index too", other.RecordID)})
		}
		leaf := tlog.RecordHash(r.LeafData())
		if r.Index >= n {
			f := Finding{Kind: Extra, Index: r.Index, RecordID: r.ID,
				Detail: fmt.Sprintf("record beyond the signed log of size %d", n)}
			data := r.LeafData()
			late = append(late, lateCheck{f, func() bool { return inLatest(r.Index, data) }})
			return nil
		}
		compare(r.Index, leaf, r.ID, "record")
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
		if err := gap(next); err != nil {
			return rep, fmt.Errorf("audit: %w", err)
		}
	}
	rep.Findings = append(rep.Findings, checkErasures(erasures, matched, n, knowns)...)
	for _, e := range erasures {
		if e.Index >= n {
			f := Finding{Kind: Extra, Index: e.Index, RecordID: e.RecordID,
				Detail: fmt.Sprintf("erasure entry beyond the signed log of size %d", n)}
			late = append(late, lateCheck{f, func() bool { return inLatest(e.Index, e.LeafData()) }})
		}
	}
	for _, l := range late {
		if !l.appended() {
			rep.Findings = append(rep.Findings, l.finding)
		}
	}
	for _, e := range erasures {
		if e.Legacy {
			rep.LegacyErasures++
		}
	}

	// The log today must extend every known checkpoint, by the proof a
	// monitor would ask for.
	for _, k := range knowns {
		if k.tree.N == 0 || head.N == 0 {
			continue
		}
		if k.tree.N == head.N {
			if k.tree.Hash != head.Hash {
				rep.Findings = append(rep.Findings, Finding{Kind: Forked, Index: k.tree.N,
					Detail: fmt.Sprintf("%s and the store's latest checkpoint sign two different trees of %d entries: the log was rewritten", k.source, k.tree.N)})
			}
			continue
		}
		proof, err := tlog.ProveTree(head.N, k.tree.N, stored)
		if err != nil {
			continue // Missing hashes are reported above.
		}
		if tlog.CheckTree(proof, head.N, head.Hash, k.tree.N, k.tree.Hash) != nil {
			rep.Findings = append(rep.Findings, Finding{Kind: Forked, Index: k.tree.N,
				Detail: fmt.Sprintf("the store's log of %d entries does not extend the log of %d entries that %s signs: the log was rewritten", head.N, k.tree.N, k.source)})
		}
	}

	// The log today must hold each kept receipt's leaves where the receipt
	// says.
	for _, k := range receipts {
		rc := k.Receipt
		leaves := []struct {
			index int64
			data  []byte
			what  string
		}{{rc.Index, rc.Record.LeafData(), "record"}}
		if rc.Erasure != nil {
			leaves = append(leaves, struct {
				index int64
				data  []byte
				what  string
			}{rc.Erasure.Index, rc.Erasure.Leaf, "erasure entry"})
		}
		for _, l := range leaves {
			if l.index >= n || !have[l.index] {
				continue // Reported as truncated or missing above.
			}
			if logged[l.index] != tlog.RecordHash(l.data) {
				rep.Findings = append(rep.Findings, Finding{Kind: ReceiptMismatch, Index: l.index, RecordID: rc.Record.ID,
					Detail: fmt.Sprintf("the log today holds another leaf at index %d than the %s of the receipt kept in %s", l.index, l.what, k.Source)})
			}
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool { return rep.Findings[i].Index < rep.Findings[j].Index })
	return rep, nil
}

// lateCheck is a finding about an entry beyond the log the audit read, and
// whether that entry was appended through the log meanwhile.
type lateCheck struct {
	finding  Finding
	appended func() bool
}

// knownTree is a known checkpoint's tree, where it was kept, and whether an
// earlier audit kept it (Known.Audited).
type knownTree struct {
	source  string
	tree    tlog.Tree
	audited bool
}

// checkErasures reports erasure entries in the signed log of size n that
// name no record read (matched), or claim to log an
// erasure made before the log had erasure entries (Legacy) but were
// appended later: after another erasure entry, apart from the one run of
// legacy entries the store appends when it first opens a database, or at
// or beyond a checkpoint an earlier audit kept. The entries are in log
// order.
func checkErasures(erasures []eula.Erasure, matched map[string]bool, n int64, knowns []knownTree) []Finding {
	var out []Finding
	audited := int64(-1) // the smallest tree size an earlier audit kept
	for _, k := range knowns {
		if k.audited && (audited < 0 || k.tree.N < audited) {
			audited = k.tree.N
		}
	}
	runEnd := int64(-1) // one past the last legacy entry of the first run
	normal := false     // a non-legacy entry came before
	for _, e := range erasures {
		if e.Index < n && !matched[e.RecordID] {
			out = append(out, Finding{Kind: ErasureMismatch, Index: e.Index, RecordID: e.RecordID,
				Detail: fmt.Sprintf("the erasure entry names record %s at index %d, which the store does not have", e.RecordID, e.RecordIndex)})
		}
		if !e.Legacy {
			normal = true
			continue
		}
		late := ""
		switch {
		case normal:
			late = "after other erasure entries"
		case runEnd >= 0 && e.Index != runEnd:
			late = "apart from the erasures logged when the store first opened the database"
		case audited >= 0 && e.Index >= audited:
			late = fmt.Sprintf("beyond the log of %d entries that an earlier audit kept", audited)
		}
		if late != "" {
			out = append(out, Finding{Kind: LateLegacyErasure, Index: e.Index, RecordID: e.RecordID,
				Detail: "the entry says the erasure was made before the log had erasure entries, but it was appended " + late + ": the erasure was forged and laundered"})
			continue
		}
		runEnd = e.Index + 1
	}
	return out
}
