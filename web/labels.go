package web

import (
	"maps"
	"strings"
	"sync"

	"golang.org/x/text/language"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/i18n"
	uistrings "github.com/eulagate/eulagate/locales/ui"
)

// uiCatalog holds the interface strings of every language (locales/ui).
var uiCatalog = sync.OnceValues(uistrings.Load)

// labelSet is one language's interface strings: the viewer's, the dealer
// pages' (keys starting with dealerKeys) and the console's (consoleKeys).
type labelSet struct{ viewer, dealer, console, dealerPage ui.Labels }

// labelSets holds the labelSet of each language asked for so far, by the
// catalog's tag: the catalog does not change, and formatting all its
// messages took ~70 µs a request. The maps are shared: never modify them.
var labelSets sync.Map

// labelsOf returns the labelSet of the catalog's language that best serves
// want (see uistrings.Catalog.Match), and that language: English when none
// does (or when the embedded catalog is broken, which a test rules out).
func labelsOf(want []language.Tag) (language.Tag, labelSet) {
	c, err := uiCatalog()
	if err != nil {
		return language.English, labelSet{viewer: ui.Labels{}, dealer: ui.Labels{}, console: ui.Labels{}}
	}
	tag := c.Match(want...)
	if set, ok := labelSets.Load(tag); ok {
		return tag, set.(labelSet)
	}
	set := labelSet{viewer: ui.Labels{}, dealer: ui.Labels{}, console: ui.Labels{}}
	for key, msg := range c.Labels(tag) {
		if strings.HasPrefix(key, consoleKeys) {
			set.console[key] = msg
		} else if strings.HasPrefix(key, dealerKeys) {
			set.dealer[key] = msg
		} else {
			set.viewer[key] = msg
		}
	}
	set.dealerPage = maps.Clone(set.dealer)
	for _, k := range dealerPageViewerKeys {
		set.dealerPage[k] = set.viewer.Get(k)
	}
	for _, k := range consolePageViewerKeys {
		set.console[k] = set.viewer.Get(k)
	}
	labelSets.Store(tag, set)
	return tag, set
}

// labelsFor returns the viewer's interface strings in tag (English when it
// has none).
func labelsFor(tag language.Tag) ui.Labels {
	_, l := viewerLabels([]language.Tag{tag})
	return l
}

// viewerLabels returns the viewer's interface strings (see labelsOf) and
// their language: not the dealer pages' messages, which the viewer does
// not show and its View would otherwise carry to the browser.
func viewerLabels(want []language.Tag) (language.Tag, ui.Labels) {
	tag, set := labelsOf(want)
	return tag, set.viewer
}

// dealerLabels are the strings of the dealer's pages in one language: the
// "dealer." messages of the catalogs (locales/ui), so that a new language
// is a new file there, for these pages too.
type dealerLabels struct {
	lang string
	l    ui.Labels
}

// dealerLang chooses the language of a dealer's page: the lang parameter,
// else the browser's Accept-Language, else English.
func dealerLang(param, accept string) dealerLabels {
	tag, set := labelsOf(i18n.Preferences(param, accept))
	return dealerLabels{lang: tag.String(), l: set.dealer}
}

// dealerPageViewerKeys are the viewer's labels that the dealer's pages
// show too: the language picker's and the message of a wasm that did not
// start.
var dealerPageViewerKeys = []string{"lang.label", "lang.apply", "wasm.failed"}

// consolePageViewerKeys are the viewer's labels that the console's pages
// show too: the language picker's (ui.LanguagePicker).
var consolePageViewerKeys = []string{"lang.label", "lang.apply"}

// dealerPageLabels returns the labels of the dealer's pages (the form, its
// receipt) in the catalog's language that best serves want, and that
// language.
func dealerPageLabels(want []language.Tag) (language.Tag, ui.Labels) {
	tag, set := labelsOf(want)
	return tag, set.dealerPage
}

// dealerKeys starts the keys of the dealer pages' messages in the catalogs.
const dealerKeys = "dealer."

// Get returns the string for key.
func (l dealerLabels) Get(key string) string { return l.l.Get(dealerKeys + key) }

// confirmOwn are the viewer's labels that the first-boot confirmation page
// says in its own words (locales/ui "dealer.confirm."), and the dealer
// messages it shows besides the viewer's.
var (
	confirmOwn = map[string]string{
		"accept":           "dealer.confirm.accept",
		"decline":          "dealer.confirm.decline",
		"outcome.accepted": "dealer.confirm.accepted",
		"outcome.declined": "dealer.confirm.declined",
	}
	confirmKeys = []string{
		"dealer.confirm.title", "dealer.confirm.intro", "dealer.confirm.address", "dealer.confirm.otherproduct",
		"dealer.confirm.notfound", "dealer.receipt.reference", "dealer.receipt.product", "dealer.receipt.summary",
		"dealer.erased", "dealer.err.server",
	}
)

// confirmLabels returns the labels of the first-boot confirmation page in
// tag: the viewer's, with the confirmation's own words and messages.
func confirmLabels(tag language.Tag) ui.Labels {
	_, set := labelsOf([]language.Tag{tag})
	out := make(ui.Labels, len(set.viewer)+len(confirmKeys))
	for k, m := range set.viewer {
		out[k] = m
	}
	for _, k := range confirmKeys {
		out[k] = set.dealer.Get(k)
	}
	for k, from := range confirmOwn {
		out[k] = set.dealer.Get(from)
	}
	return out
}
