package web

import (
	"strconv"
	"strings"

	ui "github.com/eulagate/eulagate/app"
)

// dealerLabels are the strings of the dealer's pages in one language: the
// "dealer." messages of the viewer's catalogs (locales/ui), so that a new
// language is a new file there, for these pages too.
type dealerLabels struct {
	lang string
	l    ui.Labels
}

// dealerLang chooses the language of a dealer's page: the lang parameter,
// else the browser's Accept-Language, else English.
func dealerLang(param, accept string) dealerLabels {
	tag, set := labelsOf(preferredTags(param, accept))
	return dealerLabels{lang: tag.String(), l: set.dealer}
}

// dealerKeys starts the keys of the dealer pages' messages in the catalogs.
const dealerKeys = "dealer."

// Get returns the string for key.
func (l dealerLabels) Get(key string) string { return l.l.Get(dealerKeys + key) }

// Format returns the string for key with {1}, {2}, ... replaced by args,
// in one pass: an argument that itself holds "{2}" stays as it is.
func (l dealerLabels) Format(key string, args ...string) string {
	s := l.Get(key)
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[max(i, 0):], '}') + max(i, 0)
		if i < 0 || j < i {
			b.WriteString(s)
			return b.String()
		}
		n, err := strconv.Atoi(s[i+1 : j])
		b.WriteString(s[:i])
		if err == nil && 1 <= n && n <= len(args) {
			b.WriteString(args[n-1])
		} else {
			b.WriteString(s[i : j+1])
		}
		s = s[j+1:]
	}
}

// Split returns the string for key cut around its one {link text}: before,
// the link text, after.
func (l dealerLabels) Split(key string) [3]string {
	s := l.Get(key)
	i, j := strings.IndexByte(s, '{'), strings.IndexByte(s, '}')
	if i < 0 || j < i {
		return [3]string{s, "", ""}
	}
	return [3]string{s[:i], s[i+1 : j], s[j+1:]}
}
