package testserver

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/render"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/locales"
	"github.com/eulagate/eulagate/web"
)

// Server is a running server and what it runs on.
type Server struct {
	*httptest.Server
	// Store is the server's store, for appending and tampering behind its
	// back.
	Store *sqlite.Store
	// Dir is the data directory: the database and the log's key.
	Dir string
	// VerifierKey is the log's verifier key.
	VerifierKey string
}

// New starts a server with the embedded documents over a new store; opts
// change its configuration. The server and store stop when t ends.
func New(t testing.TB, opts ...func(*web.Config)) *Server {
	t.Helper()
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	signer, vkey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.OpenDir(context.Background(), dir, signer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	r := render.New()
	cfg := web.Config{Library: lib, Store: store, Render: func(s *eula.Section) (string, error) {
		h, err := r.Section(s)
		return h.String(), err
	}}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &Server{Server: ts, Store: store, Dir: dir, VerifierKey: vkey}
}
