package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/i18n"
)

// The dealer's pages are plain HTML forms rendered on the server with
// html/template, not go-app components: they work in any browser without
// the wasm, every value is escaped by the template (names are shown as
// text, never as markup), and they leave the viewer's components alone.
//
//	GET  /dealer                  the form (lang, product preselect)
//	POST /dealer                  records the acceptance, or shows the form
//	                              again with a message at every wrong field
//	GET  /dealer/receipt?ref=     the receipt page to print and forward
//	GET  /dealer/privacy          the privacy policy, linked from the form
//	GET  /dealer/confirm          the end user's confirmation at first boot
//	                              (see PathDealerConfirm)

// Paths of the dealer's pages.
const (
	PathDealer        = api.PathDealer
	PathDealerReceipt = api.PathDealerReceipt
	PathDealerPrivacy = "/dealer/privacy"
)

func (s *Server) dealerRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+PathDealer, s.dealerFormPage)
	m.HandleFunc("POST "+PathDealer, form(s.dealerSubmit, s.dealerProblem))
	m.HandleFunc("GET "+PathDealerReceipt, s.dealerReceipt)
	m.HandleFunc("GET "+PathDealerPrivacy, s.dealerPrivacy)
	m.HandleFunc("GET "+PathDealerConfirm, s.dealerConfirmPage)
	m.HandleFunc("POST "+PathDealerConfirm, form(s.dealerConfirmSubmit, s.confirmProblem))
}

// dealerFields are the text fields of the form, in order.
var dealerFields = eula.DealerFields

// checkFields are the form's check boxes.
var checkFields = []string{"customer_accepted", "return_right_understood", "register_consent"}

// dealerView returns the View of a dealer's page (the form, its receipt)
// in the language of the lang parameter, else the remembered choice, else
// the browser's: the page's query, its language and the languages to
// choose from, its labels (the catalogs' "dealer." messages with the few
// of the viewer's the page shows), a CSRF token and an idempotency key.
func (s *Server) dealerView(r *http.Request, q ui.Query, lang, title string) ui.View {
	if lang == "" {
		lang = rememberedLang(r)
	}
	tag, l := dealerPageLabels(i18n.Preferences(lang, r.Header.Get("Accept-Language")))
	v := ui.View{Query: q, Lang: tag.String(), Dir: i18n.Direction(tag), Labels: l, Title: l.Get(title),
		CSRF: s.csrf.token(), IdempotencyKey: "dealer-" + randomToken()}
	v.Languages = catalogLanguages()
	return v
}

// dealerForm returns the form's View with the product chosen.
func (s *Server) dealerForm(r *http.Request, q ui.Query, lang, product string) ui.View {
	v := s.dealerView(r, q, lang, "dealer.title")
	f := &ui.DealerForm{Role: string(eula.RoleDealer), Values: map[string]string{}, Checked: map[string]bool{},
		PrivacyURL: PathDealerPrivacy + "?" + url.Values{"lang": {v.Lang}}.Encode()}
	for _, p := range s.lib.Products() {
		f.Products = append(f.Products, api.DealerProduct{Key: p.Key, Name: p.Name, Prior: eula.RequiresPriorAcceptance(p)})
	}
	// The form's link opens the text to read only: a decision taken there
	// would be an end user's on no installation.
	rq := url.Values{"lang": {v.Lang}, "readonly": {"1"}}
	if p, err := s.lib.Product(product); err == nil {
		f.Product, f.MSeries = p.Key, eula.RequiresPriorAcceptance(p)
		rq.Set("product", p.Key)
	}
	f.ReadURL = ui.PathViewer + "?" + rq.Encode()
	v.DealerForm = f
	return v
}

// dealerFormPage serves the dealer's form (parameters lang and product).
func (s *Server) dealerFormPage(w http.ResponseWriter, r *http.Request) {
	q := ui.ParseQuery(r.URL)
	s.serveView(w, r, http.StatusOK, s.dealerForm(r, q, q.Lang, q.Product))
}

// serveView serves the page of the app that r asks for, prerendered
// showing v, answered with status.
func (s *Server) serveView(w http.ResponseWriter, r *http.Request, status int, v ui.View) {
	s.dealerHeaders(w)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		r = r.Clone(r.Context())
		r.Method, r.Body, r.ContentLength = http.MethodGet, http.NoBody, 0
	}
	compressed(func(w http.ResponseWriter, r *http.Request) {
		s.goapp.ServePage(&statusWriter{ResponseWriter: w, status: status}, r, v)
	})(w, r)
}

// dealerHeaders sets the headers of a dealer's page (the form, its
// receipt, the first-boot confirmation): never cached, never framed, and
// no script but the app's own (package goappfix's inline ones by their
// hashes): a name that got past the escaping could still run nothing.
func (s *Server) dealerHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' "+s.goapp.ScriptSources()+
		"; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
}

// dealerSubmit checks every field, showing the form again with a message at
// each wrong one, or records the acceptance and sends the dealer to the
// receipt page.
func (s *Server) dealerSubmit(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	v := s.dealerForm(r, ui.ParseQuery(r.URL), f.Get("lang"), f.Get("product"))
	d := v.DealerForm
	if f.Get("role") == string(eula.RoleIntegrator) {
		d.Role = string(eula.RoleIntegrator)
	}
	if idem := f.Get("idem"); eula.ValidIdempotencyKey(idem) == nil && idem != "" {
		v.IdempotencyKey = idem // a second click sends the same key: one record
	}
	for _, k := range dealerFields {
		d.Values[k] = strings.TrimSpace(f.Get(k))
	}
	for _, k := range checkFields {
		d.Checked[k] = f.Get(k) != ""
	}
	consent := d.Checked["register_consent"]
	a := eula.DealerRequest{
		Role:     eula.Role(d.Role),
		Dealer:   eula.Person{Organization: d.Values["dealer.organization"], Name: d.Values["dealer.name"], Email: d.Values["dealer.email"]},
		Customer: eula.Person{Organization: d.Values["customer.organization"], Name: d.Values["customer.name"], Email: d.Values["customer.email"]},
		Product:  d.Product, Document: eula.DocumentRef{Language: v.Lang},
		CustomerAccepted: d.Checked["customer_accepted"], ReturnRightUnderstood: d.Checked["return_right_understood"],
		RegisterConsent: &consent,
	}
	d.Errors = fieldErrors(eula.DealerAcceptance{
		Dealer: a.Dealer, Customer: a.Customer, Product: a.Product,
		CustomerAccepted: a.CustomerAccepted, ReturnRightUnderstood: a.ReturnRightUnderstood,
	}.FieldErrors(s.lib.Catalog(eula.DocEULA, s.lib.Latest(eula.DocEULA))), v.Labels)
	if len(d.Errors) == 0 {
		if err := s.checkBrowser(r, f.Get("csrf")); err != nil {
			d.Problem = v.Labels.Get("dealer.err.expired")
		}
	}
	if len(d.Errors) > 0 || d.Problem != "" {
		if d.Problem == "" {
			d.Problem = v.Labels.Get("dealer.errors")
		}
		s.serveView(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	rc, err := s.reg.AcceptForCustomer(r.Context(), a, origin(r), v.IdempotencyKey)
	if err != nil {
		if status, _ := statusOf(err); status >= 500 {
			s.log.ErrorContext(r.Context(), "dealer acceptance failed", "err", err)
		}
		d.Problem = v.Labels.Get("dealer.err.server")
		s.serveView(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	http.Redirect(w, r, PathDealerReceipt+"?"+url.Values{"ref": {rc.Reference}, "lang": {v.Lang}}.Encode(), http.StatusSeeOther)
}

// fieldErrors returns a message in the reader's language for each wrong
// field (eula.DealerAcceptance.FieldErrors), in the order of the form.
func fieldErrors(found map[string]error, l ui.Labels) []api.FieldError {
	var out []api.FieldError
	for _, field := range append(append([]string{}, dealerFields...), "product", "customer_accepted", "return_right_understood") {
		err, ok := found[field]
		if !ok {
			continue
		}
		msg := err.Error()
		var text string
		switch {
		case field == "product" || field == "customer_accepted" || field == "return_right_understood":
			text = l.Get("dealer.err." + field)
		case strings.Contains(msg, ": missing:"):
			text = l.Get("dealer.err.required")
		case strings.Contains(msg, "not an e-mail"):
			text = l.Get("dealer.err.email")
		case strings.Contains(msg, "longer than"):
			text = l.Get("dealer.err.toolong")
		default:
			text = l.Get("dealer.err.badchar")
		}
		summary := text
		if slices.Contains(dealerFields, field) {
			summary = l.Get("dealer."+field) + ": " + text
		}
		out = append(out, api.FieldError{Field: field, Message: text, Summary: summary})
	}
	return out
}

// dealerReceipt shows the receipt page of a dealer's acceptance: the
// reference code and who accepted for whom, when (organisations only, as
// GET /api/v1/references/{code}), to print or save and forward.
func (s *Server) dealerReceipt(w http.ResponseWriter, r *http.Request) {
	q := ui.ParseQuery(r.URL)
	code := r.URL.Query().Get("ref")
	v := s.dealerView(r, q, q.Lang, "dealer.receipt.title")
	l := v.Labels
	rc := &ui.Receipt{}
	v.Receipt = rc
	status := http.StatusOK
	a, err := s.reg.Reference(r.Context(), code)
	switch {
	case err == nil:
		rc.Found, rc.Reference = true, a.Reference
		v.Title += " " + a.Reference
		dealer, customer := a.Dealer, a.Customer
		if dealer == "" {
			dealer = l.Get("dealer.erased")
		}
		if customer == "" {
			customer = l.Get("dealer.erased")
		}
		rc.Summary = l.Format("dealer.receipt.summary", dealer, customer, a.Date)
		rc.ProductName, rc.Version, rc.RecordID = a.Product, a.DocumentVersion, a.RecordID
		if p, err := s.lib.Product(a.Product); err == nil {
			rc.ProductName = p.Name
			rc.MSeries = eula.RequiresPriorAcceptance(p)
		}
		rc.ReceiptURL = api.ReceiptPath(a.RecordID)
	case errors.Is(err, eula.ErrNotFound) || errors.Is(err, eula.ErrInvalid) || errors.Is(err, eula.ErrForbidden):
		status = http.StatusNotFound
		v.Title = l.Get("dealer.receipt.notfound")
	default:
		s.writeError(w, r, err)
		return
	}
	s.serveView(w, r, status, v)
}

// dealerPrivacy shows the privacy policy in the reader's language where it
// exists, else in the closest one (English).
func (s *Server) dealerPrivacy(w http.ResponseWriter, r *http.Request) {
	l := dealerLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	version := s.lib.Latest(eula.DocPrivacy)
	available := s.lib.Languages(eula.DocPrivacy, version)
	if len(available) == 0 {
		s.writeError(w, r, fmt.Errorf("the privacy policy: %w", eula.ErrNotFound))
		return
	}
	i, _ := i18n.NewMatcher(available).Match(language.Make(l.lang))
	doc, err := s.lib.Document(eula.DocPrivacy, version, available[i])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var sections []template.HTML
	for i := range doc.Sections {
		h, err := s.render(&doc.Sections[i])
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		// The renderer's output is sanitized HTML (goldmark without raw
		// HTML).
		sections = append(sections, template.HTML(h))
	}
	s.writePage(w, r, http.StatusOK, dealerPrivacyTmpl, map[string]any{"Lang": doc.Meta.Language.String(), "Title": doc.Meta.Title, "Sections": sections})
}

// writePage renders a page template.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if h.Get("Content-Security-Policy") == "" {
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes()) // a failed write means the client went away
}

// dealerStyle is the privacy policy page's style.
const dealerStyle = `<style>
body{font-family:system-ui,sans-serif;max-width:44rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
</style>`

var dealerPrivacyTmpl = template.Must(template.New("privacy").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>` + dealerStyle + `</head>
<body><main id="privacy">{{range .Sections}}<section>{{.}}</section>{{end}}</main></body></html>`))
