// Package translog keeps the transparency log of eulagate's records: a
// Merkle tree built with golang.org/x/mod/sumdb/tlog whose leaves are the
// records' LeafData, and checkpoints of it signed as notes with
// golang.org/x/mod/sumdb/note.
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
// A store's own checkpoints cannot reveal a log whose tail was deleted
// together with them. Keep Report.Checkpoint from each audit (and the
// checkpoints in receipts given out) and pass them to the next Audit as
// known checkpoints: a shorter or different log is then reported.
package translog
