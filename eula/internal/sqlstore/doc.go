// Package sqlstore is the implementation of eula.Store shared by the SQLite
// and PostgreSQL stores: one schema and one set of queries over
// database/sql, with a Dialect for what differs.
//
// # Writes
//
// One writer goroutine per Store takes the Append calls waiting at the time
// and commits them in one transaction (group commit): idempotency lookups,
// the records, their personal data, the log's new hashes, the tree head
// and a signed checkpoint. The transaction first locks the single-row tree
// head, so that several processes sharing one PostgreSQL database append to
// one consistent sequence.
//
// # Personal data
//
// Names, e-mail addresses, the client address and user agent are in table
// personal with the record's salt; table records holds only their salted
// hash, which the log leaf commits to. Erasing deletes the personal row and
// marks the record erased; the leaf, and so every proof, is unchanged.
package sqlstore
