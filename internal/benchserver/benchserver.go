package benchserver

import (
	"context"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/render"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/web"
)

// New returns eulagate's server over lib and a fresh SQLite store, which
// tb's cleanup closes.
func New(tb testing.TB, lib *eula.Library) *web.Server {
	tb.Helper()
	dir := tb.TempDir()
	signer, _, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		tb.Fatal(err)
	}
	store, err := sqlite.OpenDir(context.Background(), dir, signer)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	srv, err := web.New(web.Config{
		Library: lib,
		Render: func(s *eula.Section) (string, error) {
			h, err := render.RenderSection(s)
			return h.String(), err
		},
		Store: store,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}
