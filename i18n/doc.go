// Package i18n chooses the language a reader is shown and fills in the
// messages shown in it: the one language matcher and the one Format of
// eulagate, used by the documents (the EULA, the privacy policy), the
// interface's catalogs (locales/ui), the viewer, the dealer's pages and
// the commands.
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
// Messages hold their arguments as {1}, {2}, ... (package locales/ui
// turns its catalogs' %[1]s into them). Format fills them in one pass, so
// that an argument holding "{2}" is shown as typed.
//
// # In the wasm
//
// The wasm formats the labels the server sent but chooses nothing: only
// Format (format.go, standard library only) is built for GOARCH=wasm. The
// matcher's files are built only outside it, so that app.wasm does not
// carry golang.org/x/text/language's tables (+154 kB raw, measured).
package i18n
