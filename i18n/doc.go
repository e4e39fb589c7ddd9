// Package i18n chooses the language a reader is shown: the one language
// matcher of eulagate, used for the documents (the EULA, the privacy
// policy), the interface's catalogs (locales/ui), the viewer, the dealer's
// pages and the commands.
//
// # Choosing
//
// A Matcher chooses among the languages available (a document's
// translations, the catalogs) with golang.org/x/text/language's matcher,
// so that ru-RU gets ru and en-GB gets en, and returns the index of the
// chosen one in the caller's list: a document or catalog is picked by that
// index, never by the string of the tag the matcher returns (which can be
// en-u-rg-gbzzzz). Choose adds the viewer's rule (an explicit choice, then
// the remembered one, then the reader's preferences, saying when the
// language asked for first is not available); Preferences turns a lang
// parameter and an Accept-Language header into the list to match.
//
// # Formatting
//
// Messages hold their arguments as {1}, {2}, ... (package locales/ui turns
// its catalogs' %[1]s into them), and the one formatter is
// api.Labels.Format: labels travel to the browser in the View, and both the
// server and the wasm fill them. It lives with the type in package api,
// which holds to the standard library.
//
// # Server only
//
// The wasm chooses no language (the server sends the labels of the shown
// one) and never imports this package: golang.org/x/text/language's tables
// would add 154 kB raw to app.wasm even unused (measured), and
// wasm/deps_test.go forbids it there.
package i18n
