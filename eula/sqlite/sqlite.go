package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/internal/sqlstore"
	"golang.org/x/mod/sumdb/note"

	_ "modernc.org/sqlite" // The "sqlite" database/sql driver.
)

// FileName is the name of the database file in the data directory.
const FileName = "eulagate.db"

// BusyTimeoutMillis is how long a transaction waits for the file lock.
const BusyTimeoutMillis = 10000

// Store is the SQLite eula.Store. Its methods are those of eula.Store plus
// LatestCheckpoint and DB.
type Store struct {
	*sqlstore.Store
}

var _ eula.Store = (*Store)(nil)

var dialect = sqlstore.Dialect{
	Name:     "sqlite",
	Blob:     "BLOB",
	LockHead: "SELECT size FROM tree_head WHERE id = 1",
	// With secure_delete, erased rows are overwritten in the database
	// file; truncating the WAL drops the old copies of their pages.
	Scrub: []string{"PRAGMA wal_checkpoint(TRUNCATE)"},
}

// Options configure a Store; see sqlstore.Options.
type Options = sqlstore.Options

// Open opens (creating if needed) the database file at path with the
// checkpoint signer in opt and starts its writer.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s, err := sqlstore.Open(ctx, db, &dialect, opt)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &Store{s}, nil
}

// OpenDir opens the store in the data directory dir: the database FileName.
func OpenDir(ctx context.Context, dir string, signer note.Signer) (*Store, error) {
	return Open(ctx, filepath.Join(dir, FileName), Options{Signer: signer})
}

// DSN returns the modernc.org/sqlite data source name for the file at path:
// WAL journal, full sync, a busy timeout, secure delete (erased personal
// data is overwritten) and immediate write transactions.
func DSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeoutMillis))
	q.Add("_pragma", "secure_delete(ON)")
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}
