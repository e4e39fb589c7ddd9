package web

import (
	"net/http"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// apiStatus answers GET /api/v1/status?installer=<machine id>&product=<key>:
// whether that installation has accepted the version in force. It reveals
// no personal data.
func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	st, err := s.reg.Status(r.Context(), q.Get("installer"), q.Get("product"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, status(st))
	return nil
}

// apiAttest answers GET /api/v1/status/attestation?installer&product&nonce
// [&session]: the latest decision of the installation, in a statement
// signed with the log's key and bound to the gate's nonce, with its
// receipt (see eula.Registrar.Attest). It reveals no personal data.
func (s *Server) apiAttest(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if sess := q.Get("session"); sess != "" {
		if err := eula.ValidNonce("session", sess); err != nil {
			return err
		}
	}
	a, err := s.reg.Attest(r.Context(), q.Get("installer"), q.Get("product"), q.Get("nonce"), s.sessions.get(q.Get("session"), s.now()))
	if err != nil {
		return err
	}
	out := api.Attestation{Statement: a.Statement}
	if a.Receipt != nil {
		if out.Receipt, err = rawJSON(a.Receipt); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
	return nil
}
