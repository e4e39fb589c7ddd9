package postgres_test

import (
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/storetest"
)

// TestConsoleUpgrade opens a database written before the console's
// maintained tables and checks they are filled from its records.
func TestConsoleUpgrade(t *testing.T) {
	dsn := testDSN(t)
	signer, _ := storetest.Key(t)
	s := open(t, dsn, signer)
	storetest.ConsoleUpgrade(t, s, s.DB(), []string{
		"DROP TRIGGER console_on_append ON records", "DROP FUNCTION console_on_append",
		"DROP TABLE console_tally", "DROP TABLE console_latest", "DROP TABLE console_states",
		"DELETE FROM log_meta WHERE name = 'console_tables'",
	}, func() eula.Store { return open(t, dsn, signer) })
}
