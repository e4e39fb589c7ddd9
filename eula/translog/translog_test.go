package translog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/eulagate/eulagate/eula/translog"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s1, v1, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	s2, v2, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != v2 || s1.KeyHash() != s2.KeyHash() || s1.Name() != translog.KeyName {
		t.Errorf("second load gave another key: %s vs %s", v1, v2)
	}
	fi, err := os.Stat(filepath.Join(dir, translog.KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	if _, err := note.NewVerifier(v1); err != nil {
		t.Errorf("verifier key %q: %v", v1, err)
	}
	os.WriteFile(filepath.Join(dir, translog.KeyFile), []byte("garbage\n"), 0o600)
	if _, _, err := translog.LoadOrCreateKey(dir); err == nil {
		t.Errorf("LoadOrCreateKey(corrupt file) = nil error")
	}
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	dir := t.TempDir()
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			_, v, err := translog.LoadOrCreateKey(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = v
		})
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] {
			t.Fatalf("concurrent first starts made different keys: %v", keys)
		}
	}
}

// TestExtend checks that batches of any size give the hashes tlog gives
// one record at a time.
func TestExtend(t *testing.T) {
	var want []tlog.Hash
	r := tlog.HashReaderFunc(func(x []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(x))
		for i, j := range x {
			out[i] = want[j]
		}
		return out, nil
	})
	var leaves []tlog.Hash
	for i := range 100 {
		leaf := tlog.RecordHash([]byte(fmt.Sprint(i)))
		hs, err := tlog.StoredHashesForRecordHash(int64(i), leaf, r)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, hs...)
		leaves = append(leaves, leaf)
	}
	for _, batch := range []int{1, 2, 3, 7, 16, 64, 100} {
		t.Run(fmt.Sprint(batch), func(t *testing.T) {
			var got []tlog.Hash
			read := func(_ context.Context, x []int64) ([]tlog.Hash, error) {
				out := make([]tlog.Hash, len(x))
				for i, j := range x {
					if j >= int64(len(got)) {
						return nil, fmt.Errorf("read of unstored hash %d", j)
					}
					out[i] = got[j]
				}
				return out, nil
			}
			for n := 0; n < len(leaves); n += batch {
				end := min(n+batch, len(leaves))
				start, hs, root, err := translog.Extend(context.Background(), int64(n), leaves[n:end], read)
				if err != nil {
					t.Fatal(err)
				}
				if start != int64(len(got)) {
					t.Fatalf("start = %d, want %d", start, len(got))
				}
				got = append(got, hs...)
				wantRoot, err := tlog.TreeHash(int64(end), r)
				if err != nil {
					t.Fatal(err)
				}
				if root != wantRoot {
					t.Fatalf("root of %d = %s, want %s", end, root, wantRoot)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("hashes (-want +got):\n%s", diff)
			}
		})
	}
}

func ExampleLoadOrCreateKey() {
	dir, err := os.MkdirTemp("", "eulagate-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	signer, verifierKey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		panic(err)
	}
	v, err := note.NewVerifier(verifierKey)
	fmt.Println(signer.Name(), v.Name(), v.KeyHash() == signer.KeyHash(), err)
	// Output: eulagate eulagate true <nil>
}
