package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/internal/sqlstore"

	_ "github.com/jackc/pgx/v5/stdlib" // The "pgx" database/sql driver.
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
	Blob:        "BYTEA",
	MigrateLock: "SELECT pg_advisory_xact_lock(7101981236)",
	LockHead:    "SELECT size FROM tree_head WHERE id = 1 FOR UPDATE",
}

// Options configure a Store; see sqlstore.Options.
type Options = sqlstore.Options

// Open connects to the database at dsn (a postgres:// URL or key=value
// string), creates the schema if needed and starts the writer.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	if err := db.PingContext(ctx); err != nil {
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
