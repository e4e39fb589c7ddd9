package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
)

// Dialect is what differs between SQL databases.
type Dialect struct {
	// Name names the database in errors.
	Name string
	// Numbered selects $1, $2, ... placeholders instead of ?.
	Numbered bool
	// Blob is the type of binary columns.
	Blob string
	// MigrateLock, if set, runs first in the schema transaction to keep
	// concurrent servers from creating the schema at once.
	MigrateLock string
	// Arrays selects binding a list of values as one array parameter
	// (PostgreSQL; SQLite has no arrays). A batch is then written in one
	// statement of data-modifying WITH clauses that insert from unnest, and
	// a lookup of many keys is "= ANY(?)". These statements read the same
	// whatever the batch size, so the driver prepares each once per
	// connection; placeholder lists would make a new statement, prepared
	// and planned anew, for almost every batch.
	Arrays bool
	// Optimistic selects writing a batch, once the writer knows the tree
	// size it committed last, in one statement that is its own
	// transaction: it appends only if the tree head still has that size and
	// fails, writing nothing, if an idempotency key of the batch was used
	// (KeyConflict), one round trip to the server instead of five.
	// Otherwise (the first batch, another server's appends, a retry) the
	// batch is written in a transaction that locks the tree head first. It
	// needs Arrays, KeyConflict and data-modifying WITH clauses, and the
	// session's transactions READ COMMITTED, so that the statement waits
	// for another writer's lock instead of failing.
	Optimistic bool
	// KeyConflict reports whether err is the violation of the idempotency
	// table's unique key.
	KeyConflict func(err error) bool
	// Scrub are run, best effort, after an erasure commits, to remove the
	// erased data from storage (old WAL frames, dead tuples).
	Scrub []string
	// WriteTx are the options of write transactions: PostgreSQL's must be
	// READ COMMITTED, whatever the server's default, so that the idempotency
	// lookup after the tree head lock sees what others committed meanwhile.
	WriteTx *sql.TxOptions
	// TransitionTables selects maintaining the console's tables with a
	// statement-level trigger reading the statement's inserted rows
	// (PostgreSQL) instead of a trigger for each row (SQLite).
	TransitionTables bool
	// LockHead reads the tree size from the tree head in a write
	// transaction, locking it until commit (FOR UPDATE where needed).
	LockHead string
}

// schema creates the tables; {{BLOB}} is replaced by Dialect.Blob.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS records (
		log_index BIGINT PRIMARY KEY,
		id TEXT NOT NULL UNIQUE,
		time TEXT NOT NULL,
		installer_product TEXT NOT NULL,
		installer_version TEXT NOT NULL,
		machine_id TEXT NOT NULL,
		product TEXT NOT NULL,
		doc_id TEXT NOT NULL,
		doc_version TEXT NOT NULL,
		doc_language TEXT NOT NULL,
		shown_hash TEXT NOT NULL,
		original_hash TEXT NOT NULL,
		decision TEXT NOT NULL,
		role TEXT NOT NULL,
		channel TEXT NOT NULL,
		register_consent INTEGER,
		licensee TEXT NOT NULL,
		reference TEXT NOT NULL,
		derived_from TEXT NOT NULL,
		personal_hash TEXT NOT NULL,
		erased_at TEXT
	)`,
	`CREATE INDEX IF NOT EXISTS records_machine ON records (machine_id, product, log_index)`,
	`CREATE INDEX IF NOT EXISTS records_product ON records (product, doc_version, log_index)`,
	`CREATE TABLE IF NOT EXISTS personal (
		record_id TEXT PRIMARY KEY,
		salt TEXT NOT NULL,
		actor_name TEXT NOT NULL,
		actor_email TEXT NOT NULL,
		actor_organization TEXT NOT NULL,
		bound INTEGER NOT NULL,
		bound_name TEXT NOT NULL,
		bound_email TEXT NOT NULL,
		bound_organization TEXT NOT NULL,
		client_addr TEXT NOT NULL,
		user_agent TEXT NOT NULL,
		actor_email_key TEXT NOT NULL,
		bound_email_key TEXT NOT NULL
	)`,
	`CREATE INDEX IF NOT EXISTS personal_actor_email ON personal (actor_email_key)`,
	`CREATE INDEX IF NOT EXISTS personal_bound_email ON personal (bound_email_key)`,
	`CREATE TABLE IF NOT EXISTS hashes (
		idx BIGINT PRIMARY KEY,
		hash {{BLOB}} NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS checkpoints (
		tree_size BIGINT PRIMARY KEY,
		note TEXT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS tree_head (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		size BIGINT NOT NULL
	)`,
	`INSERT INTO tree_head (id, size) VALUES (1, 0) ON CONFLICT DO NOTHING`,
	`CREATE TABLE IF NOT EXISTS idempotency (
		key TEXT PRIMARY KEY,
		fingerprint TEXT NOT NULL,
		record_id TEXT NOT NULL
	)`,
	// The log's erasure entries (see erasure.go); they share the log's
	// indexes with the records.
	`CREATE TABLE IF NOT EXISTS erasures (
		log_index BIGINT PRIMARY KEY,
		record_id TEXT NOT NULL UNIQUE,
		record_index BIGINT NOT NULL,
		time TEXT NOT NULL,
		legacy INTEGER NOT NULL
	)`,
	// Facts about the log itself, such as since when erasures are logged.
	`CREATE TABLE IF NOT EXISTS log_meta (
		name TEXT PRIMARY KEY,
		value TEXT NOT NULL
	)`,
}

// rebind turns ? placeholders into $1, $2, ... for a numbered dialect.
func (d *Dialect) rebind(q string) string {
	if !d.Numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// placeholders returns "(?, ?, ...), (...)" for rows of cols values.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}
