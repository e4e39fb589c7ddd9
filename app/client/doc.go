// Package client answers the viewer's actions in the browser: it hands the
// prerendered View to the first page (so the wasm takes over without a
// flash), loads other views from the HTTP API, and records decisions through
// it.
//
// The prerendered View is read without encoding/json (decodeView): the
// first render waits for it, and encoding/json's decoder is large code the
// browser compiles on its first call, on the main thread.
//
// # Side
//
// Only the wasm main registers these handlers; the server registers its own
// (package web) for prerendering. The API is called through the one typed
// client, api.Client, whose Doer here is the browser's fetch through
// go-app's JS bridge instead of net/http, which would add megabytes to the
// wasm.
package client
