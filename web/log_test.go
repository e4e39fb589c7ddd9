package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// TestLogCheckpoint: the server publishes its latest signed checkpoint as a
// signed note, and 404 while the log is empty.
func TestLogCheckpoint(t *testing.T) {
	ts := newTestServer(t)
	resp, body := ts.get(t, api.PathLogCheckpoint)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
		t.Errorf("checkpoint of an empty log: %d %s, want 404", resp.StatusCode, body)
	}
	storetest.AppendN(t, ts.store, 5)
	resp, body = ts.get(t, api.PathLogCheckpoint)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("checkpoint: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	tree, err := eula.OpenCheckpoint([]byte(body), ts.verifier)
	if err != nil || tree.N != 5 {
		t.Errorf("checkpoint %q opens as %+v, %v; want a signed tree of 5", body, tree, err)
	}
}

// TestLogConsistency: the server proves that each tree it signed extends
// every earlier one, and refuses sizes it never had.
func TestLogConsistency(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	storetest.AppendN(t, ts.store, 11)
	trees := map[int64]tlog.Tree{0: {}}
	err := ts.store.Checkpoints(ctx, func(signed []byte) error {
		tree, err := eula.OpenCheckpoint(signed, ts.verifier)
		trees[tree.N] = tree
		return err
	})
	if err != nil || len(trees) != 12 {
		t.Fatalf("checkpoints: %d, %v", len(trees), err)
	}
	for older := int64(0); older <= 11; older++ {
		for newer := older; newer <= 11; newer++ {
			resp, body := ts.get(t, api.PathLogConsistency+"?old="+strconv.FormatInt(older, 10)+"&new="+strconv.FormatInt(newer, 10))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("consistency %d..%d: %d %s", older, newer, resp.StatusCode, body)
			}
			var p translog.ConsistencyProof
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				t.Fatal(err)
			}
			if err := translog.CheckConsistency(p, trees[older], trees[newer]); err != nil {
				t.Errorf("consistency %d..%d: %v", older, newer, err)
			}
			if older > 0 && older < newer {
				// Against another tree of the newer size, the proof fails.
				other := trees[newer]
				other.Hash[0] ^= 1
				if translog.CheckConsistency(p, trees[older], other) == nil {
					t.Errorf("consistency %d..%d checks against a forked tree", older, newer)
				}
			}
		}
	}
	for _, query := range []string{"", "?old=1", "?new=2", "?old=3&new=2", "?old=1&new=12", "?old=-1&new=2", "?old=01&new=2", "?old=1&new=2x"} {
		resp, body := ts.get(t, api.PathLogConsistency+query)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"invalid"`) {
			t.Errorf("consistency%s: %d %s, want 400", query, resp.StatusCode, body)
		}
	}
}
