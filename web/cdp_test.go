package web_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web/internal/goappfix"
)

// Short names for the JavaScript-based actions of package headless, which
// survive go-app replacing the page and navigations.
var (
	waitFor  = headless.WaitFor
	waitJS   = headless.WaitJS
	click    = headless.Click
	text     = headless.Text
	jsString = headless.JS
)

// blockWasm makes the browser fail to fetch app.wasm, as when WebAssembly
// cannot start.
func blockWasm(ts *testServer) chromedp.Action {
	return chromedp.Tasks{
		network.Enable(),
		network.SetBlockedURLs().WithURLPatterns([]*network.BlockPattern{{URLPattern: ts.URL + "/web/app.wasm", Block: true}}),
	}
}

// beforeWasm opens path with app.wasm delayed (slowWasm), waits for sel and
// reads the page's data-wasm into wasm ("off" until the wasm has run), so
// that a test acts on the page as a reader does before the wasm takes it
// over.
func beforeWasm(ts *testServer, path, sel string, wasm *string) chromedp.Action {
	return chromedp.Tasks{
		slowWasm(ts),
		chromedp.Navigate(ts.URL + path),
		waitFor(sel),
		chromedp.Evaluate(`document.querySelector("#eula-page").dataset.wasm`, wasm),
	}
}

// skipIfWasmRan skips a test whose reader was to act before the wasm ran
// when it ran first (wasm, as beforeWasm read it, is not "off").
func skipIfWasmRan(t *testing.T, wasm string) {
	t.Helper()
	if wasm != "off" {
		t.Skipf("the wasm ran before the test could act (data-wasm %q)", wasm)
	}
}

// slowWasm delays app.wasm by 1.5 s, so that a test can act on the page
// before the wasm takes it over. The server holds the request (wasmWatch):
// no protocol method of one Chromium version is needed
// (Network.emulateNetworkConditionsByRule is not in Chromium 148).
func slowWasm(ts *testServer) chromedp.Action {
	return chromedp.ActionFunc(func(context.Context) error {
		ts.wasm.delay.Store(int64(1500 * time.Millisecond))
		return nil
	})
}

// wasmWatch serves next, counting the downloads of app.wasm (answers 200
// with the file, not 304 to a revalidation) and holding each request for
// delay first: the server's side of slowWasm, which works in any browser
// and any version of its protocol.
type wasmWatch struct {
	next      http.Handler
	delay     atomic.Int64 // nanoseconds
	downloads atomic.Int64
	// fail makes app.wasm unavailable (503), as when it cannot be loaded,
	// in any browser.
	fail atomic.Bool
}

// ServeHTTP implements http.Handler.
func (w *wasmWatch) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.URL.Path != goappfix.WasmPath {
		w.next.ServeHTTP(rw, r)
		return
	}
	if d := time.Duration(w.delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if w.fail.Load() {
		http.Error(rw, "app.wasm is unavailable", http.StatusServiceUnavailable)
		return
	}
	sw := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
	w.next.ServeHTTP(sw, r)
	if sw.status == http.StatusOK && r.Method == http.MethodGet {
		w.downloads.Add(1)
	}
}

// reset forgets the downloads counted so far.
func (w *wasmWatch) reset() { w.downloads.Store(0) }

// statusWriter notes the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader implements http.ResponseWriter.
func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
