package app

import (
	"encoding/json"
	"html"
	"net/url"
	"strings"

	"github.com/eulagate/eulagate/api"
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
	// ActionLoadOriginals fetches the English original of a translation
	// whose View has it later (View.OriginalLater), for the reader who
	// asked to see it.
	ActionLoadOriginals = "eula/load-originals"
	// ActionLanguageIntent says that the reader is reaching for the
	// language picker (it got the focus or a press): the other languages
	// are fetched now, if they are not yet, so that the choice to come
	// need not wait for the network.
	ActionLanguageIntent = "eula/language-intent"
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

// Query is what the embedding host or the reader asked for in the URL (see
// package api, the HTTP contract, where it is defined).
type Query = api.Query

// ParseQuery reads a Query from a page URL (api.ParseQuery).
func ParseQuery(u *url.URL) Query { return api.ParseQuery(u) }

// View is everything the viewer shows, prepared outside the components: the
// answer of the HTTP API's view endpoint (api.View).
type View = api.View

// Rules that choose the language, in their order (View.LangBasis).
const (
	LangExplicit    = api.LangExplicit
	LangRemembered  = api.LangRemembered
	LangPreferences = api.LangPreferences
)

// The parts of a View, defined with it in package api.
type (
	// LanguageOption is a language the reader can choose.
	LanguageOption = api.LanguageOption
	// ProductOption is a product the reader can choose.
	ProductOption = api.ProductOption
	// Section is one section of the document as the viewer shows it.
	Section = api.Section
	// Changes is what changed since the version a reader accepted.
	Changes = api.Changes
	// Host is how the viewer tells its embedding host the outcome.
	Host = api.Host
	// Outcome is the result of a decision, shown to the reader.
	Outcome = api.Outcome
	// DocumentRef names the document version and language shown.
	DocumentRef = api.DocumentRef
	// InstallerRef names the installer that asked and the installation.
	InstallerRef = api.InstallerRef
	// Confirmation is the dealer's acceptance a first-boot confirmation
	// page confirms.
	Confirmation = api.Confirmation
	// DealerForm is the dealer's form as the page shows it.
	DealerForm = api.DealerForm
	// FieldError is the message of one wrong field of a form.
	FieldError = api.FieldError
	// Receipt is the receipt of a dealer's acceptance.
	Receipt = api.Receipt
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

// sectionBody returns the body element of a section (class is its class):
// the section's HTML, an empty element to take over the prerendered one's
// content when s.Adopt, or an empty element the browser fills with the
// HTML it holds under s.Held (HeldAttr).
func sectionBody(s Section, class string) string {
	switch {
	case s.Adopt:
		return "<div class=\"" + class + "\" data-adopt></div>"
	case s.Held != "":
		return "<div class=\"" + class + "\" " + HeldAttr + "=\"" + html.EscapeString(s.Held) + "\"></div>"
	}
	return "<div class=\"" + class + "\">" + s.HTML + "</div>"
}

// HeldAttr is the attribute of a section body whose HTML the browser
// holds (Section.Held): its value is the key.
const HeldAttr = "data-held"

// DecisionRequest is the value of ActionDecide: what the viewer sends
// when the reader decides. The embedded api.DecisionRequest is the body of
// the HTTP API's decision endpoint; the rest goes with it as headers, or
// stays in the browser.
type DecisionRequest struct {
	api.DecisionRequest
	// Ref is the dealer's reference code on the first-boot confirmation
	// page: the decision confirms (or declines) that dealer's acceptance.
	Ref string
	// CSRF is the page's token, sent as a header, and IdempotencyKey makes
	// a retried request record once.
	CSRF           string
	IdempotencyKey string
	// Host says whom to tell the outcome.
	Host Host
}

// Decisions a reader can make.
const (
	DecisionAccept  = api.DecisionAccepted
	DecisionDecline = api.DecisionDeclined
)

// viewMeta returns v as JSON for the page to carry (see ViewElementID), so
// that the browser side can take over the prerendered text without
// fetching it again. Of each section it keeps the ID and Eager: the HTML,
// the title and the level are the page's own (the section body and its
// heading, which bears the section's ID), and only the originals' hashes
// are compared, never the translation's. A page never carries the English
// originals: the viewer fetches them (WithOriginalLater).
func viewMeta(v View) string {
	m := WithOriginalLater(v)
	m.Sections = nil
	for _, s := range v.Sections {
		m.Sections = append(m.Sections, Section{ID: s.ID, Eager: s.Eager})
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "" // a View holds only strings, ints and bools: Marshal cannot fail
	}
	return string(b)
}

// OriginalLang is the language of the original that prevails.
const OriginalLang = "en"

// OriginalSections returns the English original's sections to show beside
// a translation, from the sections of the English document: their heading
// ids become OriginalHeadingID's, so that the translation's own ids (the
// shareable #section links) stay unique.
func OriginalSections(secs []Section) []Section {
	out := make([]Section, len(secs))
	for i, s := range secs {
		s.HTML = strings.Replace(s.HTML, ` id="`+s.ID+`"`, ` id="`+OriginalHeadingID(s.ID)+`"`, 1)
		s.Adopt = false
		out[i] = s
	}
	return out
}

// OriginalHeadingID is the id of section id's heading in the English
// original shown beside a translation, which has that section's heading
// under its own id.
func OriginalHeadingID(id string) string { return "eula-original-heading-" + id }

// WithOriginalLater returns v with its English original left for later
// (View.OriginalLater), as the first response of a page carries it.
func WithOriginalLater(v View) View {
	if len(v.Original) == 0 {
		return v
	}
	v.Original, v.OriginalLater = nil, true
	return v
}

// WithOriginals returns v with the English original's sections taken from
// en, the View of the English document for the same query.
func WithOriginals(v, en View) View {
	v.Original = OriginalSections(en.Sections)
	v.OriginalLater = false
	return v
}

// OriginalHref is the address of the English page for the query q, at the
// section id if not empty: where a page without scripts shows the English
// original, which prevails.
func OriginalHref(q Query, id string) string {
	q.Lang = OriginalLang
	h := "?" + q.Encode()
	if id != "" {
		h += "#" + id
	}
	return h
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
