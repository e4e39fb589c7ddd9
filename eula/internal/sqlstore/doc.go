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
// Where the Dialect has arrays (PostgreSQL), a batch's rows are written by
// one statement whose text does not depend on the batch's size, each
// column one array parameter, so that it is prepared once per connection.
// Once the writer has committed, it knows the tree size, and the next
// batch is that statement alone, its own transaction (Optimistic): it
// moves the tree head on, and inserts, only if the head still has the
// size the writer committed and none of the batch's keys was used; one
// round trip to the server per batch. If another server appended
// meanwhile, or a request is a retry, the statement writes nothing and the
// batch is written under the lock as above.
//
// # The console
//
// The console's overview reads tables kept by a trigger on records, so in
// the transaction of each batch whichever way it is written (console
// tables in consoletables.go): counts by day, version, product, language,
// role, channel and decision, each installation's latest EULA decision,
// and the installations counted by it. The status under the re-acceptance
// rule is derived when the overview is read. A database from before these
// tables gets them filled from its records at its first open. Searches are
// in time order, served by indexes ending in time and log index, and
// count their results up to a bound.
//
// # Personal data
//
// Names, e-mail addresses, the client address and user agent are in table
// personal with the record's salt; table records holds only their salted
// hash, which the log leaf commits to. Erasing deletes the personal row and
// marks the record erased; the leaf, and so every proof, is unchanged.
package sqlstore
