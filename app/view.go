package app

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Names of the actions components fire and of the states they observe.
const (
	// ActionLoad asks for the View matching a Query (value: Query).
	ActionLoad = "eula/load"
	// ActionDecide records a decision (value: DecisionRequest).
	ActionDecide = "eula/decide"
	// ActionSwitchLanguage shows the document in another language and
	// remembers the reader's choice (value: the language tag, a string),
	// keeping the reader's place.
	ActionSwitchLanguage = "eula/switch-language"
	// ActionFind highlights the matches of a text and moves to one of them
	// (value: FindRequest); the result is published as StateFind.
	ActionFind = "eula/find"
	// ActionWatchEnd asks to be told, through StateReachedEnd, when the
	// reader has reached the end of the document.
	ActionWatchEnd = "eula/watch-end"
	// ActionFocus moves the keyboard focus to the element with the id given
	// as value (a string) after the next render.
	ActionFocus = "eula/focus"
	// ActionPrint opens the browser's print dialog.
	ActionPrint = "eula/print"
	// StateView holds the current View.
	StateView = "eula/view"
	// StateOutcome holds the Outcome of the last decision.
	StateOutcome = "eula/outcome"
	// StateFind holds the FindResult of the last ActionFind.
	StateFind = "eula/find"
	// StateReachedEnd is true once the reader has reached the end of the
	// document.
	StateReachedEnd = "eula/reached-end"
)

// Query is what the embedding host or the reader asked for in the URL.
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
	}
}

// Encode returns the query string that ParseQuery reads back as q.
func (q Query) Encode() string {
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
	return v.Encode()
}

// View is everything the viewer shows, prepared outside the components.
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
	// ProductSection is the id of the section with the product's own terms.
	ProductSection string `json:"productSection,omitempty"`
	// Original holds the English original's sections when the document is
	// shown in another language; empty for English.
	Original []Section `json:"original,omitempty"`
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
	// Partial marks a View shown for a frame while the text changes
	// language: the sections near the reader are in the new one, the
	// others still in the previous one. Deciding waits for the whole.
	Partial bool `json:"-"`
}

// Rules that choose the language, in their order (View.LangBasis).
const (
	LangExplicit    = "explicit"    // ?lang= or the embedding host
	LangRemembered  = "remembered"  // the reader's earlier choice
	LangPreferences = "preferences" // the browser's preferences
)

// SamePreferences reports whether an Accept-Language header lists the same
// languages in the same order as navigator.languages.
func SamePreferences(acceptLanguage string, navigator []string) bool {
	var tags []string
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(part, ";")
		if tag = strings.TrimSpace(tag); tag != "" && tag != "*" {
			tags = append(tags, strings.ToLower(tag))
		}
	}
	if len(tags) != len(navigator) {
		return false
	}
	for i, n := range navigator {
		if tags[i] != strings.ToLower(strings.TrimSpace(n)) {
			return false
		}
	}
	return true
}

// LanguageOption is a language the reader can choose.
type LanguageOption struct {
	// Tag is the BCP 47 tag, such as "ru".
	Tag string `json:"tag"`
	// Name is the language's name in itself, such as "Русский".
	Name string `json:"name"`
}

// FindRequest asks to find Text in the shown text and move Step matches
// from the current one (1 next, -1 previous, 0 the first from the top).
type FindRequest struct {
	Text string
	Step int
}

// FindResult is where ActionFind ended: the current match (from 1) of
// Count matches.
type FindResult struct {
	Text  string
	Index int
	Count int
}

// ProductOption is a product the reader can choose.
type ProductOption struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Section is one section of the document as the viewer shows it. HTML was
// rendered and sanitized on the server; components insert it as is.
type Section struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Level int    `json:"level"`
	HTML  string `json:"html"`
	Hash  string `json:"hash"`
	// Eager marks the sections that begin and end the document, a few
	// screens of text each: they are always laid out, while the others
	// are laid out only near the window. The text is shown at once, and
	// jumping to the end (the End key, must-read) lands on the real end
	// and not on an estimate of it.
	Eager bool `json:"eager,omitempty"`
	// Adopt says that HTML is not here but already in the page: the
	// browser's first render takes over the section body the server
	// prerendered (see Page) instead of parsing it again.
	Adopt bool `json:"-"`
}

// bodyHTML returns the body element of a section (class is its class):
// the section's HTML, or an empty element to take over the prerendered
// one's content when s.Adopt.
func (s Section) bodyHTML(class string) string {
	if s.Adopt {
		return "<div class=\"" + class + "\" data-adopt></div>"
	}
	return "<div class=\"" + class + "\">" + s.HTML + "</div>"
}

// DecisionRequest is what the viewer sends when the reader decides: the
// body of POST /api/v1/decisions (see package web for every field).
type DecisionRequest struct {
	Decision  string       `json:"decision"`
	Document  DocumentRef  `json:"document"`
	Product   string       `json:"product"`
	Installer InstallerRef `json:"installer"`
	// Channel is how the decision was collected: "first-boot" in kiosk
	// mode; the server's default otherwise.
	Channel string `json:"channel,omitempty"`
	// CSRF is the page's token, sent as a header, and IdempotencyKey makes
	// a retried request record once.
	CSRF           string `json:"-"`
	IdempotencyKey string `json:"-"`
	// Host says whom to tell the outcome.
	Host Host `json:"-"`
}

// DocumentRef names the document version and language shown.
type DocumentRef struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Language string `json:"language"`
}

// InstallerRef names the installer that asked and the installation.
type InstallerRef struct {
	MachineID string `json:"machine_id,omitempty"`
	Product   string `json:"product,omitempty"`
	Version   string `json:"version,omitempty"`
}

// Decisions a reader can make.
const (
	DecisionAccept  = "accepted"
	DecisionDecline = "declined"
)

// Outcome is the result of a decision, shown to the reader.
type Outcome struct {
	Decision string `json:"decision,omitempty"`
	RecordID string `json:"recordId,omitempty"`
	Pending  bool   `json:"pending,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Meta returns v as JSON without the sections' HTML: the page carries it (see
// ViewElementID) so that the browser side can take over the prerendered text
// without fetching it again.
func (v View) Meta() string {
	m := v
	m.Sections = withoutHTML(v.Sections)
	m.Original = withoutHTML(v.Original)
	b, err := json.Marshal(m)
	if err != nil {
		return "" // a View holds only strings, ints and bools: Marshal cannot fail
	}
	return string(b)
}

func withoutHTML(secs []Section) []Section {
	if secs == nil {
		return nil
	}
	out := make([]Section, len(secs))
	for i, s := range secs {
		s.HTML = ""
		out[i] = s
	}
	return out
}

// OriginalLang is the language of the original that prevails.
const OriginalLang = "en"

// Translated reports whether v shows a translation with its English
// original at hand.
func (v View) Translated() bool { return len(v.Original) > 0 }

// OriginalOf returns the English original of the section with the given
// id.
func (v View) OriginalOf(id string) (Section, bool) {
	for _, s := range v.Original {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
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

// HostMessageType and HostMessageVersion identify the message the viewer
// posts to its host; see README "Installer integration".
const (
	HostMessageType    = "eulagate.decision"
	HostMessageVersion = 1
)

// HostMessage is the message posted to the host after a decision.
type HostMessage struct {
	Type     string      `json:"type"`
	Version  int         `json:"version"`
	Decision string      `json:"decision"`
	RecordID string      `json:"record_id"`
	Product  string      `json:"product"`
	Document DocumentRef `json:"document"`
	// Installer is the installation id the page was opened for.
	Installer string `json:"installer,omitempty"`
	// Receipt is the signed receipt (as returned by the API): the host
	// verifies it before continuing.
	Receipt json.RawMessage `json:"receipt,omitempty"`
}

// ReturnURL returns the URL the reader is sent to after a decision: the
// host's return URL with the decision and the record id added as
// eulagate_decision and eulagate_record.
func ReturnURL(ret, decision, recordID string) string {
	u, err := url.Parse(ret)
	if err != nil || ret == "" {
		return ""
	}
	q := u.Query()
	q.Set("eulagate_decision", decision)
	q.Set("eulagate_record", recordID)
	u.RawQuery = q.Encode()
	return u.String()
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
