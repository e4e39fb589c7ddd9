package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
)

// PathDealerConfirm is the first-boot page where the end user of an
// appliance bought with a dealer's prior acceptance reads the EULA and
// confirms (or declines):
//
//	GET  /dealer/confirm?ref=<code>&installer=<machine id>&product=<key>[&iv=<version>][&lang=<tag>][&kiosk=1][&mustread=1][&session=<token>]
//	POST /dealer/confirm   the plain form's decision; then the same page shows the outcome
//
// The page is the viewer (package app's Page, prerendered like it) with the
// dealer's acceptance above the text: "accepted by <dealer> for <customer>
// on <date>" (View.Confirmation), because the partner terms require the end
// user to be presented with the EULA. A code for another product's terms,
// or an unknown one, is refused when the page opens. The decision is
// recorded as role end-user, channel first-boot, derived from the dealer's
// acceptance and carrying its reference; the status of the installation
// then answers as for any decision, so a gate that polls it proceeds.
const PathDealerConfirm = api.PathDealerConfirm

// confirmation fills v.Confirmation for the dealer's reference code q.Ref,
// with the confirmation page's labels in lang. It returns the page's status: a
// refused code (unknown, malformed, for another product's terms) or a page
// opened without the installation or the product is shown as the
// Confirmation's problem, with nothing to decide.
func (s *Server) confirmation(ctx context.Context, v *ui.View, q ui.Query, lang language.Tag) int {
	v.Labels = confirmLabels(lang)
	c := &ui.Confirmation{Reference: q.Ref}
	v.Confirmation = c
	p, err := s.lib.Product(q.Product)
	if err != nil || q.Installer == "" || len(q.Installer) > eula.MaxMachineIDLen {
		c.Problem = v.Labels.Get("dealer.confirm.address")
		return http.StatusBadRequest
	}
	a, err := s.reg.CheckConfirmation(ctx, q.Ref, p.Key)
	switch {
	case err == nil:
	case errors.Is(err, eula.ErrForbidden):
		c.Problem = v.Labels.Get("dealer.confirm.otherproduct")
		return http.StatusForbidden
	case errors.Is(err, eula.ErrNotFound) || errors.Is(err, eula.ErrInvalid):
		c.Problem = v.Labels.Get("dealer.confirm.notfound")
		return http.StatusNotFound
	default:
		s.log.ErrorContext(ctx, "dealer reference", "err", err)
		c.Problem = v.Labels.Get("dealer.err.server")
		return http.StatusInternalServerError
	}
	c.Reference = a.Reference
	dealer, customer := a.Dealer, a.Customer
	if dealer == "" {
		dealer = v.Labels.Get("dealer.erased")
	}
	if customer == "" {
		customer = v.Labels.Get("dealer.erased")
	}
	c.Summary = v.Labels.Format("dealer.receipt.summary", dealer, customer, a.Date)
	return http.StatusOK
}

// dealerConfirmPage serves the confirmation page: the viewer's page, with
// the status of a refused code.
func (s *Server) dealerConfirmPage(w http.ResponseWriter, r *http.Request) {
	s.serveConfirm(w, r, 0)
}

// serveConfirm serves the confirmation page for r, answered with status
// when not 0, else with the status of the code's check.
func (s *Server) serveConfirm(w http.ResponseWriter, r *http.Request, status int) {
	q := ui.ParseQuery(r.URL)
	if q.Ref == "" {
		// Without a code the page is the confirmation of nothing: say so.
		q.Ref = "-"
	}
	v, err := s.pageView(r, q)
	if err != nil || v.Confirmation == nil {
		// The View itself failed (an unknown product): the confirmation
		// says why, in the page's language.
		v.Error = ""
		v.Confirmation = nil
		status := s.confirmation(r.Context(), &v, q, language.Make(v.Lang))
		v.Confirmation.Status = status
	}
	if status == 0 {
		status = v.Confirmation.Status
	}
	s.serveView(w, r, status, v)
}

// dealerConfirmSubmit records the end user's decision posted by the plain
// form (before or without the wasm) and sends the reader back to the page,
// which shows the outcome.
func (s *Server) dealerConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	q := formQuery(f)
	q.Return = "" // the outcome shows on the confirmation page, which the gate watches
	back := backTo(PathDealerConfirm, q)
	// The page again for a code it refuses, with the reason and its status:
	// nothing is recorded.
	show := func() {
		s.dealerConfirmPage(w, getOf(r, &url.URL{Path: PathDealerConfirm, RawQuery: q.Encode()}))
	}
	if _, err := s.lib.Product(q.Product); err != nil || q.Installer == "" {
		show()
		return
	}
	if _, err := s.reg.CheckConfirmation(r.Context(), q.Ref, q.Product); err != nil {
		show()
		return
	}
	if err := s.checkBrowser(r, f.Get("csrf")); err != nil {
		http.Redirect(w, r, back(url.Values{"problem": {problemOf(err)}}), http.StatusSeeOther)
		return
	}
	// Only an explicit choice counts: a missing or unknown decision is
	// never read as an acceptance.
	decision := eula.Decision(f.Get("decision"))
	if decision != eula.Accepted && decision != eula.Declined {
		http.Redirect(w, r, back(url.Values{"problem": {"invalid"}}), http.StatusSeeOther)
		return
	}
	idem := f.Get("idem")
	if eula.ValidIdempotencyKey(idem) != nil {
		idem = ""
	}
	if idem != "" {
		idem += "-" + string(decision)
	}
	rc, err := s.reg.Confirm(r.Context(), q.Ref, eula.ConfirmationRequest{
		Decision:  decision,
		Product:   q.Product,
		Installer: eula.Installer{MachineID: q.Installer, Version: q.InstallerVersion},
		Document:  eula.DocumentRef{ID: eula.DocEULA, Version: f.Get("version"), Language: f.Get("lang")},
	}, origin(r), idem)
	if s.formFailed(w, r, err, back) {
		return
	}
	if eula.ValidNonce("session", q.Session) == nil {
		s.sessions.put(q.Session, rc.Record.ID, s.now())
	}
	http.Redirect(w, r, back(url.Values{"decided": {rc.Record.ID}}), http.StatusSeeOther)
}

// confirmProblem shows the confirmation page with the problem of a
// decision that could not be read. The form's fields are lost with it: the
// page says that it was opened without the installation or the product,
// and what the form's problem was.
func (s *Server) confirmProblem(w http.ResponseWriter, r *http.Request, status int) {
	s.serveConfirm(w, problemPage(r, PathDealerConfirm, status), status)
}
