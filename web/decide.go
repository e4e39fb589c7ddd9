package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
)

// decisionInput is the body of POST /api/v1/decisions.
type decisionInput struct {
	// Decision is "accepted" or "declined".
	Decision string `json:"decision"`
	// Document is the document version and language shown.
	Document ui.DocumentRef `json:"document"`
	// Product is the product key from the catalog.
	Product string `json:"product"`
	// Installer is the installer that asked and the installation.
	Installer ui.InstallerRef `json:"installer"`
	// Role and Channel default to "end-user" and to "installer" (with a
	// machine id) or "browser".
	Role    string `json:"role,omitempty"`
	Channel string `json:"channel,omitempty"`
	// Actor is who decided; Bound the party bound where it differs.
	Actor *eula.Person `json:"actor,omitempty"`
	Bound *eula.Person `json:"bound,omitempty"`
	// RegisterConsent is the optional consent to register end-user data.
	RegisterConsent *bool `json:"register_consent,omitempty"`
}

// decodeDecision reads a decisionInput strictly (see decodeStrict).
func decodeDecision(r io.Reader) (decisionInput, error) {
	return decodeStrict[decisionInput](r)
}

// request returns the use case's input.
func (in decisionInput) request() eula.DecisionRequest {
	return eula.DecisionRequest{
		Decision:        eula.Decision(in.Decision),
		Document:        eula.DocumentRef{ID: in.Document.ID, Version: in.Document.Version, Language: in.Document.Language},
		Product:         in.Product,
		Installer:       eula.Installer{Product: in.Installer.Product, Version: in.Installer.Version, MachineID: in.Installer.MachineID},
		Role:            eula.Role(in.Role),
		Channel:         eula.Channel(in.Channel),
		Actor:           in.Actor,
		Bound:           in.Bound,
		RegisterConsent: in.RegisterConsent,
	}
}

// decisionOutput is the answer to a recorded decision.
type decisionOutput struct {
	ID       string       `json:"id"`
	Decision string       `json:"decision"`
	Index    int64        `json:"index"`
	Replayed bool         `json:"replayed,omitempty"`
	Receipt  eula.Receipt `json:"receipt"`
}

// apiDecide answers POST /api/v1/decisions.
func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) error {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		return fmt.Errorf("send the decision as application/json: %w", errUnsupportedMedia)
	}
	if err := s.checkBrowser(r, r.Header.Get("X-CSRF-Token")); err != nil {
		return err
	}
	in, err := decodeDecision(r.Body)
	if err != nil {
		return err
	}
	rec, replayed, err := s.reg.Decide(r.Context(), in.request(), origin(r), r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return s.writeDecision(w, r, rec, replayed)
}

// writeDecision answers a recorded decision: 201 (200 when replayed) with
// its receipt, without personal data.
func (s *Server) writeDecision(w http.ResponseWriter, r *http.Request, rec eula.Record, replayed bool) error {
	rcpt, err := s.reg.Receipt(r.Context(), rec.ID)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, decisionOutput{ID: rec.ID, Decision: string(rec.Decision), Index: rec.Index, Replayed: replayed, Receipt: rcpt})
	return nil
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
	q := ui.Query{Lang: f.Get("lang"), Product: f.Get("product"), Installer: f.Get("installer"), InstallerVersion: f.Get("iv"),
		Kiosk: f.Get("channel") == ui.ChannelFirstBoot, Return: f.Get("return"), MustRead: f.Get("mustread") == "1"}
	back := func(extra url.Values) string {
		vals, _ := url.ParseQuery(q.Encode()) // Encode's output always parses
		for k, v := range extra {
			vals[k] = v
		}
		return ui.PathViewer + "?" + vals.Encode()
	}
	if err := s.checkBrowser(r, f.Get("csrf")); err != nil {
		http.Redirect(w, r, back(url.Values{"problem": {problemOf(err)}}), http.StatusSeeOther)
		return
	}
	in := decisionInput{
		Decision:  f.Get("decision"),
		Document:  ui.DocumentRef{ID: f.Get("document"), Version: f.Get("version"), Language: f.Get("lang")},
		Product:   f.Get("product"),
		Installer: ui.InstallerRef{MachineID: f.Get("installer"), Version: f.Get("iv")},
		Channel:   f.Get("channel"),
	}
	idem := f.Get("idem")
	if idem != "" {
		idem += "-" + in.Decision
	}
	rec, _, err := s.reg.Decide(r.Context(), in.request(), origin(r), idem)
	if err != nil {
		if status, _ := statusOf(err); status >= 500 {
			s.writeError(w, r, err) // logs it
			return
		}
		http.Redirect(w, r, back(url.Values{"problem": {problemOf(err)}}), http.StatusSeeOther)
		return
	}
	if s.allowedReturn(q.Return) {
		http.Redirect(w, r, ui.ReturnURL(q.Return, string(rec.Decision), rec.ID), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, back(url.Values{"decided": {rec.ID}}), http.StatusSeeOther)
}

// origin returns where a request came from: the client's IP address
// (without port) and User-Agent, which Record.SetClient cleans and cuts.
func origin(r *http.Request) eula.Origin {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return eula.Origin{Addr: host, UserAgent: r.UserAgent()}
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
