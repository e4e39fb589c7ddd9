package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
)

// logRoutes adds the log's monitoring endpoints to m.
func (s *Server) logRoutes(m *http.ServeMux) {
	m.Handle("GET "+api.PathLogCheckpoint, s.api(s.apiLogCheckpoint))
	m.Handle("GET "+api.PathLogConsistency, s.api(s.apiLogConsistency))
}

// apiLogCheckpoint answers GET api.PathLogCheckpoint: the latest signed
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

// apiLogConsistency answers GET api.PathLogConsistency?old=N&new=M: the
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
