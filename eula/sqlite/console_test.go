package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
)

// TestConsoleUpgrade opens a database written before the console's
// maintained tables and checks they are filled from its records.
func TestConsoleUpgrade(t *testing.T) {
	signer, _ := storetest.Key(t)
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	openPath := func() *sqlite.Store {
		s, err := sqlite.Open(context.Background(), path, sqlite.Options{Signer: signer})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := openPath()
	storetest.ConsoleUpgrade(t, s, s.DB(), []string{
		"DROP TRIGGER console_on_append",
		"DROP TABLE console_tally", "DROP TABLE console_latest", "DROP TABLE console_states",
		"DELETE FROM log_meta WHERE name = 'console_tables'",
	}, func() eula.Store { return openPath() })
}
