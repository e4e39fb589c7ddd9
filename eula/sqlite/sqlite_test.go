package sqlite_test

import (
	"context"
	"os"
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

func openTarget(ctx context.Context, path string, signer note.Signer) (eula.Store, error) {
	return sqlite.Open(ctx, path, sqlite.Options{Signer: signer})
}

func TestMain(m *testing.M) {
	storetest.CrashChild(openTarget)
	os.Exit(m.Run())
}

// TestCrash kills a writer with SIGKILL mid-stream and checks the store.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test in -short mode")
	}
	storetest.Crash(t, filepath.Join(t.TempDir(), sqlite.FileName), openTarget, 300)
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}
