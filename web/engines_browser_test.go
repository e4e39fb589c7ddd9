package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web/internal/goappfix"
)

// TestViewerOneWasmDownload loads a page in a fresh browser and counts the
// downloads of app.wasm at the server: the head's fetch and boot.js's
// compile are one download, and the service worker's install leaves
// app.wasm to it (the page has the worker keep its download: the worker's
// cache holds app.wasm after the first page, without a second download,
// so the next page, offline too, starts from it). It writes the ja page at
// 800×600 to testdata/artifacts/engine-chromium-ja-800x600.png, beside
// TestEngines' pages of the other engines.
func TestViewerOneWasmDownload(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ts.wasm.reset()
	ctx := headless.New(t, headless.Options{Width: 800, Height: 600})
	err := chromedp.Run(ctx,
		resize(800, 600),
		chromedp.Navigate(ts.URL+"/?lang=ja"),
		waitWasm(),
		screenshot(t, "engine-chromium-ja-800x600"),
		axe(t, "ja page"),
		// The service worker installs after the wasm runs; let it fetch
		// what it caches.
		chromedp.Sleep(time.Second),
		waitJS(`(caches.match("`+goappfix.WasmPath+`").then((r) => { window.wasmKept = !!r; }), window.wasmKept === true)`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if n := ts.wasm.downloads.Load(); n != 1 {
		t.Errorf("app.wasm was downloaded %d times on a first visit, want 1", n)
	}
}
