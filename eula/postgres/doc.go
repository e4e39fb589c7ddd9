// Package postgres is the eula.Store for organisations that run several
// eulagate servers behind a load balancer against one PostgreSQL database,
// selected with `--db postgres://...`. It uses github.com/jackc/pgx/v5
// through database/sql.
//
// # One log for several servers
//
// Every write updates the single row of the tree head, which PostgreSQL
// locks until commit. A batch is written either in a transaction that first
// locks the head (SELECT ... FOR UPDATE), reads the tree size, looks up the
// idempotency keys, appends after it and updates the head; or, once the
// writer knows the size it committed last, in one statement that updates
// the head only if it still has that size and none of the batch's keys was
// used, and inserts only then (waiting for another writer's lock, then
// rechecking). Writers in all processes are thus serialised, and the log
// stays one consistent sequence; a retry sent to another server still
// returns the first result. Sessions are READ COMMITTED whatever the
// server's default. Schema creation takes a transaction-level advisory
// lock, so servers may start together.
//
// # Durability and speed
//
// A decision is acknowledged after PostgreSQL's commit (with the server's
// default synchronous_commit=on). Concurrent decisions in one process share
// one commit (group commit), written by one statement whose text is the
// same for every batch (array parameters, unnest): one round trip and one
// checkpoint per batch.
package postgres
