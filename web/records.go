package web

import (
	"fmt"
	"net/http"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// apiExport answers GET /api/v1/records (administrator): the records as
// JSON Lines (default) or CSV (format=csv), filtered by product, version,
// role, decision, since and until (RFC 3339 or YYYY-MM-DD).
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	f := eula.Filter{Product: q.Get("product"), Version: q.Get("version"), Role: eula.Role(q.Get("role")), Decision: eula.Decision(q.Get("decision"))}
	var err error
	if f.Since, err = eula.ParseFilterTime(q.Get("since")); err != nil {
		return fmt.Errorf("since: %w", err)
	}
	if f.Until, err = eula.ParseFilterTime(q.Get("until")); err != nil {
		return fmt.Errorf("until: %w", err)
	}
	format := q.Get("format")
	switch format {
	case "", eula.FormatJSONL:
		w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
	case eula.FormatCSV:
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="eulagate-records.csv"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.reg.Export(r.Context(), f, format, streaming(w))
}

// apiSubject answers GET /api/v1/subjects?email= (administrator): every
// record holding personal data about that person, for access and
// portability requests under the privacy policy.
func (s *Server) apiSubject(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	email := r.URL.Query().Get("email")
	if email == "" {
		return fmt.Errorf("give the person's e-mail address: %w", eula.ErrInvalid)
	}
	w.Header().Set("Content-Disposition", `attachment; filename="eulagate-subject.json"`)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return s.reg.Subject(r.Context(), email, w)
}

// apiErase answers POST /api/v1/subjects/erase (administrator) with
// {"email": ...}: the person's data is removed for good from every record
// naming them; the records stay, marked erased, and every receipt and the
// log stay verifiable.
func (s *Server) apiErase(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	req, err := decodeStrict[api.EraseRequest](r.Body)
	if err != nil {
		return fmt.Errorf("send {\"email\": \"...\"}: %w", err)
	}
	ids, err := s.reg.Erase(r.Context(), req.Email)
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "personal data erased", "records", len(ids))
	writeJSON(w, http.StatusOK, api.EraseResponse{Erased: ids})
	return nil
}
