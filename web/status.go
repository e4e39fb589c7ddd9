package web

import "net/http"

// apiStatus answers GET /api/v1/status?installer=<machine id>&product=<key>:
// whether that installation has accepted the version in force. It reveals
// no personal data.
func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	st, err := s.reg.Status(r.Context(), q.Get("installer"), q.Get("product"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
