package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
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
// before the wasm takes it over.
func slowWasm(ts *testServer) chromedp.Action {
	return chromedp.Tasks{
		network.Enable(),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := network.EmulateNetworkConditionsByRule([]*network.Conditions{{
				URLPattern: ts.URL + "/web/app.wasm", Latency: 1500, DownloadThroughput: -1, UploadThroughput: -1,
			}}).Do(ctx)
			return err
		}),
	}
}
