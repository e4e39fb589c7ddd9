// Package web is eulagate's HTTP server: the prerendered viewer (go-app's
// handler, fed by server-side action handlers), the embedded static assets
// served precompressed, the versioned JSON API and the plain HTML form path
// that records a decision without the wasm.
//
// # Contract
//
// The API's paths, bodies and error codes are package api's: routes are
// registered with its path constants, answers have its shapes
// (contract_test.go calls every endpoint through api.Client and checks that
// each answer decodes into its api type without loss), and openapi.json,
// served at api.PathOpenAPI, is tested against api.Endpoints and the api
// types (openapi_test.go).
//
// # Errors
//
// Handlers return errors; writeError maps the domain's sentinels (package
// eula) to HTTP status codes and the JSON body api.ErrorBody, with api's
// codes, in one table, and logs only server faults.
//
// # Assets
//
// Everything under static/ is embedded, including app.wasm and the .br and
// .gz variants that `make` precompresses. Each asset's ETag is a hash of its
// content, and go-app's Handler.Version is a hash of the whole build, so a
// rebuilt wasm is never served stale.
//
// # Page cache
//
// A viewer page is rendered once per version, language, product, flags,
// host and browser languages and kept gzip-compressed in pieces between its
// two per-request values, the CSRF token and the idempotency key, which
// each answer splices in as stored deflate blocks (pagecache.go): no render
// and no compression per request. Pages for an installation or with an
// outcome are rendered for each request.
//
// # go-app
//
// go-app's handler serves the viewer's and the console's pages and its own
// resources through package goappfix (web/internal/goappfix), which holds
// every workaround for go-app v9.8.0 and says how to tell when each can go.
// The console's pages get their ConsoleView through the same kind of
// handover as the viewer's View (console_view.go).
//
// # Languages
//
// The document's language is chosen by i18n.Choose, the interface strings'
// (labels.go: the viewer's and the dealer pages', from locales/ui) by
// i18n's matcher too; messages are filled by api.Labels.Format.
package web
