package privfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Modes of what this package creates: read and written by the owner only.
const (
	FileMode fs.FileMode = 0o600
	DirMode  fs.FileMode = 0o700
)

// ErrExposed reports a directory that other users can write, or a secret
// file that other users can read or write.
var ErrExposed = errors.New("open to other users")

// checked is false where file modes mean nothing: Windows reports every
// file 0666 or 0444 and keeps access in ACLs.
var checked = runtime.GOOS != "windows"

// Dir makes dir the private directory of a program's data: it creates dir
// (and missing parents) with mode 0700, and refuses a directory that group
// or other users can write, since whoever can write it can replace every
// file in it. A directory that others can only read or search is accepted:
// the files this package creates in it are private on their own. Errors
// wrap ErrExposed and say which chmod makes the directory private.
func Dir(dir string) error {
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if checked && fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("directory %s can be written by other users (mode %04o): run `chmod 700 %s`: %w",
			dir, fi.Mode().Perm(), dir, ErrExposed)
	}
	return nil
}

// Create creates a new file at path with mode 0600 whatever the umask. It
// fails if the file exists.
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
	if err != nil {
		return nil, err
	}
	if checked {
		// The umask may have taken bits away, never added: give the owner
		// back both read and write.
		if err := f.Chmod(FileMode); err != nil {
			f.Close()
			os.Remove(path) // Created above; nothing else has it.
			return nil, fmt.Errorf("chmod %s: %w", path, err)
		}
	}
	return f, nil
}

// WriteFile writes data to path with mode 0600, replacing any file there
// at once: a reader sees the old content or the new, never a part. The
// directory is synced so that the new file survives a crash.
func WriteFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // Fails harmlessly once renamed.
	if checked {
		err = tmp.Chmod(FileMode) // CreateTemp makes 0600 less the umask.
	}
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir flushes a directory's entries, on a best-effort basis: where it
// fails (Windows cannot open a directory for sync) the file is written but
// its name may be lost in a crash.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Ensure creates an empty file at path with mode 0600 when there is none.
// Programs that create their files with the umask then find it private:
// SQLite creates a database 0644 less the umask, and gives the -wal and
// -shm files it creates later the database file's mode.
func Ensure(path string) error {
	f, err := Create(path)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// Restrict takes group and other users' access away from each file named
// that exists (a missing one is skipped), so that a file created by an
// earlier version, or under a loose umask, becomes private. It returns a
// line for each file it changed, for the log.
func Restrict(paths ...string) ([]string, error) {
	if !checked {
		return nil, nil
	}
	var changed []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return changed, err
		}
		perm := fi.Mode().Perm()
		if perm&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, perm&^0o077); err != nil {
			return changed, fmt.Errorf("make %s private: %w", p, err)
		}
		changed = append(changed, fmt.Sprintf("%s was open to other users (mode %04o): now %04o", p, perm, perm&^0o077))
	}
	return changed, nil
}

// CheckSecret refuses a secret file (a private key) that group or other
// users can read or write, as OpenSSH refuses such a key: it may have been
// copied already, so making it private again is for its owner to decide,
// after replacing the key if need be. Errors wrap ErrExposed and say which
// chmod makes the file private.
func CheckSecret(path string) error {
	if !checked {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s can be read or written by other users (mode %04o): run `chmod 600 %s`: %w",
			path, perm, path, ErrExposed)
	}
	return nil
}
