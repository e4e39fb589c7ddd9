// Package interop verifies eulagate's receipts, checkpoints, consistency
// proofs and witness cosignatures as a third party would: from the public
// specifications alone, with the standard library only, without eulagate's
// own code (package eula and golang.org/x/mod/sumdb, which eulagate's
// server uses, are not imported).
//
// # Specifications
//
//   - C2SP signed-note (c2sp.org/signed-note): the note format, Ed25519
//     signatures (type 0x01), key IDs, verifier keys.
//   - C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): origin, tree size
//     and root hash lines.
//   - C2SP tlog-cosignature (c2sp.org/tlog-cosignature): timestamped
//     Ed25519 cosignatures (type 0x04, "cosignature/v1").
//   - RFC 9162 (Certificate Transparency 2.0), section 2.1: leaf and node
//     hashes, inclusion proof verification (2.1.3.2) and consistency proof
//     verification (2.1.4.2), as RFC 6962 defines the same tree.
//   - docs/receipts.md: eulagate's leaf encodings and receipt fields.
//
// Its tests start a real server over a SQLite store and check what the
// server hands out with this package: that is eulagate's interoperability
// test. The package is not used by eulagate itself.
package interop
