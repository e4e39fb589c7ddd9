package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
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
	PathDealer        = "/dealer"
	PathDealerReceipt = "/dealer/receipt"
	PathDealerPrivacy = "/dealer/privacy"
)

func (s *Server) dealerRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+PathDealer, s.dealerForm)
	m.HandleFunc("POST "+PathDealer, form(s.dealerSubmit, s.dealerProblem))
	m.HandleFunc("GET "+PathDealerReceipt, s.dealerReceipt)
	m.HandleFunc("GET "+PathDealerPrivacy, s.dealerPrivacy)
	m.HandleFunc("GET "+PathDealerConfirm, s.dealerConfirmPage)
	m.HandleFunc("POST "+PathDealerConfirm, form(s.dealerConfirmSubmit, s.confirmProblem))
}

// dealerFields are the text fields of the form, in order.
var dealerFields = eula.DealerFields

// dealerFormData is what the form template shows.
type dealerFormData struct {
	L        dealerLabels
	Lang     string
	CSRF     string
	Idem     string
	Role     string
	Product  string
	Products []eula.Product
	Values   map[string]string
	Checked  map[string]bool
	// Errors holds the message of each wrong field; Problem a message for
	// the whole form.
	Errors  map[string]string
	Problem string
	// NoReturn and MSeries describe the chosen product; Prior holds the
	// keys of the products whose rules require acceptance before purchase
	// (eula.RequiresPriorAcceptance), so that the page shows the sentence
	// whenever one is chosen, before the form is sent.
	NoReturn, MSeries bool
	Prior             map[string]bool
	ReadURL           string
}

// fieldError is one entry of the form's error summary.
type fieldError struct {
	// ID is the id of the field's input element, Text the entry.
	ID, Text string
}

// ErrorList returns the summary's entries in the order of the fields on
// the form, each naming its field.
func (d *dealerFormData) ErrorList() []fieldError {
	var list []fieldError
	for _, f := range dealerFields {
		if msg, ok := d.Errors[f]; ok {
			list = append(list, fieldError{ID: d.ID(f), Text: d.L.Get(f) + ": " + msg})
		}
	}
	for _, f := range []string{"product", "customer_accepted", "return_right_understood"} {
		if msg, ok := d.Errors[f]; ok {
			list = append(list, fieldError{ID: "f-" + f, Text: msg})
		}
	}
	return list
}

// ID returns the id of a field's input element.
func (d *dealerFormData) ID(field string) string {
	return "f-" + strings.ReplaceAll(field, ".", "-")
}

func (s *Server) newDealerForm(r *http.Request, lang string) *dealerFormData {
	var b [16]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	d := &dealerFormData{
		L: dealerLang(lang, r.Header.Get("Accept-Language")), CSRF: s.csrf.token(), Idem: "dealer-" + hex.EncodeToString(b[:]),
		Role: string(eula.RoleDealer), Products: s.lib.Products(),
		Values: map[string]string{}, Checked: map[string]bool{}, Errors: map[string]string{},
		Prior: map[string]bool{},
	}
	for _, p := range d.Products {
		d.Prior[p.Key] = eula.RequiresPriorAcceptance(p)
	}
	d.Lang = d.L.lang
	return d
}

// setProduct records the chosen product and what follows from it.
func (d *dealerFormData) setProduct(lib *eula.Library, key string) {
	d.Product = key
	// The form's link opens the text to read only: a decision taken there
	// would be an end user's on no installation.
	q := url.Values{"lang": {d.Lang}, "readonly": {"1"}}
	if p, err := lib.Product(key); err == nil {
		d.NoReturn, d.MSeries = !eula.ReturnRight(p), eula.RequiresPriorAcceptance(p)
		q.Set("product", p.Key)
	}
	d.ReadURL = "/?" + q.Encode()
}

func (s *Server) dealerForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := s.newDealerForm(r, q.Get("lang"))
	d.setProduct(s.lib, q.Get("product"))
	s.writePage(w, r, http.StatusOK, dealerFormTmpl, d)
}

// dealerSubmit checks every field, showing the form again with a message at
// each wrong one, or records the acceptance and sends the dealer to the
// receipt page.
func (s *Server) dealerSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, errors.Join(eula.ErrInvalid, err))
		return
	}
	f := r.PostForm
	d := s.newDealerForm(r, f.Get("lang"))
	d.setProduct(s.lib, f.Get("product"))
	if f.Get("role") == string(eula.RoleIntegrator) {
		d.Role = string(eula.RoleIntegrator)
	}
	if idem := f.Get("idem"); eula.ValidIdempotencyKey(idem) == nil && idem != "" {
		d.Idem = idem // a second click sends the same key: one record
	}
	for _, k := range dealerFields {
		d.Values[k] = strings.TrimSpace(f.Get(k))
	}
	for _, k := range []string{"customer_accepted", "return_right_understood", "register_consent"} {
		d.Checked[k] = f.Get(k) != ""
	}
	consent := d.Checked["register_consent"]
	a := eula.DealerRequest{
		Role:     eula.Role(d.Role),
		Dealer:   eula.Person{Organization: d.Values["dealer.organization"], Name: d.Values["dealer.name"], Email: d.Values["dealer.email"]},
		Customer: eula.Person{Organization: d.Values["customer.organization"], Name: d.Values["customer.name"], Email: d.Values["customer.email"]},
		Product:  d.Product, Document: eula.DocumentRef{Language: d.Lang},
		CustomerAccepted: d.Checked["customer_accepted"], ReturnRightUnderstood: d.Checked["return_right_understood"],
		RegisterConsent: &consent,
	}
	fieldErrors(eula.DealerAcceptance{
		Dealer: a.Dealer, Customer: a.Customer, Product: a.Product,
		CustomerAccepted: a.CustomerAccepted, ReturnRightUnderstood: a.ReturnRightUnderstood,
	}.FieldErrors(s.lib.Catalog(eula.DocEULA, s.lib.Latest(eula.DocEULA))), d.Errors, d.L)
	if len(d.Errors) == 0 {
		if err := s.checkBrowser(r, f.Get("csrf")); err != nil {
			d.Problem = d.L.Get("err.expired")
		}
	}
	if len(d.Errors) > 0 || d.Problem != "" {
		if d.Problem == "" {
			d.Problem = d.L.Get("errors")
		}
		s.writePage(w, r, http.StatusUnprocessableEntity, dealerFormTmpl, d)
		return
	}
	rc, err := s.reg.AcceptForCustomer(r.Context(), a, origin(r), d.Idem)
	if err != nil {
		if status, _ := statusOf(err); status >= 500 {
			s.log.ErrorContext(r.Context(), "dealer acceptance failed", "err", err)
		}
		d.Problem = d.L.Get("err.server")
		s.writePage(w, r, http.StatusUnprocessableEntity, dealerFormTmpl, d)
		return
	}
	http.Redirect(w, r, PathDealerReceipt+"?"+url.Values{"ref": {rc.Reference}, "lang": {d.Lang}}.Encode(), http.StatusSeeOther)
}

// fieldErrors puts a message in the reader's language for each wrong field
// (eula.DealerAcceptance.FieldErrors) into errs.
func fieldErrors(found map[string]error, errs map[string]string, l dealerLabels) {
	for field, err := range found {
		msg := err.Error()
		switch {
		case field == "product" || field == "customer_accepted" || field == "return_right_understood":
			errs[field] = l.Get("err." + field)
		case strings.Contains(msg, ": missing:"):
			errs[field] = l.Get("err.required")
		case strings.Contains(msg, "not an e-mail"):
			errs[field] = l.Get("err.email")
		case strings.Contains(msg, "longer than"):
			errs[field] = l.Get("err.toolong")
		default:
			errs[field] = l.Get("err.badchar")
		}
	}
}

// dealerReceiptData is what the receipt template shows.
type dealerReceiptData struct {
	L           dealerLabels
	Lang        string
	Nonce       string
	Found       bool
	A           eula.Attribution
	Summary     string
	ProductName string
	ReceiptURL  string
	// MSeries is set when the product's rules require acceptance before
	// purchase.
	MSeries bool
}

// dealerReceipt shows the receipt page of a dealer's acceptance: the
// reference code and who accepted for whom, when (organisations only, as
// GET /api/v1/references/{code}), to print or save and forward.
func (s *Server) dealerReceipt(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	l := dealerLang(q.Get("lang"), r.Header.Get("Accept-Language"))
	d := &dealerReceiptData{L: l, Lang: l.lang, Nonce: randomToken()}
	status := http.StatusOK
	var err error
	d.A, err = s.reg.Reference(r.Context(), q.Get("ref"))
	switch {
	case err == nil:
		d.Found = true
		dealer, customer := d.A.Dealer, d.A.Customer
		if dealer == "" {
			dealer = l.Get("erased")
		}
		if customer == "" {
			customer = l.Get("erased")
		}
		d.Summary = l.Format("receipt.summary", dealer, customer, d.A.Date)
		d.ProductName = d.A.Product
		if p, err := s.lib.Product(d.A.Product); err == nil {
			d.ProductName = p.Name
			d.MSeries = eula.RequiresPriorAcceptance(p)
		}
		d.ReceiptURL = api.ReceiptPath(d.A.RecordID)
	case errors.Is(err, eula.ErrNotFound) || errors.Is(err, eula.ErrInvalid) || errors.Is(err, eula.ErrForbidden):
		status = http.StatusNotFound
	default:
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'nonce-"+d.Nonce+"'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	s.writePage(w, r, status, dealerReceiptTmpl, d)
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

const dealerStyle = `<style>
body{font-family:system-ui,sans-serif;max-width:44rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
fieldset{border:1px solid #bbb;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
label{display:block;margin-top:.6rem;font-weight:600}
input[type=text],input[type=email],select{width:100%;box-sizing:border-box;padding:.45rem;font-size:1rem}
.check label{display:inline;font-weight:400}
.err{color:#a00000;margin:.2rem 0}
[aria-invalid=true]{border:2px solid #a00000}
.problem{border:2px solid #a00000;padding:.6rem;border-radius:6px}
.notice{background:#fff6d5;border-left:4px solid #c99a00;padding:.6rem}
.ref{font:700 2rem ui-monospace,monospace;letter-spacing:.1em}
button{font-size:1rem;padding:.55rem 1.2rem;margin-top:1rem}
.problem:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.problem ul{margin:.4rem 0 0}
.problem a{color:#a00000}
.mseries{display:none}
.mseries.on,form:has(#f-product option[data-prior]:checked) .mseries{display:inline}
form:has(#f-product option:not([data-prior]):checked) .mseries{display:none}
@media print{button,.noprint{display:none}}
</style>`

var dealerFormTmpl = template.Must(template.New("dealer").Funcs(template.FuncMap{"map3": map3}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.L.Get "title"}}</title>` + dealerStyle + `</head>
<body><main id="dealer">
<h1>{{.L.Get "title"}}</h1>
<p>{{.L.Get "intro"}}</p>
{{if .Problem}}<div id="dealer-errors" class="problem" role="alert" tabindex="-1" autofocus><p id="dealer-problem">{{.Problem}}</p>
{{with .ErrorList}}<ul>{{range .}}<li><a href="#{{.ID}}">{{.Text}}</a></li>{{end}}</ul>{{end}}</div>{{end}}
<form method="post" action="/dealer" id="dealer-form" novalidate>
<input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="idem" value="{{.Idem}}"><input type="hidden" name="lang" value="{{.Lang}}">
<fieldset><legend>{{.L.Get "legend.dealer"}}</legend>
<div class="check" role="radiogroup" aria-label="{{.L.Get "role"}}">{{.L.Get "role"}}:
<input type="radio" id="f-role-dealer" name="role" value="dealer"{{if eq .Role "dealer"}} checked{{end}}> <label for="f-role-dealer">{{.L.Get "role.dealer"}}</label>
<input type="radio" id="f-role-integrator" name="role" value="integrator"{{if eq .Role "integrator"}} checked{{end}}> <label for="f-role-integrator">{{.L.Get "role.integrator"}}</label></div>
{{template "field" (map3 . "dealer.organization" "text")}}{{template "field" (map3 . "dealer.name" "text")}}{{template "field" (map3 . "dealer.email" "email")}}
</fieldset>
<fieldset><legend>{{.L.Get "legend.customer"}}</legend>
{{template "field" (map3 . "customer.organization" "text")}}{{template "field" (map3 . "customer.name" "text")}}{{template "field" (map3 . "customer.email" "email")}}
</fieldset>
{{$p := .L.Split "privacy"}}<p id="dealer-privacy">{{index $p 0}}<a href="/dealer/privacy?lang={{.Lang}}" target="_blank" rel="noopener">{{index $p 1}}</a>{{index $p 2}}</p>
<label for="f-product">{{.L.Get "product"}}</label>
<select id="f-product" name="product"{{with .Errors.product}} aria-invalid="true" aria-describedby="e-product"{{end}}>
<option value="">{{.L.Get "product.choose"}}</option>
{{range .Products}}<option value="{{.Key}}"{{if index $.Prior .Key}} data-prior{{end}}{{if eq .Key $.Product}} selected{{end}}>{{.Name}}</option>{{end}}
</select>
{{with .Errors.product}}<p class="err" id="e-product">{{.}}</p>{{end}}
<p><a id="dealer-read" href="{{.ReadURL}}" target="_blank" rel="noopener">{{.L.Get "read"}}</a></p>
<p class="check"><input type="checkbox" id="f-register_consent" name="register_consent" value="yes"{{if .Checked.register_consent}} checked{{end}}> <label for="f-register_consent">{{.L.Get "register_consent"}}</label></p>
<p class="notice" id="dealer-return" role="note">{{.L.Get "return"}} <span id="dealer-mseries" class="mseries{{if .MSeries}} on{{end}}">{{.L.Get "mseries"}}</span></p>
{{template "check" (map3 . "customer_accepted" "")}}{{template "check" (map3 . "return_right_understood" "")}}
<button type="submit" id="dealer-submit">{{.L.Get "submit"}}</button>
</form></main></body></html>
{{define "field"}}{{$d := .D}}{{$f := .F}}<label for="{{$d.ID $f}}">{{$d.L.Get $f}}</label>
<input type="{{.T}}" id="{{$d.ID $f}}" name="{{$f}}" value="{{index $d.Values $f}}" maxlength="254"{{with index $d.Errors $f}} aria-invalid="true" aria-describedby="e-{{$d.ID $f}}"{{end}}>
{{with index $d.Errors $f}}<p class="err" id="e-{{$d.ID $f}}">{{.}}</p>{{end}}{{end}}
{{define "check"}}{{$d := .D}}{{$f := .F}}<p class="check"><input type="checkbox" id="f-{{$f}}" name="{{$f}}" value="yes"{{if index $d.Checked $f}} checked{{end}}{{with index $d.Errors $f}} aria-invalid="true" aria-describedby="e-{{$f}}"{{end}}> <label for="f-{{$f}}">{{$d.L.Get $f}}</label></p>
{{with index $d.Errors $f}}<p class="err" id="e-{{$f}}">{{.}}</p>{{end}}{{end}}`))

// map3 passes the form, a field name and an input type to a sub-template.
func map3(d *dealerFormData, f, t string) map[string]any {
	return map[string]any{"D": d, "F": f, "T": t}
}

var dealerReceiptTmpl = template.Must(template.New("receipt").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Found}}{{.L.Get "receipt.title"}} {{.A.Reference}}{{else}}{{.L.Get "receipt.notfound"}}{{end}}</title>` + dealerStyle + `</head>
<body><main id="dealer-receipt">
{{if .Found}}<h1>{{.L.Get "receipt.title"}}</h1>
<p>{{.L.Get "receipt.reference"}}:</p>
<p class="ref" id="receipt-reference">{{.A.Reference}}</p>
<p id="receipt-summary">{{.Summary}}</p>
<dl><dt>{{.L.Get "receipt.product"}}</dt><dd id="receipt-product">{{.ProductName}}</dd>
<dt>{{.L.Get "receipt.version"}}</dt><dd>{{.A.DocumentVersion}}</dd>
<dt>{{.L.Get "receipt.record"}}</dt><dd><code id="receipt-record">{{.A.RecordID}}</code></dd></dl>
{{if .MSeries}}<p class="notice" id="receipt-mseries" role="note">{{.L.Get "mseries"}}</p>{{end}}
<p>{{.L.Get "receipt.forward"}}</p>
<p class="noprint"><a id="receipt-json" href="{{.ReceiptURL}}">{{.L.Get "receipt.json"}}</a></p>
<button type="button" id="receipt-print">{{.L.Get "receipt.print"}}</button>
<script nonce="{{.Nonce}}">document.getElementById("receipt-print").addEventListener("click", function () { window.print(); });</script>
{{else}}<p id="receipt-notfound" role="alert">{{.L.Get "receipt.notfound"}}</p>{{end}}
</main></body></html>`))

var dealerPrivacyTmpl = template.Must(template.New("privacy").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>` + dealerStyle + `</head>
<body><main id="privacy">{{range .Sections}}<section>{{.}}</section>{{end}}</main></body></html>`))
