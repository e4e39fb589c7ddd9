// Package app holds the go-app components of eulagate's viewer and the one
// route table that both mains (the wasm front end and the server's
// prerendering) register.
//
// # Pages
//
// Routes lists every page: the viewer (Page); the first-boot confirmation
// of a dealer's acceptance, which is the viewer with who accepted for whom
// and when (View.Confirmation); and the dealer's form and its receipt
// (DealerPage, View.DealerForm and View.Receipt). The server prerenders
// each, so that it works as plain HTML before and without the wasm: real
// forms that the server answers, <details> for what opens and closes.
//
// # Components
//
// One small component per file. Components do no I/O and hold no rules:
// they render a View, and their event handlers fire actions (ActionLoad,
// ActionDecide, ActionSwitchLanguage, ActionLanguageIntent, ActionFind,
// ActionWatchEnd, ActionFocus, ActionPrint, ActionLoadOriginals). What
// answers those actions differs by side: on the server, package web loads
// and renders the document for prerendering; in the browser, package
// app/client reads the prerendered page and talks to the HTTP API. Both
// publish results as states (StateView, StateOutcome,
// StateFind, StateReachedEnd) that the components observe.
//
// # Console
//
// ConsolePage is every page of the administrators' console: it lays out a
// ConsoleView that the server prepared (and handed over like the View,
// through ActionConsoleLoad and StateConsole), with plain forms and links
// that work without the wasm. In the browser it renders the prerendered
// ConsoleView again; any other console page is loaded from the server,
// which holds the session. Its charts' bars are SVG drawn from numbers
// only (barSVG), the only raw HTML it writes.
//
// # Decisions
//
// The reader's decision leaves the viewer through one interface: the
// ActionDecide action with a DecisionRequest. The browser side posts it to
// the API; the plain form (before or without the wasm) posts the same
// fields to PathDecide.
//
// # Interface strings
//
// Every label comes from the View's Labels, which the server fills from
// the message catalogs of locales/ui in the shown language; the wasm embeds
// no catalog, and Labels.Format (api.Labels) fills a label's {1}, {2}, ...
// The names of the languages in the picker (each in itself) and the note
// that a language is not available are prepared by the server too.
//
// # Server HTML
//
// go-app v9.8.0 writes attribute values with strconv.Quote and writes the
// value "true" as a bare attribute: dynamic values go through attr, boolean
// attributes through disable, selected and hide, and data attributes use
// "on"/"off".
//
// # Props and state
//
// Exported fields of a component are props set by its parent and never
// written by the component; unexported fields are its own state.
package app
