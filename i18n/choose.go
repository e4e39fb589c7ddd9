package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Choice is the language the viewer shows and why.
type Choice struct {
	// Index is the position of the chosen language in the available list.
	Index int
	// Tag is available[Index].
	Tag language.Tag
	// Unavailable is the language the reader asked for first (a BCP 47
	// tag, or the text asked for if it is no tag) when it is not available
	// and another one is shown instead; empty otherwise.
	Unavailable string
}

// Choose picks the language to show from the available ones (the original
// first), in this order: an explicit choice (the URL's lang, or the
// embedding host's), the reader's earlier choice, then the reader's
// preferences (an Accept-Language header or navigator.languages joined with
// commas), matched by a Matcher so that ru-RU gets Russian. When the first
// language the reader asked for is not available, the original is shown (or
// the best other match) and Unavailable names what was asked.
func Choose(available []language.Tag, explicit, remembered, preferences string) Choice {
	if len(available) == 0 {
		return Choice{Index: -1}
	}
	m := NewMatcher(available)
	choose := func(i int) Choice { return Choice{Index: i, Tag: available[i]} }

	if explicit = strings.TrimSpace(explicit); explicit != "" {
		t, err := language.Parse(clip(explicit))
		if i, ok := m.Match(t); err == nil && ok {
			return choose(i)
		}
		c := choose(0)
		c.Unavailable = t.String()
		if err != nil {
			c.Unavailable = clip(explicit)
		}
		return c
	}
	if t, err := language.Parse(clip(strings.TrimSpace(remembered))); remembered != "" && err == nil {
		if i, ok := m.Match(t); ok {
			return choose(i)
		}
	}
	prefs, _, err := language.ParseAcceptLanguage(clip(preferences))
	if err != nil || len(prefs) == 0 {
		return choose(0)
	}
	i, _ := m.Match(prefs...) // 0, the original, when none is available
	c := choose(i)
	if _, ok := m.Match(prefs[0]); !ok {
		c.Unavailable = prefs[0].String()
	}
	return c
}
