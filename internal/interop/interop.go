package interop

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Hash is a SHA-256 hash: a leaf, node or root hash of the Merkle tree.
type Hash [sha256.Size]byte

// Signature types of C2SP signed-note.
const (
	// TypeEd25519 is a note signature by an Ed25519 key.
	TypeEd25519 = 0x01
	// TypeCosignature is a C2SP tlog-cosignature cosignature/v1:
	// timestamped Ed25519.
	TypeCosignature = 0x04
)

// VerifierKey is a parsed C2SP signed-note vkey:
// "<name>+<hex key ID>+<base64 of the type byte and the public key>".
type VerifierKey struct {
	Name    string
	ID      uint32
	Type    byte
	Ed25519 ed25519.PublicKey
}

// KeyID computes a key ID as C2SP signed-note recommends (and
// tlog-cosignature requires): the first four bytes, big-endian, of
// SHA-256(name || 0x0A || type || public key).
func KeyID(name string, typ byte, pub []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{0x0A, typ})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// ParseVerifierKey parses a vkey of type TypeEd25519 or TypeCosignature
// and checks that its key ID is the one KeyID computes.
func ParseVerifierKey(vkey string) (VerifierKey, error) {
	parts := strings.SplitN(strings.TrimSpace(vkey), "+", 3)
	if len(parts) != 3 || parts[0] == "" || len(parts[1]) != 8 {
		return VerifierKey{}, errors.New("vkey: not <name>+<key ID>+<key>")
	}
	id, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil {
		return VerifierKey{}, errors.New("vkey: key ID is not 8 hex digits")
	}
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) != 1+ed25519.PublicKeySize || (key[0] != TypeEd25519 && key[0] != TypeCosignature) {
		return VerifierKey{}, errors.New("vkey: not an Ed25519 or cosignature/v1 key")
	}
	k := VerifierKey{Name: parts[0], ID: uint32(id), Type: key[0], Ed25519: ed25519.PublicKey(key[1:])}
	if KeyID(k.Name, k.Type, k.Ed25519) != k.ID {
		return VerifierKey{}, errors.New("vkey: the key ID is not SHA-256(name || 0x0A || type || key)[:4]")
	}
	return k, nil
}

// Signature is a verified signature of a note.
type Signature struct {
	Key VerifierKey
	// Time is a cosignature's timestamp; zero for a plain signature.
	Time time.Time
}

// OpenNote checks a C2SP signed note: valid UTF-8 without control
// characters but newlines, the text separated from the signature lines by
// the last blank line, every signature by a known key (name and key ID
// both match) valid, and at least one. It returns the text and the
// verified signatures, in the order of keys.
func OpenNote(note []byte, keys ...VerifierKey) (string, []Signature, error) {
	if !utf8.Valid(note) {
		return "", nil, errors.New("note: not UTF-8")
	}
	for _, c := range note {
		if c < 0x20 && c != '\n' {
			return "", nil, errors.New("note: control character")
		}
	}
	i := bytes.LastIndex(note, []byte("\n\n"))
	if i < 0 {
		return "", nil, errors.New("note: no blank line before the signatures")
	}
	text, sigs := note[:i+1], note[i+2:]
	if len(sigs) == 0 || sigs[len(sigs)-1] != '\n' {
		return "", nil, errors.New("note: no signature lines, or the last does not end in a newline")
	}
	found := map[int]Signature{}
	for _, line := range strings.SplitAfter(string(sigs), "\n") {
		if line == "" {
			continue
		}
		rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "\u2014 ")
		name, b64, ok2 := strings.Cut(rest, " ")
		if !ok || !ok2 || name == "" || strings.Contains(b64, " ") {
			return "", nil, fmt.Errorf("note: malformed signature line %q", line)
		}
		sig, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(sig) < 4 {
			return "", nil, fmt.Errorf("note: signature of %s is not base64 of a key ID and a signature", name)
		}
		id := binary.BigEndian.Uint32(sig)
		for k, key := range keys {
			if key.Name != name || key.ID != id {
				continue // A signature by an unknown key is ignored.
			}
			s, err := verify(key, text, sig[4:])
			if err != nil {
				return "", nil, fmt.Errorf("note: signature by %s: %w", name, err)
			}
			found[k] = s
		}
	}
	if len(found) == 0 {
		return "", nil, errors.New("note: no signature by a known key")
	}
	out := make([]Signature, 0, len(found))
	for k := range keys {
		if s, ok := found[k]; ok {
			out = append(out, s)
		}
	}
	return string(text), out, nil
}

// verify checks one signature (after its key ID) of a note's text.
func verify(key VerifierKey, text, sig []byte) (Signature, error) {
	switch key.Type {
	case TypeEd25519:
		if len(sig) != ed25519.SignatureSize || !ed25519.Verify(key.Ed25519, text, sig) {
			return Signature{}, errors.New("Ed25519 signature does not verify")
		}
		return Signature{Key: key}, nil
	case TypeCosignature:
		// timestamped_signature: u64 timestamp, then the Ed25519 signature
		// of "cosignature/v1\ntime <timestamp>\n" and the note text.
		if len(sig) != 8+ed25519.SignatureSize {
			return Signature{}, errors.New("cosignature is not a timestamp and an Ed25519 signature")
		}
		t := binary.BigEndian.Uint64(sig)
		if t > 1<<63-1 {
			return Signature{}, errors.New("cosignature timestamp beyond 2^63-1")
		}
		msg := append([]byte("cosignature/v1\ntime "+strconv.FormatUint(t, 10)+"\n"), text...)
		if !ed25519.Verify(key.Ed25519, msg, sig[8:]) {
			return Signature{}, errors.New("cosignature does not verify")
		}
		return Signature{Key: key, Time: time.Unix(int64(t), 0).UTC()}, nil
	}
	return Signature{}, errors.New("unknown signature type")
}

// Checkpoint is the text of a C2SP tlog-checkpoint.
type Checkpoint struct {
	Origin     string
	Size       uint64
	Root       Hash
	Extensions []string
}

// ParseCheckpoint parses a checkpoint's note text: the origin, the tree
// size in decimal without leading zeros, the base64 root hash, then
// optional non-empty extension lines.
func ParseCheckpoint(text string) (Checkpoint, error) {
	if !strings.HasSuffix(text, "\n") {
		return Checkpoint{}, errors.New("checkpoint: text does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return Checkpoint{}, errors.New("checkpoint: fewer than three lines")
	}
	for _, l := range lines {
		if l == "" {
			return Checkpoint{}, errors.New("checkpoint: empty line")
		}
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != lines[1] {
		return Checkpoint{}, errors.New("checkpoint: tree size is not a decimal without leading zeros")
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != sha256.Size {
		return Checkpoint{}, errors.New("checkpoint: root hash is not base64 of 32 bytes")
	}
	c := Checkpoint{Origin: lines[0], Size: size, Extensions: lines[3:]}
	copy(c.Root[:], root)
	return c, nil
}

// LeafHash is RFC 9162's hash of a leaf: SHA-256(0x00 || leaf).
func LeafHash(leaf []byte) Hash {
	return sha256.Sum256(append([]byte{0x00}, leaf...))
}

// nodeHash is RFC 9162's hash of an inner node: SHA-256(0x01 || l || r).
func nodeHash(l, r Hash) Hash {
	b := make([]byte, 0, 1+2*sha256.Size)
	b = append(append(append(b, 0x01), l[:]...), r[:]...)
	return sha256.Sum256(b)
}

// errProof reports a proof that does not verify.
var errProof = errors.New("proof does not verify")

// VerifyInclusion checks an inclusion proof (audit path) of the leaf with
// hash leaf at index in the tree of size with root hash root, by RFC 9162
// section 2.1.3.2.
func VerifyInclusion(index, size uint64, leaf Hash, proof []Hash, root Hash) error {
	if index >= size {
		return fmt.Errorf("inclusion: index %d outside a tree of %d: %w", index, size, errProof)
	}
	fn, sn := index, size-1
	r := leaf
	for _, p := range proof {
		if sn == 0 {
			return fmt.Errorf("inclusion: too many hashes: %w", errProof)
		}
		if fn&1 == 1 || fn == sn {
			r = nodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = nodeHash(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 || r != root {
		return fmt.Errorf("inclusion: %w", errProof)
	}
	return nil
}

// VerifyConsistency checks a consistency proof that the tree of size
// second with root secondRoot extends the tree of size first with root
// firstRoot, by RFC 9162 section 2.1.4.2 (for 0 < first < second); the
// tree of size 0 is extended by every tree with an empty proof, and a tree
// by itself only, with an empty proof.
func VerifyConsistency(first, second uint64, firstRoot, secondRoot Hash, proof []Hash) error {
	switch {
	case first > second:
		return fmt.Errorf("consistency: the first tree is larger: %w", errProof)
	case first == second:
		if len(proof) != 0 || firstRoot != secondRoot {
			return fmt.Errorf("consistency: two trees of one size: %w", errProof)
		}
		return nil
	case first == 0:
		if len(proof) != 0 {
			return fmt.Errorf("consistency: a proof from the empty tree: %w", errProof)
		}
		return nil
	case len(proof) == 0:
		return fmt.Errorf("consistency: empty proof: %w", errProof)
	}
	path := proof
	if first&(first-1) == 0 { // An exact power of 2.
		path = append([]Hash{firstRoot}, proof...)
	}
	fn, sn := first-1, second-1
	for fn&1 == 1 {
		fn, sn = fn>>1, sn>>1
	}
	fr, sr := path[0], path[0]
	for _, c := range path[1:] {
		if sn == 0 {
			return fmt.Errorf("consistency: too many hashes: %w", errProof)
		}
		if fn&1 == 1 || fn == sn {
			fr, sr = nodeHash(c, fr), nodeHash(c, sr)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			sr = nodeHash(sr, c)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 || fr != firstRoot || sr != secondRoot {
		return fmt.Errorf("consistency: %w", errProof)
	}
	return nil
}

// The leaf prefixes of docs/receipts.md.
const (
	recordLeafPrefix  = "eulagate record v1\n"
	erasureLeafPrefix = "eulagate erasure v1\n"
)

// Receipt is what a third party reads from a receipt, by docs/receipts.md.
type Receipt struct {
	Record struct {
		ID     string `json:"id"`
		Index  uint64 `json:"index"`
		Erased bool   `json:"erased"`
	} `json:"record"`
	Index      uint64 `json:"index"`
	TreeSize   uint64 `json:"tree_size"`
	Proof      []Hash `json:"proof"`
	Checkpoint string `json:"checkpoint"`
	Leaf       []byte `json:"leaf"`
	Erasure    *struct {
		Index uint64 `json:"index"`
		Leaf  []byte `json:"leaf"`
		Proof []Hash `json:"proof"`
	} `json:"erasure"`
}

// UnmarshalJSON reads a hash as base64 of 32 bytes.
func (h *Hash) UnmarshalJSON(b []byte) error {
	var raw []byte
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != len(h) {
		return errors.New("hash: not base64 of 32 bytes")
	}
	copy(h[:], raw)
	return nil
}

// Verified is what VerifyReceipt establishes.
type Verified struct {
	// Checkpoint is the signed tree the receipt's proofs are in.
	Checkpoint Checkpoint
	// Leaf is the record's leaf: its JSON fields, after the prefix.
	Leaf map[string]any
	// Erased is the erasure entry's time when the receipt proves one.
	Erased time.Time
}

// VerifyReceipt checks a receipt (the JSON eulagate hands out) with the
// log's vkey, as docs/receipts.md says a third party does: the checkpoint
// note's signature and text, the tree size, the record's leaf (prefix,
// JSON naming the record's id) and its inclusion proof, and for a record
// marked erased the erasure entry (prefix, JSON naming the record's id and
// index) and its inclusion proof.
func VerifyReceipt(data []byte, logKey string) (Verified, error) {
	var v Verified
	key, err := ParseVerifierKey(logKey)
	if err != nil {
		return v, err
	}
	var rc Receipt
	if err := json.Unmarshal(data, &rc); err != nil {
		return v, fmt.Errorf("receipt: %w", err)
	}
	text, _, err := OpenNote([]byte(rc.Checkpoint), key)
	if err != nil {
		return v, err
	}
	if v.Checkpoint, err = ParseCheckpoint(text); err != nil {
		return v, err
	}
	if rc.TreeSize != v.Checkpoint.Size || rc.Index != rc.Record.Index {
		return v, errors.New("receipt: its tree size or index disagree with the checkpoint or the record")
	}
	body, ok := bytes.CutPrefix(rc.Leaf, []byte(recordLeafPrefix))
	if !ok {
		return v, errors.New("receipt: the leaf is not a record's leaf")
	}
	if err := json.Unmarshal(body, &v.Leaf); err != nil || v.Leaf["id"] != rc.Record.ID {
		return v, errors.New("receipt: the leaf's JSON does not name the record")
	}
	if err := VerifyInclusion(rc.Index, v.Checkpoint.Size, LeafHash(rc.Leaf), rc.Proof, v.Checkpoint.Root); err != nil {
		return v, fmt.Errorf("receipt: record: %w", err)
	}
	switch {
	case rc.Record.Erased != (rc.Erasure != nil):
		return v, errors.New("receipt: an erased mark without an erasure entry, or an entry without the mark")
	case rc.Erasure == nil:
		return v, nil
	}
	body, ok = bytes.CutPrefix(rc.Erasure.Leaf, []byte(erasureLeafPrefix))
	if !ok {
		return v, errors.New("receipt: the erasure entry's leaf is not an erasure's leaf")
	}
	var e struct {
		Record      string `json:"record"`
		RecordIndex uint64 `json:"record_index"`
		Time        string `json:"time"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Record != rc.Record.ID || e.RecordIndex != rc.Index {
		return v, errors.New("receipt: the erasure entry does not name the record")
	}
	if v.Erased, err = time.Parse(time.RFC3339Nano, e.Time); err != nil {
		return v, errors.New("receipt: the erasure entry's time is not RFC 3339")
	}
	if err := VerifyInclusion(rc.Erasure.Index, v.Checkpoint.Size, LeafHash(rc.Erasure.Leaf), rc.Erasure.Proof, v.Checkpoint.Root); err != nil {
		return v, fmt.Errorf("receipt: erasure entry: %w", err)
	}
	return v, nil
}
