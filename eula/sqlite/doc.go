// Package sqlite is the default eula.Store: an embedded SQLite database in
// one file of the data directory, through modernc.org/sqlite (pure Go, so
// builds stay cgo-free).
//
// # Durability
//
// The database runs in WAL mode with synchronous=FULL: a decision is
// acknowledged only after its transaction is in the fsynced write-ahead
// log. Concurrent decisions are committed together (group commit), so one
// fsync serves many.
//
// # Concurrency
//
// Write transactions begin IMMEDIATE and wait up to BusyTimeout for the
// file lock; readers run alongside the writer. One server process per file
// is the intended use; for several servers use package eula/postgres.
package sqlite
