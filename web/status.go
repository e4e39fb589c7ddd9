package web

import (
	"fmt"
	"net/http"

	"github.com/eulagate/eulagate/eula"
)

// apiStatus answers GET /api/v1/status?installer=<machine id>&product=<key>:
// whether that installation has accepted the version in force. It reveals
// no personal data.
func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	machine, product := q.Get("installer"), q.Get("product")
	if machine == "" || product == "" {
		return fmt.Errorf("give installer and product: %w", eula.ErrInvalid)
	}
	if _, err := eula.ProductByKey(product); err != nil {
		return err
	}
	if len(machine) > eula.MaxMachineIDLen {
		return fmt.Errorf("installer: longer than %d bytes: %w", eula.MaxMachineIDLen, eula.ErrInvalid)
	}
	hist, err := s.store.Latest(r.Context(), machine, product)
	if err != nil {
		return fmt.Errorf("status of %s for %s: %w", machine, product, err)
	}
	st := eula.StatusOf(hist, s.lib.Latest(eula.DocEULA), s.stillValid())
	writeJSON(w, http.StatusOK, st)
	return nil
}

// stillValid is the rule for whether an acceptance of an older version
// still counts: after editorial releases only (front matter reaccept).
func (s *Server) stillValid() eula.StillValid {
	return s.lib.StillValid(eula.DocEULA)
}
