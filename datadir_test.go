//go:build unix

package main

import (
	"bufio"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/translog"
)

// usualUmask runs the test under umask 022, the usual default, under which
// SQLite on its own creates the database readable by every user.
func usualUmask(t *testing.T) {
	t.Helper()
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func modeOf(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// serveInProcess runs `eulagate serve` with args in this process and
// returns its base URL; the server stops when the test ends.
func serveInProcess(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	url, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve did not start: %v", <-done)
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimSpace(url)
}

// TestDataFilesPrivate: the database, its -wal and -shm files and the keys
// are 0600 in a 0700 directory, under the usual umask, while the server
// runs with a decision written.
func TestDataFilesPrivate(t *testing.T) {
	usualUmask(t)
	data := filepath.Join(t.TempDir(), "data")
	base := serveInProcess(t, "--data", data)
	decide(t, base, "machine-1", someProduct, "accepted")
	if got := modeOf(t, data); got != 0o700 {
		t.Errorf("data directory: mode %04o, want 0700", got)
	}
	for _, name := range []string{sqlite.FileName, sqlite.FileName + "-wal", sqlite.FileName + "-shm", translog.KeyFile, secretFile} {
		if got := modeOf(t, filepath.Join(data, name)); got != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", name, got)
		}
	}
}

// TestDataFilesRepaired: files an earlier version created open to others
// are made private, and the server says so.
func TestDataFilesRepaired(t *testing.T) {
	usualUmask(t)
	data := t.TempDir()
	if code, _, errOut := runCmd(t, "audit", "--data", data); code != 0 {
		t.Fatalf("audit of a new store: exit %d: %s", code, errOut)
	}
	os.WriteFile(filepath.Join(data, installerIDFile), []byte("m\n"), 0o600)
	for _, name := range []string{sqlite.FileName, installerIDFile} {
		if err := os.Chmod(filepath.Join(data, name), 0o644); err != nil { // as an earlier version left them
			t.Fatal(err)
		}
	}
	code, _, errOut := runCmd(t, "export", "--data", data)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	for _, name := range []string{sqlite.FileName, installerIDFile} {
		if got := modeOf(t, filepath.Join(data, name)); got != 0o600 {
			t.Errorf("%s: mode %04o after export, want 0600", name, got)
		}
		if !strings.Contains(errOut, filepath.Join(data, name)+" was open to other users") {
			t.Errorf("stderr does not name %s: %q", name, errOut)
		}
	}
}

// TestOpenDataDirRefused: every command that writes the data directory
// refuses one that other users can write, saying what to run.
func TestOpenDataDirRefused(t *testing.T) {
	for _, mode := range []fs.FileMode{0o770, 0o777} {
		data := t.TempDir()
		if err := os.Chmod(data, mode); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"serve", "--addr", "127.0.0.1:0", "--data", data},
			{"key", "--data", data},
			{"audit", "--data", data},
			{"export", "--data", data},
			{"gate", "--product", someProduct, "--installer", "m", "--provision", "--no-start", "--data", data},
		} {
			// A server that starts is stopped after a while, and fails
			// the test by exiting 0.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			var stderr strings.Builder
			code := exitCode(run(ctx, args, io.Discard, &stderr), &stderr)
			cancel()
			errOut := stderr.String()
			if code != 1 || !strings.Contains(errOut, "can be written by other users") || !strings.Contains(errOut, "chmod 700 "+data) {
				t.Errorf("%s with mode %04o: exit %d, stderr %q; want 1 and chmod 700 %s", args[0], mode, code, errOut, data)
			}
		}
		if entries, _ := os.ReadDir(data); len(entries) != 0 {
			t.Errorf("mode %04o: files written in a refused directory: %v", mode, entries)
		}
	}
}

// TestSigningKeyApart: --signing-key (or EULAGATE_SIGNING_KEY) keeps the
// key out of the data directory, `key` prints its verifier, and a key file
// others can read is refused.
func TestSigningKeyApart(t *testing.T) {
	usualUmask(t)
	keyFile := filepath.Join(t.TempDir(), "keys", "eulagate.key")
	data := filepath.Join(t.TempDir(), "data")
	code, verifier, errOut := runCmd(t, "key", "--signing-key", keyFile)
	if code != 0 || !strings.HasPrefix(verifier, translog.KeyName+"+") {
		t.Fatalf("key --signing-key: exit %d, %q %q", code, verifier, errOut)
	}
	if got := modeOf(t, keyFile); got != 0o600 {
		t.Errorf("key file: mode %04o, want 0600", got)
	}
	if got := modeOf(t, filepath.Dir(keyFile)); got != 0o700 {
		t.Errorf("key directory: mode %04o, want 0700", got)
	}

	t.Setenv("EULAGATE_SIGNING_KEY", keyFile)
	base := serveInProcess(t, "--data", data)
	rec := decide(t, base, "machine-1", someProduct, "accepted")
	if _, err := os.Stat(filepath.Join(data, translog.KeyFile)); !os.IsNotExist(err) {
		t.Errorf("a key was written in the data directory: %v", err)
	}
	resp, err := http.Get(strings.TrimSuffix(base, "/") + api.ReceiptPath(rec.ID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	receipt := filepath.Join(t.TempDir(), "receipt.json")
	os.WriteFile(receipt, body, 0o600)
	if code, out, errOut := runCmd(t, "verify", "--key", strings.TrimSpace(verifier), receipt); code != 0 {
		t.Errorf("the receipt does not verify with the key printed by `key --signing-key`: %s %s", out, errOut)
	}

	os.Chmod(keyFile, 0o644)
	code, _, errOut = runCmd(t, "key", "--signing-key", keyFile)
	if code != 1 || !strings.Contains(errOut, "chmod 600 "+keyFile) {
		t.Errorf("key file 0644: exit %d, stderr %q; want 1 and chmod 600", code, errOut)
	}
}
