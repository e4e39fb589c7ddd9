package eula

import (
	"strings"

	"golang.org/x/text/language"
)

// MaxLanguageInput bounds the language preferences ChooseLanguage reads; a
// longer Accept-Language header is cut.
const MaxLanguageInput = 512

// LanguageChoice is the language the viewer shows and why.
type LanguageChoice struct {
	// Index is the position of the chosen language in the available list.
	Index int
	// Tag is available[Index].
	Tag language.Tag
	// Unavailable is the language the reader asked for first (a BCP 47
	// tag, or the text asked for if it is no tag) when it is not available
	// and another one is shown instead; empty otherwise.
	Unavailable string
}

// ChooseLanguage picks the language to show from the available ones (the
// original first), in this order: an explicit choice (the URL's lang, or the
// embedding host's), the reader's earlier choice, then the reader's
// preferences (an Accept-Language header or navigator.languages joined with
// commas), matched with language.Matcher so that ru-RU gets Russian. When
// the first language the reader asked for is not available, the original is
// shown (or the best other match) and Unavailable names what was asked.
//
// The choice is made by the index the matcher returns, never by the string
// of the tag it returns (which can carry extensions such as -u-rg-).
func ChooseLanguage(available []language.Tag, explicit, remembered, preferences string) LanguageChoice {
	if len(available) == 0 {
		return LanguageChoice{Index: -1}
	}
	m := language.NewMatcher(available)
	pick := func(tags []language.Tag) (int, bool) {
		if len(tags) == 0 {
			return 0, false
		}
		_, i, conf := m.Match(tags...)
		return i, conf != language.No
	}
	choose := func(i int) LanguageChoice { return LanguageChoice{Index: i, Tag: available[i]} }

	if explicit = strings.TrimSpace(explicit); explicit != "" {
		t, err := language.Parse(clipLang(explicit))
		if i, ok := pick([]language.Tag{t}); err == nil && ok {
			return choose(i)
		}
		c := choose(0)
		c.Unavailable = t.String()
		if err != nil {
			c.Unavailable = clipLang(explicit)
		}
		return c
	}
	if t, err := language.Parse(clipLang(strings.TrimSpace(remembered))); remembered != "" && err == nil {
		if i, ok := pick([]language.Tag{t}); ok {
			return choose(i)
		}
	}
	prefs, _, err := language.ParseAcceptLanguage(clipLang(preferences))
	if err != nil || len(prefs) == 0 {
		return choose(0)
	}
	i, ok := pick(prefs)
	if !ok {
		i = 0
	}
	c := choose(i)
	if _, ok := pick(prefs[:1]); !ok {
		c.Unavailable = prefs[0].String()
	}
	return c
}

func clipLang(s string) string {
	if len(s) > MaxLanguageInput {
		s = s[:MaxLanguageInput]
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
