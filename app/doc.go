// Package app holds the go-app components of eulagate's viewer and the one
// route table that both mains (the wasm front end and the server's
// prerendering) register.
//
// # Components
//
// One small component per file. Components do no I/O and hold no rules:
// they render a View, and their event handlers fire actions (ActionLoad,
// ActionDecide). What answers those actions differs by side: on the server,
// package web loads and renders the document for prerendering; in the
// browser, package app/client reads the prerendered page and talks to the
// HTTP API. Both publish results as states (StateView, StateOutcome) that the
// components observe.
//
// # Props and state
//
// Exported fields of a component are props set by its parent and never
// written by the component; unexported fields are its own state.
package app
