package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"golang.org/x/mod/sumdb/note"

	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/internal/privfile"
)

// dataFlags locate what a command reads and writes: the data directory and
// the log's signing key, which may live apart from it.
type dataFlags struct {
	dir        string
	signingKey string
}

// addDataFlags defines --data (described by what) and --signing-key.
func addDataFlags(fs *flag.FlagSet, what string) *dataFlags {
	d := new(dataFlags)
	fs.StringVar(&d.dir, "data", defaultData, what)
	fs.StringVar(&d.signingKey, "signing-key", "", "the log's signing key file, created on first use (default: "+translog.KeyFile+" in the data directory); keep it apart from the database so that a copy of the database cannot rewrite the log")
	return d
}

// keyFile returns the path of the log's signing key.
func (d *dataFlags) keyFile() string {
	if d.signingKey != "" {
		return d.signingKey
	}
	return filepath.Join(d.dir, translog.KeyFile)
}

// serverLog, in the data directory, is where a server started by the gate
// logs.
const serverLog = "server.log"

// dataFiles are the files in the data directory that hold records or
// personal data, made private when an earlier version or a loose umask left
// them open to other users.
var dataFiles = []string{sqlite.FileName, sqlite.FileName + "-wal", sqlite.FileName + "-shm", sqlite.FileName + "-journal", installerIDFile, serverLog}

// prepare makes the data directory ready for a command that writes it: it
// creates it private (mode 0700), refuses it if other users can write it,
// and makes its data files private, calling notice for each file changed.
func (d *dataFlags) prepare(notice func(string)) error {
	if err := privfile.Dir(d.dir); err != nil {
		return err
	}
	paths := make([]string, len(dataFiles))
	for i, f := range dataFiles {
		paths[i] = filepath.Join(d.dir, f)
	}
	changed, err := privfile.Restrict(paths...)
	for _, c := range changed {
		notice(c)
	}
	return err
}

// loadKey loads the log's signing key, creating it on first use, and
// returns the signer and the verifier key.
func (d *dataFlags) loadKey() (note.Signer, string, error) {
	return translog.LoadOrCreateKeyFile(d.keyFile())
}

// noticeTo returns a notice function of a command without a logger: it
// prints each message on w.
func noticeTo(w io.Writer) func(string) {
	return func(msg string) { fmt.Fprintln(w, "eulagate:", msg) }
}

// verifierKey returns the log's verifier key, creating the signing key on
// first use; the data directory is made ready first when the key is in it.
func (d *dataFlags) verifierKey(notice func(string)) (string, error) {
	if d.signingKey == "" {
		if err := d.prepare(notice); err != nil {
			return "", fmt.Errorf("data directory: %w", err)
		}
	}
	_, verifier, err := d.loadKey()
	return verifier, err
}
