package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// MaxPreferencesLen bounds the language preferences read from a reader (an
// Accept-Language header, navigator.languages); a longer list is cut after
// its last whole entry.
const MaxPreferencesLen = 512

// Matcher chooses among a fixed list of languages: a document's
// translations, the interface's catalogs.
type Matcher struct {
	available []language.Tag
	m         language.Matcher
}

// NewMatcher returns a Matcher over available; the first is the fallback
// when none serves (the original, the source).
func NewMatcher(available []language.Tag) *Matcher {
	m := &Matcher{available: available}
	if len(available) > 0 {
		m.m = language.NewMatcher(available)
	}
	return m
}

// Match returns the index in available of the language that best serves
// want, the reader's preferred first (ru-RU gets ru, en-GB gets en), and
// whether any of want is served. When none is, it returns 0 (the first
// available) and false; with nothing available, -1 and false.
//
// Choose by the index, never by the string of the tag that
// language.Matcher returns, which can carry extensions (en-GB matches as
// en-u-rg-gbzzzz).
func (m *Matcher) Match(want ...language.Tag) (int, bool) {
	if m.m == nil {
		return -1, false
	}
	if len(want) == 0 {
		return 0, false
	}
	_, i, conf := m.m.Match(want...)
	if conf == language.No {
		return 0, false
	}
	return i, true
}

// Preferences returns the languages a request asks for, first to last:
// named (a lang parameter or a remembered choice; left out if it is no
// tag), then those of accept (an Accept-Language header, or
// navigator.languages joined with commas; nothing if it does not parse).
func Preferences(named, accept string) []language.Tag {
	var want []language.Tag
	if t, err := language.Parse(clip(strings.TrimSpace(named))); named != "" && err == nil {
		want = append(want, t)
	}
	if tags, _, err := language.ParseAcceptLanguage(clip(accept)); err == nil {
		want = append(want, tags...)
	}
	return want
}

// clip cuts s to MaxPreferencesLen bytes, after its last whole entry.
func clip(s string) string {
	if len(s) > MaxPreferencesLen {
		s = s[:MaxPreferencesLen]
		if i := strings.LastIndexByte(s, ','); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// Direction returns "rtl" for languages written right to left and "ltr"
// otherwise.
func Direction(t language.Tag) string {
	s, _ := t.Script()
	switch s.String() {
	case "Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr":
		return "rtl"
	}
	return "ltr"
}
