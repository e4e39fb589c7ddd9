//go:build unix

package privfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/eulagate/eulagate/internal/privfile"
)

// withUmask runs the test under umask m, as a process started by a shell
// or a service manager may be.
func withUmask(t *testing.T, m int) {
	t.Helper()
	old := syscall.Umask(m)
	t.Cleanup(func() { syscall.Umask(old) })
}

func perm(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestDir(t *testing.T) {
	withUmask(t, 0)
	for _, test := range []struct {
		name     string
		existing fs.FileMode // 0: missing
		refused  bool
	}{
		{"missing", 0, false},
		{"private", 0o700, false},
		{"readable by others", 0o755, false},
		{"writable by the group", 0o770, true},
		{"writable by others", 0o707, true},
		{"world-writable and sticky, like /tmp", 0o777 | fs.ModeSticky, true},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if test.existing != 0 {
				if err := os.Mkdir(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(dir, test.existing); err != nil {
					t.Fatal(err)
				}
			}
			err := privfile.Dir(dir)
			if test.refused {
				if !errors.Is(err, privfile.ErrExposed) || !strings.Contains(err.Error(), "chmod 700 "+dir) {
					t.Errorf("Dir = %v, want ErrExposed saying chmod 700 %s", err, dir)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := test.existing.Perm() // an accepted directory is left as it is
			if test.existing == 0 {
				want = privfile.DirMode
			}
			if got := perm(t, dir); got != want {
				t.Errorf("mode %04o, want %04o", got, want)
			}
		})
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o600)
	if err := privfile.Dir(file); err == nil {
		t.Error("Dir accepted a file")
	}
}

func TestCreatedPrivate(t *testing.T) {
	withUmask(t, 0) // nothing taken away: the mode is the package's own
	dir := t.TempDir()
	f, err := privfile.Create(filepath.Join(dir, "created"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := privfile.Create(filepath.Join(dir, "created")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Create over an existing file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "replaced"), []byte("old"), 0o644)
	if err := privfile.WriteFile(filepath.Join(dir, "replaced"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "replaced")); string(b) != "new" {
		t.Errorf("WriteFile left %q", b)
	}
	if err := privfile.Ensure(filepath.Join(dir, "ensured")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"created", "replaced", "ensured"} {
		if got := perm(t, filepath.Join(dir, name)); got != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", name, got)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files, want 3 (a temporary file left?)", len(entries))
	}

	withUmask(t, 0o277) // the owner's write taken away: given back
	if err := privfile.Ensure(filepath.Join(dir, "umask")); err != nil {
		t.Fatal(err)
	}
	if got := perm(t, filepath.Join(dir, "umask")); got != 0o600 {
		t.Errorf("under umask 0277: mode %04o, want 0600", got)
	}
}

func TestEnsureKeepsContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	os.WriteFile(path, []byte("data"), 0o600)
	if err := privfile.Ensure(path); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "data" {
		t.Errorf("Ensure changed the file to %q", b)
	}
}

func TestRestrict(t *testing.T) {
	dir := t.TempDir()
	open, private := filepath.Join(dir, "open"), filepath.Join(dir, "private")
	os.WriteFile(open, nil, 0o600)
	os.Chmod(open, 0o664)
	os.WriteFile(private, nil, 0o600)
	changed, err := privfile.Restrict(open, private, filepath.Join(dir, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 1 || !strings.Contains(changed[0], open) || !strings.Contains(changed[0], "0664") {
		t.Errorf("changed %q, want one line naming %s and 0664", changed, open)
	}
	if got := perm(t, open); got != 0o600 {
		t.Errorf("mode %04o after Restrict, want 0600", got)
	}
}

func TestCheckSecret(t *testing.T) {
	dir := t.TempDir()
	for _, test := range []struct {
		mode    fs.FileMode
		refused bool
	}{
		{0o600, false}, {0o400, false}, {0o640, true}, {0o604, true}, {0o660, true},
	} {
		path := filepath.Join(dir, "key")
		os.WriteFile(path, nil, 0o600)
		os.Chmod(path, test.mode)
		err := privfile.CheckSecret(path)
		if test.refused != (err != nil) {
			t.Errorf("mode %04o: CheckSecret = %v", test.mode, err)
		}
		if test.refused && (!errors.Is(err, privfile.ErrExposed) || !strings.Contains(err.Error(), "chmod 600 "+path)) {
			t.Errorf("mode %04o: %v, want ErrExposed saying chmod 600", test.mode, err)
		}
		os.Remove(path)
	}
	if err := privfile.CheckSecret(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
