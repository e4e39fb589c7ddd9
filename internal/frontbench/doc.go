// Package frontbench holds eulagate's front-end benchmark, run by
// `make bench`: BenchmarkFrontEnd loads four pages in headless Chromium,
// each served in-process on loopback, and prints their figures side by side.
//
// # Pages
//
//   - (a) the English EULA as one static HTML page with a plain accept
//     form, rendered by eula/render and served by http.FileServer,
//     uncompressed;
//   - (b) a go-app hello world (package hello, its wasm built at the
//     benchmark's start), served by go-app's handler set up as eulagate's
//     is, its app.wasm precompressed with brotli and gzip and served like
//     eulagate's;
//   - (c) eulagate's viewer, web.New over a fresh SQLite store, on the
//     whole EULA as an installer opens it;
//   - (d) page (a) with a service worker that serves pages from the
//     network first and keeps a copy of each for offline use, as
//     eulagate's worker does: the floor of a page that must open offline,
//     which says how much of eulagate's distance from (a) on a reload is
//     the worker's.
//
// # Figures
//
// Each page is loaded cold (a fresh Chromium profile) and then warm (a
// reload in the same profile), five times each, at 1× and 4× CPU throttle
// (emulation.SetCPUThrottlingRate). A script injected before the page's own
// (page.AddScriptToEvaluateOnNewDocument) checks on every animation frame,
// and records the time since navigation start of the first frame in which
//
//   - text visible: the first paragraph of the EULA has a box, is visible
//     and is not covered (document.elementFromPoint finds it, so go-app's
//     loading overlay would count as covering it);
//   - accept possible: the accept button is present, enabled and not
//     covered;
//   - wasm interactive: the page carries data-wasm="on", which only the
//     wasm renders.
//
// Bytes transferred are counted at each server (status line, headers and
// bodies as sent), from the navigation until the network has been quiet
// for half a second, so they include what go-app's service worker fetches
// on installing. The language switch is timed in the page, from picking
// another language in the viewer's picker to the first paragraph showing
// the new text. app.wasm's sizes are read from web/static, where
// `make build` leaves them.
//
// Nothing is asserted: the targets of issues 8 and 21 are printed as met or
// missed, and the figures of issue 21's table are added to the run's
// summary (package benchsummary).
package frontbench
