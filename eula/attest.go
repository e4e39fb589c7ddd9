package eula

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// StatementOrigin is the first line of a status statement.
const StatementOrigin = "eulagate status v1"

// Bounds of a nonce: what a gate sends to make the server sign afresh.
const (
	MinNonceLen = 16
	MaxNonceLen = 128
)

// ValidNonce checks a nonce or session token: MinNonceLen to MaxNonceLen
// letters, digits, '-' or '_' (base64url). Errors wrap ErrInvalid.
func ValidNonce(field, s string) error {
	if len(s) < MinNonceLen || len(s) > MaxNonceLen {
		return fmt.Errorf("%s: %d to %d characters: %w", field, MinNonceLen, MaxNonceLen, ErrInvalid)
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("%s: only letters, digits, '-' and '_': %w", field, ErrInvalid)
		}
	}
	return nil
}

// Statement is what the server attests, signed with the log's key, about
// one installation and product at one moment: which record is the latest
// decision on the EULA (the one the gate's rule reads), in which tree, and
// whether it was made through the gate's kiosk session. The nonce, chosen
// by the asker, makes a replayed statement useless.
//
// Its text, signed as a note, is:
//
//	eulagate status v1
//	nonce <nonce>
//	installation <machine id>
//	product <product key>
//	record <record id> <log index>     (or: record none)
//	session <record id>                (or: session none)
//	checkpoint <tree size> <root hash, base64>
type Statement struct {
	Nonce        string
	Installation string
	Product      string
	// Record and Index name the latest decision on the EULA of the
	// installation for the product in Tree; Record is empty if none.
	Record string
	Index  int64
	// Session is the record made through the session the asker named, if
	// any; empty otherwise.
	Session string
	// Tree is the signed tree that includes Record.
	Tree tlog.Tree
}

// Text returns the statement's text, to be signed as a note.
func (s Statement) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nnonce %s\ninstallation %s\nproduct %s\n", StatementOrigin, s.Nonce, s.Installation, s.Product)
	if s.Record == "" {
		b.WriteString("record none\n")
	} else {
		fmt.Fprintf(&b, "record %s %d\n", s.Record, s.Index)
	}
	if s.Session == "" {
		b.WriteString("session none\n")
	} else {
		fmt.Fprintf(&b, "session %s\n", s.Session)
	}
	fmt.Fprintf(&b, "checkpoint %d %s\n", s.Tree.N, s.Tree.Hash)
	return b.String()
}

// ParseStatement reads the text of a statement made by Text. Errors wrap
// ErrInvalid.
func ParseStatement(text string) (Statement, error) {
	bad := func(what string) (Statement, error) {
		return Statement{}, fmt.Errorf("status statement: %s: %w", what, ErrInvalid)
	}
	lines := strings.Split(text, "\n")
	if len(lines) != 8 || lines[7] != "" || lines[0] != StatementOrigin {
		return bad("not a " + StatementOrigin + " of seven lines")
	}
	field := func(i int, name string) (string, bool) {
		v, ok := strings.CutPrefix(lines[i], name+" ")
		return v, ok && v != ""
	}
	var s Statement
	var ok bool
	if s.Nonce, ok = field(1, "nonce"); !ok {
		return bad("nonce")
	}
	if s.Installation, ok = field(2, "installation"); !ok {
		return bad("installation")
	}
	if s.Product, ok = field(3, "product"); !ok {
		return bad("product")
	}
	rec, ok := field(4, "record")
	if !ok {
		return bad("record")
	}
	s.Index = -1
	if rec != "none" {
		id, idx, found := strings.Cut(rec, " ")
		n, err := strconv.ParseInt(idx, 10, 64)
		if !found || err != nil || n < 0 || strconv.FormatInt(n, 10) != idx || !validUUID(id) {
			return bad("record")
		}
		s.Record, s.Index = id, n
	}
	sess, ok := field(5, "session")
	if !ok || sess != "none" && !validUUID(sess) {
		return bad("session")
	}
	if sess != "none" {
		s.Session = sess
	}
	cp, ok := field(6, "checkpoint")
	size, hash, found := strings.Cut(cp, " ")
	n, err := strconv.ParseInt(size, 10, 64)
	if !ok || !found || err != nil || n < 0 || strconv.FormatInt(n, 10) != size {
		return bad("checkpoint")
	}
	h, err := tlog.ParseHash(hash)
	if err != nil {
		return bad("checkpoint hash")
	}
	s.Tree = tlog.Tree{N: n, Hash: h}
	if s.Record != "" && s.Index >= s.Tree.N {
		return bad("record outside the tree")
	}
	return s, nil
}

// Attestation is a signed status statement and, when it names a record,
// that record's receipt in the statement's tree.
type Attestation struct {
	// Statement is the signed note of a Statement.
	Statement string `json:"statement"`
	// Receipt is the receipt of the statement's record, without personal
	// data; absent when there is none.
	Receipt *Receipt `json:"receipt,omitempty"`
}

// WithSigner gives the registrar the log's signing key, with which Attest
// signs status statements.
func WithSigner(s note.Signer) RegistrarOption {
	return func(g *Registrar) { g.signer = s }
}

// attestTries bounds how often Attest reads again when records arrive
// between reading the history and the receipt.
const attestTries = 5

// Attest answers a gate: the latest decision on the EULA of an
// installation for a product, in a signed statement bound to the gate's
// nonce, with its receipt. sessionRecord is the record made through the
// gate's kiosk session, if any (see Statement.Session). Errors: ErrInvalid
// (a missing or malformed argument), ErrNotFound (unknown product), or an
// error when the registrar has no signer.
func (g *Registrar) Attest(ctx context.Context, machineID, product, nonce, sessionRecord string) (Attestation, error) {
	if g.signer == nil {
		return Attestation{}, errors.New("attest: the server has no signing key")
	}
	if err := ValidNonce("nonce", nonce); err != nil {
		return Attestation{}, err
	}
	var v validator
	v.token("installer", machineID, MaxMachineIDLen, true)
	if v.err != nil {
		return Attestation{}, v.err
	}
	if _, err := g.lib.Product(product); err != nil {
		return Attestation{}, err
	}
	st := Statement{Nonce: nonce, Installation: machineID, Product: product, Session: sessionRecord, Index: -1}
	var rc *Receipt
	for try := 0; ; try++ {
		hist, err := g.store.Latest(ctx, machineID, product)
		if err != nil {
			return Attestation{}, fmt.Errorf("attest: %w", err)
		}
		last := StatusOf(hist, g.lib.Latest(DocEULA), nil)
		if last.RecordID == "" {
			signed, err := g.store.LatestCheckpoint(ctx)
			switch {
			case errors.Is(err, ErrNotFound):
				st.Tree = tlog.Tree{}
			case err != nil:
				return Attestation{}, fmt.Errorf("attest: %w", err)
			default:
				if st.Tree, err = CheckpointTree(signed); err != nil {
					return Attestation{}, fmt.Errorf("attest: %w", err)
				}
			}
			break
		}
		r, err := g.Receipt(ctx, last.RecordID)
		if err != nil {
			return Attestation{}, fmt.Errorf("attest: %w", err)
		}
		tree, err := CheckpointTree([]byte(r.Checkpoint))
		if err != nil {
			return Attestation{}, fmt.Errorf("attest: %w", err)
		}
		// The record must be the latest of the installation in that tree:
		// no decision on the EULA after it among the records the tree holds.
		later, err := g.decisionBetween(ctx, machineID, product, last.Index, tree.N)
		if err != nil {
			return Attestation{}, fmt.Errorf("attest: %w", err)
		}
		if !later {
			st.Record, st.Index, st.Tree, rc = last.RecordID, last.Index, tree, &r
			break
		}
		if try == attestTries {
			return Attestation{}, fmt.Errorf("attest: decisions keep arriving for %s: %w", clip(machineID), ErrConflict)
		}
	}
	signed, err := note.Sign(&note.Note{Text: st.Text()}, g.signer)
	if err != nil {
		return Attestation{}, fmt.Errorf("attest: sign: %w", err)
	}
	return Attestation{Statement: string(signed), Receipt: rc}, nil
}

// decisionBetween reports whether the installation has a decision on the
// EULA for the product with a log index after after and before end, reading
// its history from after on, page by page, up to end.
func (g *Registrar) decisionBetween(ctx context.Context, machineID, product string, after, end int64) (bool, error) {
	page := &Page{From: after + 1}
	for page != nil && page.From < end {
		var recs []Record
		var err error
		recs, page, err = g.store.History(ctx, machineID, product, *page)
		if err != nil {
			return false, err
		}
		for _, r := range recs {
			if r.Index >= end {
				return false, nil
			}
			if r.Document.ID == DocEULA {
				return true, nil
			}
		}
	}
	return false, nil
}

// VerifyAttestation checks an attestation as a gate does, trusting only
// the log's verifier key: the statement's signature, that it answers this
// nonce, installation and product, and that the receipt proves the record
// it names in the tree it names. It returns the statement and the record
// (nil when there is none). Errors wrap ErrInvalid and say what fails.
func VerifyAttestation(a Attestation, verifierKey, nonce, machineID, product string) (Statement, *Record, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return Statement{}, nil, fmt.Errorf("verifier key is malformed: %v: %w", err, ErrInvalid)
	}
	n, err := note.Open([]byte(a.Statement), note.VerifierList(v))
	if err != nil {
		return Statement{}, nil, fmt.Errorf("the status statement is not signed with the log's key %s: %v: %w", v.Name(), err, ErrInvalid)
	}
	st, err := ParseStatement(n.Text)
	if err != nil {
		return Statement{}, nil, err
	}
	switch {
	case st.Nonce != nonce:
		return Statement{}, nil, fmt.Errorf("the status statement answers another request (nonce): a replayed answer: %w", ErrInvalid)
	case st.Installation != machineID || st.Product != product:
		return Statement{}, nil, fmt.Errorf("the status statement is about %s for %s, not %s for %s: %w", clip(st.Installation), clip(st.Product), clip(machineID), clip(product), ErrInvalid)
	}
	if st.Record == "" {
		if a.Receipt != nil {
			return Statement{}, nil, fmt.Errorf("the status statement names no record but a receipt came with it: %w", ErrInvalid)
		}
		return st, nil, nil
	}
	if a.Receipt == nil {
		return Statement{}, nil, fmt.Errorf("the status statement names record %s without its receipt: %w", st.Record, ErrInvalid)
	}
	rc := a.Receipt
	if err := VerifyReceipt(*rc, verifierKey); err != nil {
		return Statement{}, nil, fmt.Errorf("receipt of record %s: %w", st.Record, err)
	}
	tree, err := CheckpointTree([]byte(rc.Checkpoint))
	if err != nil {
		return Statement{}, nil, err
	}
	r := rc.Record
	switch {
	case r.ID != st.Record || r.Index != st.Index:
		return Statement{}, nil, fmt.Errorf("the receipt is of record %s, the statement names %s: %w", r.ID, st.Record, ErrInvalid)
	case tree != st.Tree:
		return Statement{}, nil, fmt.Errorf("the receipt's tree (size %d) is not the statement's (size %d): %w", tree.N, st.Tree.N, ErrInvalid)
	case r.Installer.MachineID != machineID || r.Product != product || r.Document.ID != DocEULA:
		return Statement{}, nil, fmt.Errorf("record %s is about %s for %s, not %s for %s: %w", r.ID, clip(r.Installer.MachineID), clip(r.Product), clip(machineID), clip(product), ErrInvalid)
	}
	return st, &r, nil
}
