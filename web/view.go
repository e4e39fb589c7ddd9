package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/width"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/render"
	"github.com/eulagate/eulagate/i18n"
)

// preferParam carries the browser's navigator.languages, joined with
// commas, when the viewer asks for the View again because they differ from
// the Accept-Language header the page was chosen by.
const preferParam = "prefer"

// langCookie remembers the reader's choice of language so that the server
// prerenders in it (the browser also keeps it in local storage).
const langCookie = "eulagate_lang"

// rememberedLang returns the reader's remembered choice of language (the
// langCookie), or "".
func rememberedLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		return c.Value
	}
	return ""
}

// randomToken returns 128 random bits in hex.
func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// view builds the View for a request: the language chosen from the query,
// the remembered choice and Accept-Language; the product; the document's
// sections rendered to HTML.
func (s *Server) view(r *http.Request, q ui.Query) (ui.View, error) {
	v := ui.View{Query: q, DocumentID: eula.DocEULA, CSRF: s.csrf.token(), IdempotencyKey: randomToken()}
	if q.Product == "" {
		for _, p := range s.lib.Products() {
			v.Products = append(v.Products, ui.ProductOption{Key: p.Key, Name: p.Name})
		}
	} else {
		p, err := s.lib.Product(q.Product)
		if err != nil {
			return v, err
		}
		v.ProductKey, v.ProductName, v.ProductSection = p.Key, p.Name, p.SectionID
		v.NoReturn = !eula.ReturnRight(p)
	}
	v.Host.Origins = s.origins
	if s.allowedReturn(q.Return) {
		v.Host.Return = q.Return
	}
	v.Version = s.lib.Latest(eula.DocEULA)
	// Every language any version has: a reader of a translation that lags
	// behind the English gets the new English with a note, never the old
	// translation of a different text.
	langs := s.lib.AllLanguages(eula.DocEULA)
	remembered := rememberedLang(r)
	// The browser's own list (navigator.languages, sent by the viewer as
	// ?prefer= when it differs from Accept-Language) comes before the
	// header, which a webview may set differently.
	prefs := r.URL.Query().Get(preferParam)
	if prefs == "" {
		prefs = r.Header.Get("Accept-Language")
	}
	choice := i18n.Choose(langs, q.Lang, remembered, prefs)
	switch {
	case q.Lang != "":
		v.LangBasis = ui.LangExplicit
	case remembered != "":
		v.LangBasis = ui.LangRemembered
	default:
		v.LangBasis, v.Preferences = ui.LangPreferences, prefs
	}
	doc, lagging, err := s.lib.Resolve(eula.DocEULA, choice.Tag)
	if err != nil {
		return v, fmt.Errorf("view: %w", err)
	}
	asked := choice.Tag
	choice.Tag = doc.Meta.Language
	v.Lang, v.Dir, v.Hash, v.Title = choice.Tag.String(), i18n.Direction(choice.Tag), doc.Hash, doc.Meta.Title
	v.Labels = labelsFor(asked)
	v.Languages = languageOptions(langs)
	if choice.Unavailable != "" {
		asked := choice.Unavailable
		if t, err := language.Parse(asked); err == nil {
			if n := display.Tags(choice.Tag).Name(t); n != "" {
				asked = n
			}
		}
		v.Notice = v.Labels.Format("lang.unavailable", asked, selfName(choice.Tag))
	}
	if lagging {
		v.Notice = v.Labels.Format("lang.lagging", selfName(asked))
	}
	if q.Ref != "" {
		status := s.confirmation(r.Context(), &v, q, asked)
		v.Confirmation.Status = status
		if v.Confirmation.Problem != "" {
			// A refused code: nothing to read or decide on this page.
			v.Version, v.Hash, v.ProductSection, v.NoReturn = "", "", "", false
			return v, nil
		}
	}
	v.Sections, err = s.renderSections(doc, q.Kiosk)
	if err != nil {
		return v, err
	}
	if err := s.addChanges(r.Context(), &v, q, asked); err != nil {
		return v, err
	}
	if choice.Tag != language.English {
		en, err := s.lib.Document(eula.DocEULA, v.Version, language.English)
		if err != nil {
			return v, fmt.Errorf("view: the English original: %w", err)
		}
		orig, err := s.renderSections(en, q.Kiosk)
		if err != nil {
			return v, err
		}
		v.Original = ui.OriginalSections(orig)
	}
	return v, nil
}

// selfName returns a language's name in itself, capitalized as a picker
// languageOptions returns a language picker's options for tags, each
// named in itself.
func languageOptions(tags []language.Tag) []ui.LanguageOption {
	var out []ui.LanguageOption
	for _, t := range tags {
		out = append(out, ui.LanguageOption{Tag: t.String(), Name: selfName(t)})
	}
	return out
}

// catalogLanguages are the languages of the interface catalogs, each named
// in itself: the picker of the pages that show no document of their own
// (the dealer's, the console's).
var catalogLanguages = sync.OnceValue(func() []ui.LanguageOption {
	c, err := uiCatalog()
	if err != nil {
		return nil
	}
	return languageOptions(c.Languages())
})

// entry: "Русский", "Magyar", "日本語", "English".
func selfName(t language.Tag) string {
	n := display.Self.Name(t)
	if n == "" {
		return t.String()
	}
	r, size := utf8.DecodeRuneInString(n)
	return string(unicode.ToUpper(r)) + n[size:]
}

// renderSections renders a document's sections once and caches them. In
// kiosk mode links are rendered as text (Config.RenderKiosk).
func (s *Server) renderSections(doc *eula.Document, kiosk bool) ([]ui.Section, error) {
	key := doc.Meta.DocID + "/" + doc.Meta.Version + "/" + doc.Meta.Language.String()
	render := s.render
	if kiosk {
		key += "/kiosk"
		render = s.renderKiosk
	}
	if v, ok := s.sections.Load(key); ok {
		return v.([]ui.Section), nil
	}
	out := make([]ui.Section, len(doc.Sections))
	for i := range doc.Sections {
		sec := &doc.Sections[i]
		html, err := render(sec)
		if err != nil {
			return nil, fmt.Errorf("render %s section %s: %w", key, sec.ID, err)
		}
		out[i] = ui.Section{ID: sec.ID, Title: sec.Title, Level: sec.Level, HTML: html, Hash: sec.Hash}
	}
	markEager(out)
	s.sections.Store(key, out)
	return out, nil
}

// Eager sections hold at least headWidth of text from the start of the
// document and tailWidth from its end, counted in the widths of characters
// (a wide East Asian character counts twice): the first screen even on a
// large one, and more than a few screens at the end.
const (
	headWidth = 4000
	tailWidth = 8000
)

// markEager sets Eager on the first and the last sections of secs (see
// headWidth and tailWidth), and clears it on the others.
func markEager(secs []ui.Section) {
	for i := range secs {
		secs[i].Eager = false
	}
	n := 0
	for i := 0; i < len(secs) && n < headWidth; i++ {
		secs[i].Eager = true
		n += textWidth(secs[i].HTML)
	}
	n = 0
	for i := len(secs) - 1; i >= 0 && n < tailWidth; i-- {
		secs[i].Eager = true
		n += textWidth(secs[i].HTML)
	}
}

// textWidth returns the width of s in characters, a wide East Asian one
// counting twice.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// apiView answers GET /api/v1/view with the View for the query, for the
// browser side's language switch.
func (s *Server) apiView(w http.ResponseWriter, r *http.Request) error {
	v, err := s.view(r, ui.ParseQuery(r.URL))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// outcomeOf returns the Outcome of a recorded decision, for the page shown
// after the plain form was posted, with its problem in the language of l.
func (s *Server) outcomeOf(ctx context.Context, id string, l ui.Labels) *ui.Outcome {
	rec, err := s.reg.Decision(ctx, id)
	if err != nil {
		key := "outcome.notfound"
		if !errors.Is(err, eula.ErrNotFound) {
			key = "outcome.unreadable"
		}
		return &ui.Outcome{Error: l.Get(key)}
	}
	return &ui.Outcome{Decision: string(rec.Decision), RecordID: rec.ID}
}

// addChanges fills v.Changes when the installation the page was opened for
// accepted an older version that no longer counts: the sections changed
// since, with the words removed and added marked, in the reader's language
// where both versions have it, else in English.
func (s *Server) addChanges(ctx context.Context, v *ui.View, q ui.Query, lang language.Tag) error {
	if q.Installer == "" || v.ProductKey == "" {
		return nil
	}
	hist, err := s.reg.Latest(ctx, q.Installer, v.ProductKey)
	if err != nil {
		return fmt.Errorf("view: %w", err)
	}
	st := eula.StatusOf(hist, v.Version, s.lib.StillValid(eula.DocEULA))
	if st.State != eula.StateReacceptanceDue {
		return nil
	}
	cmp, err := s.lib.Compare(eula.DocEULA, st.Version, v.Version, lang)
	if errors.Is(err, eula.ErrNotFound) {
		return nil // the accepted version was retired from the library: show the whole text
	}
	if err != nil {
		return fmt.Errorf("view: changes since %s: %w", st.Version, err)
	}
	ch := &ui.Changes{Since: st.Version, Unchanged: cmp.Unchanged()}
	for _, c := range cmp.Changed() {
		ch.Sections = append(ch.Sections, ui.Section{ID: c.ID, Title: c.Title(), HTML: render.RenderChange(c).String()})
	}
	v.Changes = ch
	return nil
}
