package api

import (
	"net/url"
	"strconv"
	"strings"
)

// This file holds the answer of GET PathView: the View the viewer shows,
// which the server also prerenders into the page (package app renders it,
// on the server and in the browser alike). Package app aliases these types
// under the same names.

// Query is what the embedding host or the reader asked for in the viewer's
// URL; the same parameters select the View of GET PathView.
type Query struct {
	Lang      string `json:"lang,omitempty"`
	Product   string `json:"product,omitempty"`
	Installer string `json:"installer,omitempty"`
	// InstallerVersion is the version of the installer that opened the
	// page (parameter iv).
	InstallerVersion string `json:"installerVersion,omitempty"`
	MustRead         bool   `json:"mustread,omitempty"`
	// Kiosk asks for the first-boot kiosk layout (parameter kiosk=1).
	Kiosk bool `json:"kiosk,omitempty"`
	// Return is where the embedding host wants the reader sent after the
	// decision (parameter return); used only if the server allows it.
	Return string `json:"return,omitempty"`
	// Session is the one-time token of the gate waiting for this page's
	// decision (parameter session): a decision made with it ends that
	// wait; any other is recorded but does not.
	Session string `json:"session,omitempty"`
	// ReadOnly asks for the text alone (parameter readonly=1), as the
	// dealer's form links it: no decision controls, and the server records
	// no decision posted from such a page.
	ReadOnly bool `json:"readonly,omitempty"`
	// Ref is a dealer's reference code (parameter ref): the page is the
	// end user's first-boot confirmation of the dealer's acceptance
	// (PathDealerConfirm), and the View carries a Confirmation.
	Ref string `json:"ref,omitempty"`
}

// ParseQuery reads a Query from a page URL. Unknown parameters are ignored;
// values are validated by whoever loads the View.
func ParseQuery(u *url.URL) Query {
	if u == nil {
		return Query{}
	}
	q := u.Query()
	return Query{
		Lang:             strings.TrimSpace(q.Get("lang")),
		Product:          strings.TrimSpace(q.Get("product")),
		Installer:        strings.TrimSpace(q.Get("installer")),
		InstallerVersion: strings.TrimSpace(q.Get("iv")),
		MustRead:         q.Get("mustread") == "1" || q.Get("mustread") == "true",
		Kiosk:            q.Get("kiosk") == "1" || q.Get("kiosk") == "true",
		Return:           strings.TrimSpace(q.Get("return")),
		Session:          strings.TrimSpace(q.Get("session")),
		ReadOnly:         q.Get("readonly") == "1" || q.Get("readonly") == "true",
		Ref:              strings.TrimSpace(q.Get("ref")),
	}
}

// Values returns the URL parameters that ParseQuery reads back as q.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Lang != "" {
		v.Set("lang", q.Lang)
	}
	if q.Product != "" {
		v.Set("product", q.Product)
	}
	if q.Installer != "" {
		v.Set("installer", q.Installer)
	}
	if q.InstallerVersion != "" {
		v.Set("iv", q.InstallerVersion)
	}
	if q.Kiosk {
		v.Set("kiosk", "1")
	}
	if q.Return != "" {
		v.Set("return", q.Return)
	}
	if q.MustRead {
		v.Set("mustread", "1")
	}
	if q.Session != "" {
		v.Set("session", q.Session)
	}
	if q.ReadOnly {
		v.Set("readonly", "1")
	}
	if q.Ref != "" {
		v.Set("ref", q.Ref)
	}
	return v
}

// Encode returns the query string that ParseQuery reads back as q.
func (q Query) Encode() string { return q.Values().Encode() }

// View is everything the viewer shows, prepared by the server: the answer
// of GET PathView, and the JSON the prerendered page carries.
type View struct {
	Query       Query     `json:"query"`
	Lang        string    `json:"lang"`
	Dir         string    `json:"dir"`
	DocumentID  string    `json:"documentId"`
	Version     string    `json:"version"`
	Hash        string    `json:"hash"`
	Title       string    `json:"title"`
	ProductKey  string    `json:"productKey,omitempty"`
	ProductName string    `json:"productName,omitempty"`
	Sections    []Section `json:"sections"`
	// Products lists the products to choose from when the page was opened
	// without one.
	Products []ProductOption `json:"products,omitempty"`
	CSRF     string          `json:"csrf,omitempty"`
	// IdempotencyKey is sent with the decision so that a resubmitted form
	// or a retried request records once.
	IdempotencyKey string `json:"idem,omitempty"`
	// Changes, when the reader's installation accepted an older version
	// that no longer counts, shows what changed since.
	Changes *Changes `json:"changes,omitempty"`
	// NoReturn is set for products the 30-day return policy does not apply
	// to (Husky products); the viewer says so.
	NoReturn bool `json:"noReturn,omitempty"`
	// Host says how to tell the embedding host the outcome.
	Host Host `json:"host,omitempty"`
	// Outcome is a decision already made on this page (after the plain
	// form was posted), shown instead of the controls.
	Outcome *Outcome `json:"outcome,omitempty"`
	// ReadToEnd is set when the reader confirmed, through the server, to
	// have read to the end (PathReadToEnd): a must-read page then offers
	// "I accept" without a script.
	ReadToEnd bool `json:"readToEnd,omitempty"`
	// ProductSection is the id of the section with the product's own terms.
	ProductSection string `json:"productSection,omitempty"`
	// Original holds the English original's sections when the document is
	// shown in another language; empty for English.
	Original []Section `json:"original,omitempty"`
	// OriginalLater is set, with Original empty, when the document is a
	// translation whose English original is left for later, as in the
	// first response of a page: every section has one, under the same id
	// (the library checks it). The page links each section to the English
	// page at that section, and the viewer fetches the original when the
	// reader asks for it or once the page is idle.
	OriginalLater bool `json:"originalLater,omitempty"`
	// Languages lists the languages the document is available in, each by
	// its own name.
	Languages []LanguageOption `json:"languages,omitempty"`
	// Notice, when set, tells the reader that the language asked for is not
	// available.
	Notice string `json:"notice,omitempty"`
	// LangBasis is the rule that chose the language (LangExplicit,
	// LangRemembered or LangPreferences), and Preferences the reader's
	// preferences it was chosen from under LangPreferences (an
	// Accept-Language header).
	LangBasis   string `json:"langBasis,omitempty"`
	Preferences string `json:"preferences,omitempty"`
	// Labels are the interface strings in the shown language.
	Labels Labels `json:"labels,omitempty"`
	// Error, when set, is a message for the reader saying what went wrong and
	// what to do next; the rest of the View may be empty.
	Error string `json:"error,omitempty"`
	// DealerForm is set on the dealer's form (PathDealer), Receipt on
	// its receipt (PathDealerReceipt): pages of the same app without a
	// document.
	DealerForm *DealerForm `json:"dealerForm,omitempty"`
	Receipt    *Receipt    `json:"receipt,omitempty"`
	// Confirmation is set on the first-boot confirmation page
	// (Query.Ref): who accepted for whom and when.
	Confirmation *Confirmation `json:"confirmation,omitempty"`
	// Partial is the viewer's own state, never sent: it marks a View shown
	// for a frame while the text changes language (the sections near the
	// reader are in the new one, the others still in the previous one).
	// Deciding waits for the whole.
	Partial bool `json:"-"`
}

// Confirmation is what the first-boot confirmation page shows above the
// document: the dealer's acceptance it confirms.
type Confirmation struct {
	// Reference is the dealer's reference code.
	Reference string `json:"reference"`
	// Summary says who accepted for whom and when, in the reader's
	// language.
	Summary string `json:"summary,omitempty"`
	// Problem, when set, says why the code cannot be confirmed here (an
	// unknown code, a code for another product) and what to do; the page
	// then offers nothing to decide.
	Problem string `json:"problem,omitempty"`
	// Status is the server's own, never sent: the HTTP status of the page
	// (a refused code is answered 403 or 404).
	Status int `json:"-"`
}

// DealerForm is the dealer's form as the page shows it: what was sent, a
// message at every wrong field, and the products with their rules.
type DealerForm struct {
	// Role is RoleDealer or RoleIntegrator.
	Role string `json:"role"`
	// Product is the chosen product's key.
	Product  string          `json:"product,omitempty"`
	Products []DealerProduct `json:"products"`
	// Values are the text fields by name (DealerFields), Checked the
	// check boxes by name.
	Values  map[string]string `json:"values,omitempty"`
	Checked map[string]bool   `json:"checked,omitempty"`
	// Errors are the wrong fields, in the order of the form; Problem says
	// what happened to the whole form.
	Errors  []FieldError `json:"errors,omitempty"`
	Problem string       `json:"problem,omitempty"`
	// MSeries is set when the chosen product's rules require acceptance
	// before purchase.
	MSeries bool `json:"mseries,omitempty"`
	// ReadURL opens the agreement to read only; PrivacyURL the privacy
	// policy.
	ReadURL    string `json:"readUrl"`
	PrivacyURL string `json:"privacyUrl"`
}

// DealerProduct is a product the dealer can choose, with its rules.
type DealerProduct struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Prior is set when the product's rules require acceptance before
	// purchase: the page says so whenever it is chosen.
	Prior bool `json:"prior,omitempty"`
}

// FieldError is the message of one wrong field of a form.
type FieldError struct {
	// Field is the field's name; Message is shown at the field, Summary in
	// the list of errors above the form.
	Field   string `json:"field"`
	Message string `json:"message"`
	Summary string `json:"summary"`
}

// Receipt is the receipt of a dealer's acceptance, to print or save and
// forward: the reference code and who accepted for whom, when.
type Receipt struct {
	// Found is false for an unknown code: the page says so.
	Found       bool   `json:"found"`
	Reference   string `json:"reference,omitempty"`
	Summary     string `json:"summary,omitempty"`
	ProductName string `json:"productName,omitempty"`
	Version     string `json:"version,omitempty"`
	RecordID    string `json:"recordId,omitempty"`
	// ReceiptURL is the record's signed receipt (JSON).
	ReceiptURL string `json:"receiptUrl,omitempty"`
	// MSeries is set when the product's rules require acceptance before
	// purchase.
	MSeries bool `json:"mseries,omitempty"`
}

// Rules that choose the language, in their order (View.LangBasis).
const (
	LangExplicit    = "explicit"    // ?lang= or the embedding host
	LangRemembered  = "remembered"  // the reader's earlier choice
	LangPreferences = "preferences" // the browser's preferences
)

// Translated reports whether v shows a translation with its English
// original at hand.
func (v View) Translated() bool { return len(v.Original) > 0 || v.OriginalLater }

// OriginalOf returns the English original of the section with the given
// id: without its HTML when the original is left for later.
func (v View) OriginalOf(id string) (Section, bool) {
	if v.OriginalLater {
		return Section{ID: id}, true
	}
	for _, s := range v.Original {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// Section is one section of the document as the viewer shows it. HTML was
// rendered and sanitized on the server; the viewer inserts it as is. A
// field left empty is left out of the JSON: the View a page carries
// (app.ViewElementID) names each section by its ID alone, the rest being in
// the page.
type Section struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	Level int    `json:"level,omitempty"`
	HTML  string `json:"html,omitempty"`
	Hash  string `json:"hash,omitempty"`
	// Eager marks the sections that begin and end the document, a few
	// screens of text each: they are always laid out, while the others
	// are laid out only near the window. The text is shown at once, and
	// jumping to the end (the End key, must-read) lands on the real end
	// and not on an estimate of it.
	Eager bool `json:"eager,omitempty"`
	// Adopt is the viewer's own state, never sent: HTML is not here but
	// already in the page, and the browser's first render takes over the
	// section body the server prerendered instead of parsing it again.
	Adopt bool `json:"-"`
	// Held is the viewer's own state, never sent: HTML is not here but
	// held by the browser under this key, and put in place once the
	// section is shown, without passing through the wasm.
	Held string `json:"-"`
}

// LanguageOption is a language the reader can choose.
type LanguageOption struct {
	// Tag is the BCP 47 tag, such as "ru".
	Tag string `json:"tag"`
	// Name is the language's name in itself, such as "Русский".
	Name string `json:"name"`
}

// ProductOption is a product the reader can choose.
type ProductOption struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Changes is what changed between the version a reader accepted and the
// one in force, by section (the canonical hashes decide).
type Changes struct {
	// Since is the version the reader accepted.
	Since string `json:"since"`
	// Sections are the changed sections, with the words removed and added
	// marked (HTML rendered and sanitized on the server).
	Sections []Section `json:"sections"`
	// Unchanged is the number of sections that did not change.
	Unchanged int `json:"unchanged"`
}

// Host is how the viewer tells its embedding host the outcome of a
// decision: a message through the WebView2 bridge, window.parent.postMessage
// to each allowed origin (never "*"), and a redirect to Return.
type Host struct {
	// Origins are the parent origins the server allows to receive the
	// message.
	Origins []string `json:"origins,omitempty"`
	// Return is the allowed return URL the host asked for, or empty.
	Return string `json:"return,omitempty"`
}

// Outcome is the result of a decision, shown to the reader.
type Outcome struct {
	Decision string `json:"decision,omitempty"`
	RecordID string `json:"recordId,omitempty"`
	Pending  bool   `json:"pending,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Labels are the interface strings of one language, by message key (see
// locales/ui/en.json for the keys). The server fills them from its message
// catalogs; arguments are left as {1}, {2}, ... for Format.
type Labels map[string]string

// Get returns the label for key, or key itself when it is missing.
func (l Labels) Get(key string) string {
	if s, ok := l[key]; ok {
		return s
	}
	return key
}

// Format returns the label for key with {1}, {2}, ... replaced by args, in
// one pass: an argument that itself holds "{2}" (a language or product name
// a reader typed, an error's text) stays as it is. A placeholder without
// its argument, and any other text in braces, stays as written. It is
// eulagate's one message formatter: the viewer's labels and the dealer
// pages' alike go through it.
func (l Labels) Format(key string, args ...string) string {
	msg := l.Get(key)
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(msg[i:], '}') + i
		if j < i {
			break
		}
		b.WriteString(msg[:i])
		if n, err := strconv.Atoi(msg[i+1 : j]); err == nil && 1 <= n && n <= len(args) {
			b.WriteString(args[n-1])
		} else {
			b.WriteString(msg[i : j+1])
		}
		msg = msg[j+1:]
	}
	b.WriteString(msg)
	return b.String()
}
