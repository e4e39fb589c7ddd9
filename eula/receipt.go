package eula

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// CheckpointOrigin is the first line of every checkpoint of the log.
const CheckpointOrigin = "eulagate acceptance log"

// MaxProofLen bounds the number of hashes in an inclusion proof (a tree of
// up to 2^63 leaves needs at most 63).
const MaxProofLen = 63

// Receipt is the evidence given for one decision: the record, its log
// index, a proof that it is included in the tree and a checkpoint of that
// tree signed by the server. It is checked offline by VerifyReceipt.
type Receipt struct {
	// Record is the decision; its personal data is absent once erased.
	Record Record `json:"record"`
	// Index is the record's position in the log.
	Index int64 `json:"index"`
	// TreeSize is the size of the tree the proof and checkpoint refer to.
	TreeSize int64 `json:"tree_size"`
	// Proof is the inclusion proof of the record's leaf in that tree.
	Proof []tlog.Hash `json:"proof"`
	// Checkpoint is the signed note of the tree: CheckpointOrigin, the tree
	// size and the root hash, and the server's signature.
	Checkpoint string `json:"checkpoint"`
	// Leaf is the record's leaf, the exact bytes the log commits to
	// (Record.LeafData), base64 in JSON: a verifier hashes them and
	// compares their fields with the record, without encoding the record
	// itself. Receipts made before it existed lack it.
	Leaf []byte `json:"leaf,omitempty"`
	// Erasure proves that the record's personal data was erased: the
	// erasure entry that names the record, in the same signed tree. A
	// receipt shows a record as erased only with it.
	Erasure *ErasureProof `json:"erasure,omitempty"`
}

// ErasureProof is an erasure entry of the log with its inclusion proof in
// the tree of a receipt's checkpoint.
type ErasureProof struct {
	// Index is the entry's position in the log.
	Index int64 `json:"index"`
	// Leaf is the entry's leaf (see Erasure.LeafData), base64 in JSON.
	Leaf []byte `json:"leaf"`
	// Proof is the inclusion proof of the leaf at Index.
	Proof []tlog.Hash `json:"proof"`
}

// FormatCheckpoint returns the text of a checkpoint for a tree of size n
// with root hash h, to be signed as a note.
func FormatCheckpoint(n int64, h tlog.Hash) []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", CheckpointOrigin, n, h)
}

// ParseCheckpoint parses the text of a checkpoint made by FormatCheckpoint.
// Errors wrap ErrInvalid.
func ParseCheckpoint(text string) (tlog.Tree, error) {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) != 4 || lines[3] != "" || lines[0] != CheckpointOrigin+"\n" {
		return tlog.Tree{}, fmt.Errorf("checkpoint text is not %q, a size and a hash: %w", CheckpointOrigin, ErrInvalid)
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(lines[1], "\n"), 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10)+"\n" != lines[1] {
		return tlog.Tree{}, fmt.Errorf("checkpoint tree size %q: %w", clip(lines[1]), ErrInvalid)
	}
	h, err := tlog.ParseHash(strings.TrimSuffix(lines[2], "\n"))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("checkpoint root hash: %w", ErrInvalid)
	}
	return tlog.Tree{N: n, Hash: h}, nil
}

// OpenCheckpoint checks the signature of a signed checkpoint with the
// verifier key (as printed by `eulagate key`) and returns the tree it
// states. Errors wrap ErrInvalid and say what fails.
func OpenCheckpoint(signed []byte, verifierKey string) (tlog.Tree, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("verifier key is malformed: %v: %w", err, ErrInvalid)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		switch e := err.(type) {
		case *note.UnverifiedNoteError:
			names := make([]string, 0, len(e.Note.UnverifiedSigs))
			for _, s := range e.Note.UnverifiedSigs {
				names = append(names, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
			}
			return tlog.Tree{}, fmt.Errorf("checkpoint is not signed by key %s+%08x (signed by %s): %w",
				v.Name(), v.KeyHash(), strings.Join(names, ", "), ErrInvalid)
		case *note.InvalidSignatureError:
			return tlog.Tree{}, fmt.Errorf("checkpoint signature by %s does not match its text (text or signature altered): %w", e.Name, ErrInvalid)
		}
		return tlog.Tree{}, fmt.Errorf("checkpoint is not a signed note: %v: %w", err, ErrInvalid)
	}
	return ParseCheckpoint(n.Text)
}

// VerifyReceipt checks a receipt offline against the log's verifier key:
// the checkpoint's signature, the personal data against its commitment
// (unless erased), the leaf bytes against the record, the inclusion proof
// of the record's leaf in the signed tree and, for an erased record, the
// inclusion proof of the erasure entry that names it. A record marked
// erased without that entry fails: the mark alone proves nothing. It
// returns nil if all hold, or an error wrapping ErrInvalid that says
// exactly which check fails.
func VerifyReceipt(r Receipt, verifierKey string) error {
	tree, err := OpenCheckpoint([]byte(r.Checkpoint), verifierKey)
	if err != nil {
		return err
	}
	if r.TreeSize != tree.N {
		return fmt.Errorf("receipt says tree size %d but the signed checkpoint says %d: %w", r.TreeSize, tree.N, ErrInvalid)
	}
	if r.Index != r.Record.Index {
		return fmt.Errorf("receipt index %d differs from the record's index %d: %w", r.Index, r.Record.Index, ErrInvalid)
	}
	if r.Index < 0 || r.Index >= tree.N {
		return fmt.Errorf("record index %d is outside the signed tree of size %d: %w", r.Index, tree.N, ErrInvalid)
	}
	if len(r.Proof) > MaxProofLen {
		return fmt.Errorf("inclusion proof has %d hashes, more than any tree needs: %w", len(r.Proof), ErrInvalid)
	}
	if p := r.Record.Personal; p != nil {
		if r.Record.Erased {
			return fmt.Errorf("record is marked erased but carries personal data: %w", ErrInvalid)
		}
		if got := p.Hash(); got != r.Record.PersonalHash {
			return fmt.Errorf("personal data (names, e-mail addresses, client) does not match the record's personal_hash: altered: %w", ErrInvalid)
		}
	}
	data := r.Record.LeafData()
	if r.Leaf != nil && !bytes.Equal(r.Leaf, data) {
		return fmt.Errorf("the receipt's leaf bytes are not those of its record: the record or the leaf was altered: %w", ErrInvalid)
	}
	leaf := tlog.RecordHash(data)
	if err := tlog.CheckRecord(tlog.RecordProof(r.Proof), tree.N, tree.Hash, r.Index, leaf); err != nil {
		return fmt.Errorf("inclusion proof fails: the record as given (leaf %s) is not at index %d of the signed tree of size %d: the record, its index or the proof was altered: %w",
			leaf, r.Index, tree.N, ErrInvalid)
	}
	switch {
	case r.Record.Erased && r.Erasure == nil:
		return fmt.Errorf("the record is marked erased, but the receipt carries no erasure entry of the log to prove it: %w", ErrInvalid)
	case r.Erasure != nil && !r.Record.Erased:
		return fmt.Errorf("the receipt carries an erasure entry, but its record is not marked erased: %w", ErrInvalid)
	case r.Erasure != nil:
		if _, err := r.Erasure.verify(&r.Record, tree); err != nil {
			return err
		}
	}
	return nil
}

// ErasureEntry returns the erasure entry a receipt carries, checked as
// VerifyReceipt checks it, for showing when the erasure was made. Errors:
// ErrNotFound when the receipt carries none, ErrInvalid when it fails.
func (r *Receipt) ErasureEntry(verifierKey string) (Erasure, error) {
	if r.Erasure == nil {
		return Erasure{}, fmt.Errorf("receipt of %s: no erasure entry: %w", clip(r.Record.ID), ErrNotFound)
	}
	tree, err := OpenCheckpoint([]byte(r.Checkpoint), verifierKey)
	if err != nil {
		return Erasure{}, err
	}
	return r.Erasure.verify(&r.Record, tree)
}

// verify checks that p is an erasure entry naming rec, included in tree.
func (p *ErasureProof) verify(rec *Record, tree tlog.Tree) (Erasure, error) {
	if p.Index < 0 || p.Index >= tree.N {
		return Erasure{}, fmt.Errorf("erasure entry index %d is outside the signed tree of size %d: %w", p.Index, tree.N, ErrInvalid)
	}
	if len(p.Proof) > MaxProofLen {
		return Erasure{}, fmt.Errorf("erasure entry's inclusion proof has %d hashes, more than any tree needs: %w", len(p.Proof), ErrInvalid)
	}
	e, err := ParseErasureLeaf(p.Leaf, p.Index)
	if err != nil {
		return Erasure{}, err
	}
	if e.RecordID != rec.ID || e.RecordIndex != rec.Index {
		return Erasure{}, fmt.Errorf("the erasure entry at %d names record %s at %d, not this record (%s at %d): %w",
			p.Index, clip(e.RecordID), e.RecordIndex, clip(rec.ID), rec.Index, ErrInvalid)
	}
	if err := tlog.CheckRecord(tlog.RecordProof(p.Proof), tree.N, tree.Hash, p.Index, tlog.RecordHash(p.Leaf)); err != nil {
		return Erasure{}, fmt.Errorf("the erasure entry's inclusion proof fails: it is not at index %d of the signed tree of size %d: %w", p.Index, tree.N, ErrInvalid)
	}
	return e, nil
}

// SignCheckpoint formats and signs the checkpoint of a tree with signer.
func SignCheckpoint(signer note.Signer, tree tlog.Tree) ([]byte, error) {
	b, err := note.Sign(&note.Note{Text: string(FormatCheckpoint(tree.N, tree.Hash))}, signer)
	if err != nil {
		return nil, fmt.Errorf("sign checkpoint: %w", err)
	}
	return b, nil
}

// CheckpointTree returns the tree a signed checkpoint states without
// checking its signature. Stores use it on checkpoints they signed.
func CheckpointTree(signed []byte) (tlog.Tree, error) {
	n, err := OpenUnverified(signed)
	if err != nil {
		return tlog.Tree{}, err
	}
	return ParseCheckpoint(n.Text)
}

// OpenUnverified parses a signed note, such as a checkpoint, without
// checking any signature: the note's UnverifiedSigs name every key that
// claims to have signed it. Errors wrap ErrInvalid.
func OpenUnverified(signed []byte) (*note.Note, error) {
	_, err := note.Open(signed, note.VerifierList())
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		// With no verifiers, Open fails with UnverifiedNoteError on every
		// well-formed note.
		return nil, fmt.Errorf("checkpoint is not a signed note: %w", ErrInvalid)
	}
	return unverified.Note, nil
}

// MaxReceiptBytes bounds a receipt read by DecodeReceipt.
const MaxReceiptBytes = 1 << 20

// DecodeReceipt reads one JSON receipt of at most MaxReceiptBytes, without
// unknown fields or trailing data, as `eulagate verify` does before
// VerifyReceipt. Errors wrap ErrInvalid.
func DecodeReceipt(r io.Reader) (Receipt, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReceiptBytes+1))
	if err != nil {
		return Receipt{}, fmt.Errorf("read receipt: %w", err)
	}
	if len(data) > MaxReceiptBytes {
		return Receipt{}, fmt.Errorf("receipt longer than %d bytes: %w", MaxReceiptBytes, ErrInvalid)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rc Receipt
	if err := dec.Decode(&rc); err != nil {
		return Receipt{}, fmt.Errorf("decode receipt: %v: %w", err, ErrInvalid)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Receipt{}, fmt.Errorf("decode receipt: data after the JSON object: %w", ErrInvalid)
	}
	return rc, nil
}
