package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
)

// decodeDecision reads a decision's body strictly (see decodeStrict).
func decodeDecision(r io.Reader) (api.DecisionRequest, error) {
	return decodeStrict[api.DecisionRequest](r)
}

// apiDecide answers POST /api/v1/decisions.
func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) error {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		return fmt.Errorf("send the decision as application/json: %w", errUnsupportedMedia)
	}
	if err := s.checkBrowser(r, r.Header.Get(api.HeaderCSRFToken)); err != nil {
		return err
	}
	in, err := decodeDecision(r.Body)
	if err != nil {
		return err
	}
	if in.Session != "" {
		if err := eula.ValidNonce("session", in.Session); err != nil {
			return err
		}
	}
	rec, replayed, err := s.reg.Decide(r.Context(), decisionRequest(in), origin(r), r.Header.Get(api.HeaderIdempotencyKey))
	if err != nil {
		return err
	}
	s.sessions.put(in.Session, rec.ID, s.now())
	return s.writeDecision(w, r, rec, replayed)
}

// writeDecision answers a recorded decision: 201 (200 when replayed) with
// its receipt, without personal data.
func (s *Server) writeDecision(w http.ResponseWriter, r *http.Request, rec eula.Record, replayed bool) error {
	rcpt, err := s.receipt(r, rec.ID)
	if err != nil {
		return err
	}
	code := http.StatusCreated
	if replayed {
		code = http.StatusOK
	}
	writeJSON(w, code, api.DecisionResponse{ID: rec.ID, Decision: string(rec.Decision), Index: rec.Index, Replayed: replayed, Receipt: rcpt})
	return nil
}

// receipt returns a record's receipt without personal data, encoded.
func (s *Server) receipt(r *http.Request, id string) (json.RawMessage, error) {
	rc, err := s.reg.Receipt(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return rawJSON(rc)
}

// checkBrowser refuses cross-site requests and browser requests without a
// valid CSRF token.
func (s *Server) checkBrowser(r *http.Request, token string) error {
	if crossSite(r) || crossOrigin.Check(r) != nil {
		return fmt.Errorf("a page of another site cannot record a decision: %w", eula.ErrForbidden)
	}
	if fromBrowser(r) {
		return s.csrf.check(token)
	}
	return nil
}

// formDecide answers the plain HTML form of the viewer, posted before or
// without the wasm: the same path records the decision, then the reader is
// sent back to the page, which shows the outcome.
func (s *Server) formDecide(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, fmt.Errorf("the form cannot be read: %v: %w", err, eula.ErrInvalid))
		return
	}
	f := r.PostForm
	q := formQuery(f)
	q.Ref = "" // a dealer's code is confirmed at PathDealerConfirm, not here
	back := backTo(ui.PathViewer, q)
	if err := s.checkBrowser(r, f.Get("csrf")); err != nil {
		http.Redirect(w, r, back(url.Values{"problem": {problemOf(err)}}), http.StatusSeeOther)
		return
	}
	if f.Get("readonly") != "" {
		// A page opened to read only (api.Query.ReadOnly) offers no
		// decision; one posted from it anyway is not recorded.
		q.ReadOnly = true
		http.Redirect(w, r, back(url.Values{"problem": {"readonly"}}), http.StatusSeeOther)
		return
	}
	in := api.DecisionRequest{
		Decision:  f.Get("decision"),
		Document:  api.DocumentRef{ID: f.Get("document"), Version: f.Get("version"), Language: f.Get("lang")},
		Product:   f.Get("product"),
		Installer: api.InstallerRef{MachineID: f.Get("installer"), Version: f.Get("iv")},
		Channel:   f.Get("channel"),
	}
	idem := f.Get("idem")
	if idem != "" {
		idem += "-" + in.Decision
	}
	rec, _, err := s.reg.Decide(r.Context(), decisionRequest(in), origin(r), idem)
	if s.formFailed(w, r, err, back) {
		return
	}
	if eula.ValidNonce("session", q.Session) == nil {
		s.sessions.put(q.Session, rec.ID, s.now())
	}
	if s.allowedReturn(q.Return) {
		http.Redirect(w, r, ui.ReturnURL(q.Return, string(rec.Decision), rec.ID), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, back(url.Values{"decided": {rec.ID}}), http.StatusSeeOther)
}

// formQuery returns the page's query that a plain decision form carries
// in its fields (the kiosk as its channel).
func formQuery(f url.Values) ui.Query {
	return ui.Query{Lang: f.Get("lang"), Product: f.Get("product"), Installer: f.Get("installer"), InstallerVersion: f.Get("iv"),
		Kiosk: f.Get("channel") == ui.ChannelFirstBoot, Return: f.Get("return"), MustRead: f.Get("mustread") == "1",
		Session: f.Get("session"), Ref: f.Get("ref")}
}

// backTo returns where a plain form sends the reader back: the page at
// path with q, and extra's parameters (the outcome or the problem).
func backTo(path string, q ui.Query) func(extra url.Values) string {
	return func(extra url.Values) string {
		vals := q.Values()
		for k, v := range extra {
			vals[k] = v
		}
		return path + "?" + vals.Encode()
	}
}

// formFailed answers a plain form whose decision was not recorded (err
// not nil) and reports whether it did: the error page for a failure of the
// server's, else the page again (back) with the problem, in the reader's
// language.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, back func(url.Values) string) bool {
	if err == nil {
		return false
	}
	if status, _ := statusOf(err); status >= 500 {
		s.writeError(w, r, err) // logs it
		return true
	}
	http.Redirect(w, r, back(url.Values{"problem": {problemOf(err)}}), http.StatusSeeOther)
	return true
}

// formReadToEnd answers the plain "I have read to the end" form of a
// must-read page without the wasm: it sends the reader back to the page,
// at the decision, with a token the server made (checked as a CSRF token)
// under which the page offers "I accept".
func (s *Server) formReadToEnd(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, fmt.Errorf("the form cannot be read: %v: %w", err, eula.ErrInvalid))
		return
	}
	f := r.PostForm
	page := &url.URL{RawQuery: f.Encode()}
	q := ui.ParseQuery(page)
	vals := q.Values()
	if err := s.checkBrowser(r, f.Get("csrf")); err != nil {
		vals.Set("problem", problemOf(err))
	} else {
		vals.Set("read", s.csrf.token())
	}
	http.Redirect(w, r, ui.PagePath(q)+"?"+vals.Encode()+"#eula-end", http.StatusSeeOther)
}

// origin returns where a request came from: the client's IP address
// (without port) and User-Agent, which Record.SetClient cleans and cuts.
func origin(r *http.Request) eula.Origin {
	return eula.Origin{Addr: clientOf(r), UserAgent: r.UserAgent()}
}

// apiReceipt answers GET /api/v1/records/{id}/receipt: the receipt without
// personal data.
func (s *Server) apiReceipt(w http.ResponseWriter, r *http.Request) error {
	rcpt, err := s.reg.Receipt(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rcpt)
	return nil
}

// Problems the plain form reports back to the page, by code, with the key of
// the message the page shows for each (locales/ui), in the reader's
// language: never text taken from the URL.
var problems = map[string]string{
	"expired":  "problem.expired",
	"product":  "problem.product",
	"invalid":  "problem.invalid",
	"conflict": "problem.conflict",
	"readonly": "problem.readonly",
	// too_large: the form was over MaxBodyBytes (see form).
	"too_large": "problem.too_large",
}

// problemOf returns the problem code for a failed form decision.
func problemOf(err error) string {
	switch {
	case errors.Is(err, eula.ErrForbidden):
		return "expired"
	case errors.Is(err, eula.ErrConflict):
		return "conflict"
	case strings.HasPrefix(err.Error(), "product: "):
		return "product"
	}
	return "invalid"
}
