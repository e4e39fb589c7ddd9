package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/internal/sqlstore"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// MaxConns bounds the connections one Store opens.
const MaxConns = 16

// Store is the PostgreSQL eula.Store. Its methods are those of eula.Store
// plus LatestCheckpoint and DB.
type Store struct {
	*sqlstore.Store
}

var _ eula.Store = (*Store)(nil)

var dialect = sqlstore.Dialect{
	Name:        "postgres",
	Numbered:    true,
	Arrays:      true,
	Optimistic:  true,
	Blob:        "BYTEA",
	MigrateLock: "SELECT pg_advisory_xact_lock(7101981236)",
	LockHead:    "SELECT size FROM tree_head WHERE id = 1 FOR UPDATE",
	WriteTx:     &sql.TxOptions{Isolation: sql.LevelReadCommitted},
	// The optimistic write is a transaction of its own, READ COMMITTED
	// only through the session's default, which Open sets.
	Scrub: []string{"VACUUM personal", "VACUUM idempotency"},

	// The console's tables are kept by one trigger call per batch.
	TransitionTables: true,

	KeyConflict: func(err error) bool {
		var pg *pgconn.PgError
		return errors.As(err, &pg) && pg.Code == uniqueViolation && pg.TableName == "idempotency"
	},
}

// uniqueViolation is PostgreSQL's SQLSTATE for a unique constraint
// violated.
const uniqueViolation = "23505"

// Options configure a Store; see sqlstore.Options.
type Options = sqlstore.Options

// Open connects to the database at dsn (a postgres:// URL or key=value
// string), checks that commits are durable (fsync and synchronous_commit
// not off), creates the schema if needed and starts the writer. The
// store's transactions are READ COMMITTED whatever the server's or the
// DSN's default.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	cfg.RuntimeParams["default_transaction_isolation"] = "read committed"
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := checkDurable(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s, err := sqlstore.Open(ctx, db, &dialect, opt)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &Store{s}, nil
}

// checkDurable refuses a server that would acknowledge commits before they
// are on disk (fsync or synchronous_commit off): a decision must be durable
// when it is acknowledged.
func checkDurable(ctx context.Context, db *sql.DB) error {
	for _, setting := range []string{"fsync", "synchronous_commit"} {
		var v string
		if err := db.QueryRowContext(ctx, "SELECT current_setting($1)", setting).Scan(&v); err != nil {
			return fmt.Errorf("read setting %s: %w", setting, err)
		}
		if v == "off" {
			return fmt.Errorf("PostgreSQL has %s=off: decisions would be acknowledged before they are on disk", setting)
		}
	}
	return nil
}
