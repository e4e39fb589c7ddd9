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

// Parts is a server before it listens, and what it runs on.
type Parts struct {
	// Handler is the server.
	Handler *web.Server
	// Store is the server's store, for appending and tampering behind its
	// back.
	Store *sqlite.Store
	// Dir is the data directory: the database and the log's key.
	Dir string
	// VerifierKey is the log's verifier key.
	VerifierKey string
}

// Server is a running server and what it runs on.
type Server struct {
	*httptest.Server
	Parts
}

// Build makes eulagate's server over lib and a fresh SQLite store in a
// temporary data directory, configured as `eulagate serve` configures it:
// sections rendered with links, the kiosk's without, the log's verifier
// key published. opts change the configuration. The store closes when tb
// ends.
func Build(tb testing.TB, lib *eula.Library, opts ...func(*web.Config)) Parts {
	tb.Helper()
	dir := tb.TempDir()
	signer, vkey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		tb.Fatal(err)
	}
	store, err := sqlite.OpenDir(context.Background(), dir, signer)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	cfg := web.Config{
		Library:     lib,
		Render:      render.New().SectionString,
		RenderKiosk: render.New(render.WithoutLinks()).SectionString,
		Store:       store,
		VerifierKey: vkey,
	}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return Parts{Handler: srv, Store: store, Dir: dir, VerifierKey: vkey}
}

// Bundled returns the embedded documents, as `eulagate serve` loads them
// by default.
func Bundled(tb testing.TB) *eula.Library {
	tb.Helper()
	lib, err := eula.Load(locales.FS)
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

// New starts a server with the embedded documents over a new store; opts
// change its configuration. The server and store stop when t ends.
func New(t testing.TB, opts ...func(*web.Config)) *Server {
	t.Helper()
	p := Build(t, Bundled(t), opts...)
	ts := httptest.NewServer(p.Handler)
	t.Cleanup(ts.Close)
	return &Server{Server: ts, Parts: p}
}
