// Package postgres is the eula.Store for organisations that run several
// eulagate servers behind a load balancer against one PostgreSQL database,
// selected with `--db postgres://...`. It uses github.com/jackc/pgx/v5
// through database/sql.
//
// # One log for several servers
//
// Every write transaction first locks the single row of the tree head
// (SELECT ... FOR UPDATE), reads the tree size, appends its batch after it
// and updates the head before commit. Writers in all processes are thus
// serialised, and the log stays one consistent sequence; idempotency keys
// are looked up under the same lock, so a retry sent to another server still
// returns the first result. Schema creation takes a transaction-level
// advisory lock, so servers may start together.
//
// # Durability
//
// A decision is acknowledged after PostgreSQL's commit (with the server's
// default synchronous_commit=on). Concurrent decisions in one process share
// one commit (group commit).
package postgres
