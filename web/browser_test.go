package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
)

// waitWasm waits until the wasm has taken over the page.
func waitWasm() chromedp.Action { return waitFor(`#eula-page[data-wasm="on"]`) }

// records returns every record in the store.
func (ts *testServer) records(t *testing.T) []eula.Record {
	t.Helper()
	var out []eula.Record
	err := ts.store.Records(context.Background(), eula.Filter{}, func(r eula.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBrowserAccept is the walking skeleton end to end: the page loads in
// Chromium, the wasm (booted by go-app's own wasm_exec.js) takes over, the
// reader clicks accept and sees the result, and the store holds the record.
func TestBrowserAccept(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{})
	var product, outcome string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?product=husky-m20&lang=en&installer=machine-1&iv=1.2.3"),
		waitWasm(),
		text("#eula-product", &product),
		click("#eula-accept"),
		waitFor(`#eula-outcome[data-decision="accepted"]`),
		text("#eula-outcome", &outcome),
	)
	if err != nil {
		t.Fatal(err)
	}
	if product != "Milestone Husky™ M20" {
		t.Errorf("product shown %q", product)
	}
	if !strings.Contains(outcome, "accepted") {
		t.Errorf("outcome shown %q", outcome)
	}
	recs := ts.records(t)
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	r := recs[0]
	if r.Decision != eula.Accepted || r.Product != "husky-m20" || r.Installer.MachineID != "machine-1" ||
		r.Installer.Version != "1.2.3" || r.Document.Language != "en" || r.Channel != eula.ChannelInstaller {
		t.Errorf("record %+v", r)
	}
}

// TestBrowserWithoutWasm posts the plain form: a browser where the wasm does
// not run still records the decision through the same server path.
func TestBrowserWithoutWasm(t *testing.T) {
	ts := newTestServer(t)
	ctx := headless.New(t, headless.Options{})
	var outcome string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?product=husky-m20&lang=ru&wasm=false"),
		waitFor("#eula-decline"),
		click("#eula-decline"),
		waitFor("#eula-decline-yes"), // declining asks first, without the wasm too
		click("#eula-decline-yes"),
		waitFor(`#eula-outcome[data-decision="declined"]`),
		text("#eula-outcome", &outcome),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(outcome, "Вы отказались") { // the outcome in the page's language
		t.Errorf("outcome shown %q", outcome)
	}
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Decision != eula.Declined || recs[0].Document.Language != "ru" {
		t.Fatalf("records %+v", recs)
	}
}

// TestBrowserWasmFails shows the reader a plain message, and the text, when
// app.wasm cannot be loaded.
func TestBrowserWasmFails(t *testing.T) {
	ts := newTestServer(t)
	ctx := headless.New(t, headless.Options{})
	var label string
	var textVisible, findShown, printed bool
	err := chromedp.Run(ctx,
		blockWasm(ts),
		chromedp.Navigate(ts.URL+"/?product=husky-m20&lang=en"),
		waitFor(".eula-wasm-failed"),
		text("#app-wasm-loader-label", &label),
		// Print still prints; the find box, which needs the wasm, is gone.
		chromedp.Evaluate(`window.print = () => { window.__printed = true; }; document.querySelector("#eula-find").checkVisibility()`, &findShown),
		click("#eula-print"),
		chromedp.Evaluate(`!!window.__printed`, &printed),
		chromedp.Evaluate(`(() => { const e = document.querySelector(".eula-section"); const r = e.getBoundingClientRect(); return r.height > 0 && document.elementFromPoint(r.left + 5, r.top + 5) !== null && getComputedStyle(e).visibility === "visible"; })()`, &textVisible),
	)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(label, "Failed to fetch") || strings.Contains(label, "TypeError") || !strings.Contains(label, "You can still read") {
		t.Errorf("loader says %q", label)
	}
	if !textVisible {
		t.Error("the text is not visible when the wasm fails")
	}
	if findShown || !printed {
		t.Errorf("without the wasm: find box shown %v (want hidden), print printed %v (want true)", findShown, printed)
	}
}
