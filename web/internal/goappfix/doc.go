// Package goappfix holds the server side of every workaround for go-app
// v9.8.0 (github.com/maxence-charriere/go-app/v9) in eulagate's viewer, so
// that a later go-app can drop them one by one. Package web serves the
// viewer through its Handler: New sets go-app's hooks, ServeResource
// serves go-app's own resources, ServePage the prerendered pages.
//
// Each workaround below says what go-app v9.8.0 does, what is done about
// it, and how to tell that it can go. The parts that must run in the
// browser cannot live here (the wasm never imports package web); they are
// listed under "Browser side" with where they are.
//
// # The page rewrite (pageRewrite)
//
// go-app writes every page with a link to its app.css, a viewport that
// forbids zooming (user-scalable=0, against WCAG 1.4.4), and no hint that
// app.wasm will be needed until its deferred app.js runs after the whole
// page. The rewrite removes the app.css link (the page's own style sheet
// has the rules of it the page uses, web/static/eulagate.css), puts
// in a viewport that lets the reader zoom, starts app.wasm's download in the head
// (unless app.js will not load it: robots, ?wasm=false, the same test as
// app.js's goappCanLoadWebAssembly) and inserts boot.js, deferred, ahead of
// go-app's scripts. Drop a part when go-app's Handler can leave app.css out, takes a
// viewport, and starts the download or lets the page's own script provide the
// module; web's TestPageHeadInline says what the page must hold either way.
//
// # The app.js patches (appJSPatches)
//
// go-app's app.js shows a failed wasm load as the raw error ("TypeError:
// Failed to fetch") over the page, fetches app.wasm itself only after the
// page, counting progress in JavaScript on the main thread, and runs the
// wasm's first render in the same task as the instantiation. Three exact
// statements of it are replaced: the error goes to boot.js's message in the
// reader's language; the module boot.js compiled from that download is used,
// and the browser paints the page once before the first render; boot.js's
// takeover runs around go.run (see "The view handover"). TestAppJSPatches
// here (each statement found in go-app's app.js) and web's TestAppJSPatched
// (the patched app.js served) fail when go-app's text changes: then redo
// the patch, or drop it if the new app.js does the same.
//
// # The view handover (ServePage, publish)
//
// go-app prerenders a page by running the components on the server, and
// their actions are answered by process-wide handlers that see the page's
// URL but not the HTTP request, so a handler cannot reach what the server
// prepared for this request (the View: language chosen from the request's
// headers and cookie, CSRF token, outcome). ServePage keeps the View under
// a random token, adds the token to the URL that go-app's prerendering
// sees (viewParam), and the ActionLoad handler registered by New (publish)
// finds the View by it and publishes it as ui.StateView, with the page's
// language and title. go-app writes that URL into the page's og:url meta
// element, token included: the token is forgotten once the page is
// written, so it gives nothing away. Drop it when go-app lets a page be
// prerendered with state given by the caller (or hands the request to
// action handlers).
//
// # The shared ETag and Handler.Version
//
// go-app answers every resource it serves with one ETag, its
// Handler.Version (a hash of the start time if unset), and answers 304 to
// any request carrying it: a page in another language, or after a
// decision, would be answered 304 with the page the browser kept. New sets
// Version to the build's hash (the service worker's cache is named by it,
// and go-app's own resources change only with the build); ServePage drops
// If-None-Match from the request and the ETag from the answer, and the
// server sends pages no-store. Static files under /web/ are the server's
// own, each with a content-hash ETag (web/assets.go). Drop it when go-app
// derives ETags from content or leaves pages without one; TestServePage
// here and web's TestPrerenderedText check that a page has no ETag.
//
// # app.wasm served by the server, compressed (Resources, WasmSizeHeader)
//
// go-app serves app.wasm, and everything under /web/, from a directory on
// disk with http.FileServer: uncompressed (8 MB; 1.5 MB with brotli), and
// not from the binary. Resources (resources, not an http.Handler) names
// WasmPath, which the server serves from its embedded files,
// precompressed, and WasmContentLengthHeader names WasmSizeHeader, the
// uncompressed size that app.js's progress needs when the body is
// compressed. Drop it when go-app serves a compressed app.wasm from an
// fs.FS.
//
// # Icons
//
// go-app's default icons are fetched from GitHub; its service worker caches
// them at install, so offline (a kiosk, an appliance at first boot) the
// worker fails to install, silently. New refuses a Handler with an icon
// left to the default; the icons are web/static's. web's
// TestNoExternalResources checks the manifest and the worker.
//
// # Process-wide registries
//
// go-app's routes and action handlers are process-wide, shared by every
// Server in a process (the tests start many): New registers publish once,
// and web registers the routes once.
//
// # Browser side
//
// These parts run in the browser, so they live beside the code they serve;
// each is listed here so that nothing is left behind when one goes:
//
//   - go-app does not hydrate: its first render builds the page anew and
//     would blank the prerendered text and lose what the reader did. The
//     page carries its View as JSON (app.prerenderedView, app.View.Meta);
//     app/client's readPrerendered reads it and marks the sections Adopt
//     (app.Section.Adopt); app.SetPreloaded and Page.OnInit start the first
//     Page from it; boot.js's takeover and keepInput move the prerendered
//     section bodies and the reader's input, focus and place into the new
//     page (web/static/boot.js). Drop them when go-app hydrates.
//   - go-app's loading overlay covers the prerendered text until the wasm
//     runs: web/static/eulagate.css restyles .goapp-app-info into a small
//     line in a corner, and carries the rules of app.css the page uses
//     (.goapp-spin), since app.css is not linked.
//   - boot.js's failed (window.eulagateWasmFailed) and the early compile
//     (window.eulagateWasm, window.eulagateAfterPaint) are the other halves
//     of the app.js patches.
//   - go-app handles every click on a link itself (window.onclick): it
//     prevents the browser's navigation, and for a link within the page
//     scrolls to the target but leaves the focus on the link, so that a
//     skip link skips nothing for a keyboard. app/page.go's inPageLink
//     stops such a click at the link, and the browser moves the focus to
//     the target (tabindex=-1 where it is not focusable by itself). web's
//     TestViewerSkipToDecision checks it; drop it when go-app leaves
//     in-page links to the browser or moves the focus.
//   - go-app's server HTML writes attribute values with strconv.Quote (Go
//     syntax, not HTML escaping) and a false boolean attribute as
//     attr="false", which a browser reads as set: app/attr.go's attr,
//     disable, selected and hide, and onOff for data attributes (package
//     app, "Server HTML"). Drop them when go-app escapes attribute values
//     as HTML and leaves false boolean attributes out; web's
//     TestHostileQueryIsText checks a hostile value stays text.
//
// # Not a workaround
//
// The service worker template (web/worker.go) uses go-app's hook for it to
// cache pages by language and to keep the dealer's pages off the device:
// that is the viewer's policy, not a defect of go-app's, and stays in web.
package goappfix
