package translog

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/eulagate/eulagate/internal/privfile"
)

// KeyName is the name of the log's signing key, shown in signatures.
const KeyName = "eulagate"

// KeyFile is the name of the key file in the data directory. It holds the
// private signing key and the public verifier key, one a line; it is created
// with mode 0600.
const KeyFile = "log.key"

// LoadOrCreateKey loads the log's signing key from KeyFile in dir; see
// LoadOrCreateKeyFile.
func LoadOrCreateKey(dir string) (note.Signer, string, error) {
	return LoadOrCreateKeyFile(filepath.Join(dir, KeyFile))
}

// LoadOrCreateKeyFile loads the log's signing key from the file at path,
// creating it (mode 0600, its directory 0700 if missing) with a new Ed25519
// key on first start. It returns the signer and the verifier key (the text
// `eulagate key` prints and `eulagate verify --key` takes). A key file that
// other users can read or write is refused (errors wrap
// privfile.ErrExposed). Two processes starting at once end up with the same
// key.
func LoadOrCreateKeyFile(path string) (note.Signer, string, error) {
	s, v, err := loadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return s, v, err
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, KeyName)
	if err != nil {
		return nil, "", fmt.Errorf("generate log key: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, privfile.DirMode); err != nil {
		return nil, "", fmt.Errorf("create the log key's directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*")
	if err != nil {
		return nil, "", fmt.Errorf("create log key: %w", err)
	}
	defer os.Remove(tmp.Name()) // Harmless if already linked into place.
	err = tmp.Chmod(privfile.FileMode)
	if err == nil {
		_, err = fmt.Fprintf(tmp, "%s\n%s\n", skey, vkey)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, "", fmt.Errorf("write log key: %w", err)
	}
	// Link fails if another process created the key first; then use theirs.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, "", fmt.Errorf("install log key: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // Best effort: the key is re-created only if the directory entry is lost.
		d.Close()
	}
	return loadKey(path)
}

// loadKey reads and checks a key file.
func loadKey(path string) (note.Signer, string, error) {
	if err := privfile.CheckSecret(path); err != nil {
		return nil, "", fmt.Errorf("log key: %w", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("read log key: %w", err)
	}
	lines := strings.Fields(string(b))
	if len(lines) != 2 {
		return nil, "", fmt.Errorf("log key %s: want a signer and a verifier key, one a line", path)
	}
	signer, err := note.NewSigner(lines[0])
	if err != nil {
		return nil, "", fmt.Errorf("log key %s: signer: %w", path, err)
	}
	verifier, err := note.NewVerifier(lines[1])
	if err != nil {
		return nil, "", fmt.Errorf("log key %s: verifier: %w", path, err)
	}
	msg := []byte("eulagate key check\n")
	sig, err := signer.Sign(msg)
	if err != nil || verifier.KeyHash() != signer.KeyHash() || !verifier.Verify(msg, sig) {
		return nil, "", fmt.Errorf("log key %s: signer and verifier keys do not match", path)
	}
	return signer, lines[1], nil
}
