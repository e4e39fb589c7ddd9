// Package translog keeps the transparency log of eulagate's records: a
// Merkle tree built with golang.org/x/mod/sumdb/tlog whose leaves are the
// records' LeafData and the erasure entries' (eula.Erasure), and
// checkpoints of it signed as notes with golang.org/x/mod/sumdb/note.
// docs/receipts.md gives the formats byte for byte.
//
// # Keys
//
// LoadOrCreateKey creates an Ed25519 signing key in the data directory on
// first start and loads it afterwards. The verifier key (the public half,
// printed by `eulagate key`) is what receipts and audits are checked with.
// Servers sharing one PostgreSQL database should share one key file.
//
// # Appending
//
// Stores call Extend inside the transaction that inserts a batch of records
// to compute the tree hashes the batch adds and the new root, then sign a
// checkpoint of the new tree with eula.SignCheckpoint and store it in the
// same transaction.
//
// # Receipts and audits
//
// NewReceipt builds a receipt (record, inclusion proof, latest signed
// checkpoint). Audit re-reads a whole store, recomputes every leaf and the
// tree, and names each record that was changed, removed, reordered or added
// behind the log's back.
//
// NewReceipt gives an erased record's receipt the erasure entry that names
// it, with that entry's inclusion proof: the erased mark alone proves
// nothing. AuditWith reports an erased mark without its entry, and an
// entry whose record is not marked erased.
//
// A store's own checkpoints cannot reveal a log whose tail was deleted
// together with them, or a log rewritten and signed again with its key.
// Keep Report.Checkpoint from each clean audit in a Witness file apart
// from the database (as `eulagate audit` does), and the checkpoints of
// receipts given out, and pass them to the next AuditWith as known
// checkpoints: a shorter or different log is then reported.
//
// # Consistency and witnesses
//
// ProveConsistency builds the RFC 6962 consistency proof between two tree
// sizes that the server publishes, and CheckConsistency checks one. A
// Cosigner cosigns checkpoints in the C2SP tlog-cosignature format
// (cosignature/v1, Ed25519), after checking that the log grew
// consistently, so that a log rewritten with its own key disagrees with
// what its witnesses signed; OpenCosigned checks such a checkpoint.
package translog
