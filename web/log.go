package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
)

// Paths of the log's monitoring endpoints, with which auditors and
// witnesses hold the server to its log (see docs/receipts.md).
const (
	// PathLogCheckpoint answers GET with the latest signed checkpoint, as
	// text/plain: a C2SP tlog-checkpoint signed note.
	PathLogCheckpoint = api.Prefix + "/log/checkpoint"
	// PathLogConsistency answers GET ?old=N&new=M with the
	// translog.ConsistencyProof from the tree of N entries to the tree of
	// M entries (RFC 6962 and 9162 consistency proof hashes, base64).
	PathLogConsistency = api.Prefix + "/log/consistency"
)

// logRoutes adds the log's monitoring endpoints to m.
func (s *Server) logRoutes(m *http.ServeMux) {
	m.Handle("GET "+PathLogCheckpoint, s.api(s.apiLogCheckpoint))
	m.Handle("GET "+PathLogConsistency, s.api(s.apiLogConsistency))
}

// apiLogCheckpoint answers GET PathLogCheckpoint: the latest signed
// checkpoint, 404 while the log is empty.
func (s *Server) apiLogCheckpoint(w http.ResponseWriter, r *http.Request) error {
	signed, err := s.store.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(signed) // A failed write means the client went away.
	return nil
}

// apiLogConsistency answers GET PathLogConsistency?old=N&new=M: the
// consistency proof between the two tree sizes, 0 <= N <= M <= the latest
// checkpoint's size.
func (s *Server) apiLogConsistency(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	size := func(name string) (int64, error) {
		v := q.Get(name)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || strconv.FormatInt(n, 10) != v {
			return 0, fmt.Errorf("%s: give a tree size in decimal: %w", name, eula.ErrInvalid)
		}
		return n, nil
	}
	oldSize, err := size("old")
	if err != nil {
		return err
	}
	newSize, err := size("new")
	if err != nil {
		return err
	}
	p, err := translog.ProveConsistency(r.Context(), s.store, oldSize, newSize)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
