package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/i18n"
)

// PathDealerConfirm is the first-boot page where the end user of an
// appliance bought with a dealer's prior acceptance reads the EULA and
// confirms (or declines):
//
//	GET  /dealer/confirm?ref=<code>&installer=<machine id>&product=<key>[&iv=<version>][&lang=<tag>]
//	POST /dealer/confirm   the decision; then the same page shows the outcome
//
// The page shows "accepted by <dealer> for <customer> on <date>" above the
// full text (links shown as text, as in the kiosk), because the partner
// terms require the end user to be presented with the EULA. The decision is
// recorded as role end-user, channel first-boot, derived from the dealer's
// acceptance and carrying its reference; the status of the installation
// then answers as for any decision, so a gate that polls it proceeds.
const PathDealerConfirm = api.PathDealerConfirm

// dealerConfirmData is what the confirmation template shows.
type dealerConfirmData struct {
	L                                 dealerLabels
	Lang                              string
	CSRF, Idem                        string
	Ref, Installer, Product, IV       string
	Session                           string
	ProductName, Summary, Problem     string
	Outcome                           string // "accepted" or "declined" once decided
	Sections                          []template.HTML
	DocumentVersion, DocumentLanguage string
}

func (s *Server) dealerConfirmPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d, status := s.newConfirm(r, q.Get("lang"), q.Get("ref"), q.Get("installer"), q.Get("product"), q.Get("iv"))
	d.Session = q.Get("session")
	if id := q.Get("decided"); id != "" && d.Problem == "" {
		if rec, err := s.reg.Decision(r.Context(), id); err == nil && s.reg.HasReference(rec, d.Ref) && rec.Installer.MachineID == d.Installer {
			d.Outcome = string(rec.Decision)
		}
	}
	s.writePage(w, r, status, dealerConfirmTmpl, d)
}

// newConfirm finds the dealer's acceptance and prepares the page; a
// problem is shown instead of the form, with the status to answer.
func (s *Server) newConfirm(r *http.Request, lang, ref, installer, product, iv string) (*dealerConfirmData, int) {
	var b [16]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	l := dealerLang(lang, r.Header.Get("Accept-Language"))
	d := &dealerConfirmData{L: l, Lang: l.lang, CSRF: s.csrf.token(), Idem: "confirm-" + hex.EncodeToString(b[:]),
		Ref: ref, Installer: installer, Product: product, IV: iv}
	p, err := s.lib.Product(product)
	if err != nil || installer == "" || len(installer) > eula.MaxMachineIDLen {
		d.Problem = l.Get("confirm.address")
		return d, http.StatusBadRequest
	}
	d.ProductName = p.Name
	// A code for another product's terms, or no code at all, is refused
	// before the end user reads, not after "confirm".
	a, err := s.reg.CheckConfirmation(r.Context(), ref, p.Key)
	if err != nil {
		switch {
		case errors.Is(err, eula.ErrForbidden):
			d.Problem = l.Get("confirm.otherproduct")
			return d, http.StatusForbidden
		case errors.Is(err, eula.ErrNotFound) || errors.Is(err, eula.ErrInvalid):
			d.Problem = l.Get("confirm.notfound")
			return d, http.StatusNotFound
		}
		d.Problem = l.Get("err.server")
		s.log.ErrorContext(r.Context(), "dealer reference", "err", err)
		return d, http.StatusInternalServerError
	}
	d.Ref = a.Reference
	dealer, customer := a.Dealer, a.Customer
	if dealer == "" {
		dealer = l.Get("erased")
	}
	if customer == "" {
		customer = l.Get("erased")
	}
	d.Summary = l.Format("receipt.summary", dealer, customer, a.Date)
	version := s.lib.Latest(eula.DocEULA)
	available := s.lib.CurrentLanguages(eula.DocEULA, version)
	if len(available) == 0 {
		d.Problem = l.Get("err.server")
		return d, http.StatusInternalServerError
	}
	i, _ := i18n.NewMatcher(available).Match(language.Make(l.lang))
	doc, err := s.lib.Document(eula.DocEULA, version, available[i])
	if err != nil {
		d.Problem = l.Get("err.server")
		return d, http.StatusInternalServerError
	}
	d.DocumentVersion, d.DocumentLanguage = version, doc.Meta.Language.String()
	for i := range doc.Sections {
		h, err := s.renderKiosk(&doc.Sections[i])
		if err != nil {
			d.Problem = l.Get("err.server")
			return d, http.StatusInternalServerError
		}
		// The renderer's output is sanitized HTML (goldmark without raw
		// HTML, links as text).
		d.Sections = append(d.Sections, template.HTML(h))
	}
	return d, http.StatusOK
}

// dealerConfirmSubmit records the end user's decision and shows the outcome.
func (s *Server) dealerConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, errors.Join(eula.ErrInvalid, err))
		return
	}
	f := r.PostForm
	d, status := s.newConfirm(r, f.Get("lang"), f.Get("ref"), f.Get("installer"), f.Get("product"), f.Get("iv"))
	d.Session = f.Get("session")
	if d.Problem != "" {
		s.writePage(w, r, status, dealerConfirmTmpl, d)
		return
	}
	if err := s.checkBrowser(r, f.Get("csrf")); err != nil {
		d.Problem = d.L.Get("err.expired")
		s.writePage(w, r, http.StatusForbidden, dealerConfirmTmpl, d)
		return
	}
	// Only an explicit choice counts: a missing or unknown decision is
	// never read as an acceptance.
	var decision eula.Decision
	switch eula.Decision(f.Get("decision")) {
	case eula.Accepted:
		decision = eula.Accepted
	case eula.Declined:
		decision = eula.Declined
	default:
		d.Problem = d.L.Get("err.expired")
		s.writePage(w, r, http.StatusBadRequest, dealerConfirmTmpl, d)
		return
	}
	rec, err := s.recordConfirmation(r, d, decision, f.Get("idem"))
	if err != nil {
		if st, _ := statusOf(err); st >= 500 {
			s.log.ErrorContext(r.Context(), "first-boot confirmation failed", "err", err)
		}
		d.Problem = d.L.Get("err.server")
		if errors.Is(err, eula.ErrForbidden) {
			d.Problem = d.L.Get("confirm.otherproduct")
		}
		s.writePage(w, r, http.StatusUnprocessableEntity, dealerConfirmTmpl, d)
		return
	}
	if eula.ValidNonce("session", d.Session) == nil {
		s.sessions.put(d.Session, rec.ID, s.now())
	}
	q := url.Values{"ref": {d.Ref}, "installer": {d.Installer}, "product": {d.Product}, "lang": {d.Lang}, "decided": {rec.ID}}
	if d.IV != "" {
		q.Set("iv", d.IV)
	}
	http.Redirect(w, r, PathDealerConfirm+"?"+q.Encode(), http.StatusSeeOther)
}

// recordConfirmation records the end user's decision on the text the page
// showed, linked to the dealer's acceptance.
func (s *Server) recordConfirmation(r *http.Request, d *dealerConfirmData, decision eula.Decision, idem string) (eula.Record, error) {
	if eula.ValidIdempotencyKey(idem) != nil {
		idem = ""
	}
	if idem != "" {
		idem += "-" + string(decision)
	}
	rc, err := s.reg.Confirm(r.Context(), d.Ref, eula.ConfirmationRequest{
		Decision:  decision,
		Product:   d.Product,
		Installer: eula.Installer{MachineID: d.Installer, Version: d.IV},
		Document:  eula.DocumentRef{ID: eula.DocEULA, Version: d.DocumentVersion, Language: d.DocumentLanguage},
	}, origin(r), idem)
	return rc.Record, err
}

var dealerConfirmTmpl = template.Must(template.New("confirm").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.L.Get "confirm.title"}}</title>` + dealerStyle + `<style>body{max-width:52rem}.doc{border:1px solid #bbb;border-radius:6px;padding:0 1rem;max-height:60vh;overflow:auto}.actions button{margin-right:1rem;min-height:3rem}</style></head>
<body><main id="dealer-confirm">
<h1>{{.L.Get "confirm.title"}}</h1>
{{if .Problem}}<p id="confirm-problem" class="problem" role="alert">{{.Problem}}</p>{{end}}
{{if .Summary}}<p class="notice" id="confirm-summary">{{.Summary}}</p>
<p>{{.L.Get "receipt.reference"}}: <strong id="confirm-reference">{{.Ref}}</strong> · {{.L.Get "receipt.product"}}: <span id="confirm-product">{{.ProductName}}</span></p>
{{if .Outcome}}<p id="confirm-outcome" data-decision="{{.Outcome}}" role="status">{{if eq .Outcome "accepted"}}{{.L.Get "confirm.accepted"}}{{else}}{{.L.Get "confirm.declined"}}{{end}}</p>
{{else if .Sections}}<p>{{.L.Get "confirm.intro"}}</p>
<div class="doc" id="confirm-document" tabindex="0" lang="{{.DocumentLanguage}}">{{range .Sections}}<section>{{.}}</section>{{end}}</div>
<form method="post" action="/dealer/confirm" class="actions">
<input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="idem" value="{{.Idem}}"><input type="hidden" name="lang" value="{{.Lang}}">
<input type="hidden" name="ref" value="{{.Ref}}"><input type="hidden" name="installer" value="{{.Installer}}"><input type="hidden" name="product" value="{{.Product}}"><input type="hidden" name="iv" value="{{.IV}}">{{if .Session}}<input type="hidden" name="session" value="{{.Session}}">{{end}}
<button type="submit" name="decision" value="accepted" id="confirm-accept">{{.L.Get "confirm.accept"}}</button>
<button type="submit" name="decision" value="declined" id="confirm-decline">{{.L.Get "confirm.decline"}}</button>
</form>{{end}}{{end}}
</main></body></html>`))
