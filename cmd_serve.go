package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/postgres"
	"github.com/eulagate/eulagate/eula/render"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/internal/privfile"
	"github.com/eulagate/eulagate/web"
)

// Defaults of the server's configuration.
const (
	defaultAddr = "127.0.0.1:8080"
	defaultData = "data"
)

func init() {
	register(&command{
		name:  "serve",
		short: "serve the viewer and the API",
		long: "Serve runs the HTTP server: the EULA viewer, its assets and the API. It\n" +
			"listens on loopback by default; it stops gracefully on SIGINT or SIGTERM.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			addr := fs.String("addr", defaultAddr, "address to listen on (host:port; port 0 picks a free one)")
			data := addDataFlags(fs, "data directory: the database and the log's signing key (mode 0700; refused if other users can write it)")
			db := fs.String("db", "", "database: empty for SQLite in the data directory, or a postgres:// URL")
			logFormat := fs.String("log", "text", "log format: text or json")
			adminToken := fs.String("admin-token", "", "administrator credential for exports, erasure and delegation (empty: those endpoints are off); prefer EULAGATE_ADMIN_TOKEN")
			var origins, returns listFlag
			fs.Var(&origins, "allow-origin", "origin (scheme://host[:port]) of a host page allowed to embed the viewer and receive the outcome by postMessage; repeat or separate with commas")
			fs.Var(&returns, "allow-return", "URL prefix a host may give as return= to get the reader back after the decision; repeat or separate with commas")
			localesDir := fs.String("locales", "", "documents directory (eula/<version>/<lang>.md ...) instead of the embedded ones")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) > 0 {
					return usageErrorf("serve: unexpected arguments %q", args)
				}
				return serve(ctx, serveConfig{addr: *addr, data: *data, db: *db, logFormat: *logFormat, locales: *localesDir, adminToken: *adminToken, origins: origins, returns: returns}, stdout, stderr)
			}
		},
	})
}

type serveConfig struct {
	addr, db, logFormat, locales, adminToken string
	data                                     dataFlags
	origins, returns                         []string
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usageErrorf("--log must be text or json, not %q", format)
}

func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer) error {
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		return err
	}
	lib, err := loadLibrary("serve: --locales", cfg.locales)
	if err != nil {
		return err
	}
	notice := func(msg string) { log.Warn(msg) }
	store, verifier, err := openStore(ctx, &cfg.data, cfg.db, notice)
	if err != nil {
		return err
	}
	signer, _, err := cfg.data.loadKey()
	if err != nil {
		store.Close()
		return err
	}
	defer store.Close()
	secret, err := loadOrCreateSecret(filepath.Join(cfg.data.dir, secretFile), notice)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{
		Library:        lib,
		Render:         render.New().SectionString,
		RenderKiosk:    render.New(render.WithoutLinks()).SectionString,
		Store:          store,
		Signer:         signer,
		Logger:         log,
		AdminToken:     cfg.adminToken,
		VerifierKey:    verifier,
		Secret:         secret,
		AllowedOrigins: cfg.origins,
		ReturnURLs:     cfg.returns,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String() + "/"
	log.Info("serving", slog.String("url", url), slog.String("data", cfg.data.dir), slog.String("version", srv.Version()), slog.String("log_key", verifier))
	fmt.Fprintln(stdout, url)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := web.Shutdown(hs, 10*time.Second); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// openStore opens the records: SQLite in the data directory, or PostgreSQL
// when db is a postgres:// URL. The data directory is made ready first (see
// dataFlags.prepare), and the SQLite database is created private before
// SQLite opens it, so that its -wal and -shm files are private too. The
// log's signing key is in the data directory unless --signing-key puts it
// elsewhere (created on first start); every server sharing one PostgreSQL
// database must be given the same key file. It returns the store and the
// verifier key.
func openStore(ctx context.Context, data *dataFlags, db string, notice func(string)) (eula.Store, string, error) {
	if err := data.prepare(notice); err != nil {
		return nil, "", fmt.Errorf("data directory: %w", err)
	}
	signer, verifier, err := data.loadKey()
	if err != nil {
		return nil, "", err
	}
	switch {
	case db == "":
		if err := privfile.Ensure(filepath.Join(data.dir, sqlite.FileName)); err != nil {
			return nil, "", fmt.Errorf("create the database: %w", err)
		}
		s, err := sqlite.OpenDir(ctx, data.dir, signer)
		return s, verifier, err
	case strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://"):
		s, err := postgres.Open(ctx, db, postgres.Options{Signer: signer})
		return s, verifier, err
	}
	return nil, "", usageErrorf("--db must be empty (SQLite) or a postgres:// URL")
}

// listFlag is a flag that collects values, repeated or comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// secretFile, in the data directory, holds the key that signs the pages'
// CSRF tokens, so that a page stays valid across a restart and across
// servers sharing the data directory's keys.
const secretFile = "csrf.key"

// loadOrCreateSecret reads the 32-byte secret at path, creating it (mode
// 0600) on first start. A secret that other users could read is replaced
// (calling notice): a new one only makes the pages open at the time ask
// their reader to decide again.
func loadOrCreateSecret(path string, notice func(string)) ([]byte, error) {
	err := privfile.CheckSecret(path)
	if errors.Is(err, privfile.ErrExposed) {
		notice(path + " was open to other users: replaced it with a new secret")
	}
	if b, rerr := os.ReadFile(path); err == nil && rerr == nil && len(b) >= 32 {
		return b, nil
	}
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails
	if err := privfile.WriteFile(path, b); err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return b, nil
}
