package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"golang.org/x/mod/sumdb/note"
)

func open(t *testing.T, signer note.Signer) eula.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName), sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}
