package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
)

// BenchmarkConsole measures the console's overview and searches on many
// records beside a bare SELECT count(*) (see storetest.BenchConsole).
func BenchmarkConsole(b *testing.B) {
	signer, _ := storetest.Key(b)
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), sqlite.FileName), sqlite.Options{Signer: signer})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchConsole(b, s, s.DB(), storetest.BenchSQLite)
}
