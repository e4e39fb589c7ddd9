package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
)

// TestBrowserMustReadWithoutScripts reads a must-read page in a browser
// with JavaScript off: "I accept" waits, the reader says at the end of the
// text that they have read it, the server sends them back with "I accept"
// enabled, and accepting records the decision. go-app's loader, which would
// stay at "0%", covers nothing.
func TestBrowserMustReadWithoutScripts(t *testing.T) {
	ts := newTestServer(t)
	_, plain, _ := dealerProducts(t)
	l := englishLabels(t)
	ctx := headless.New(t, headless.Options{Width: 800, Height: 600, Flags: map[string]any{"blink-settings": "scriptEnabled=false"}})
	var scripts, acceptOff, loaderShown, acceptAfter bool
	var button, outcome, readURL string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?lang=en&mustread=1&installer=m-nojs&product="+plain.Key),
		chromedp.WaitReady("#eula-read-end", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('[data-wasm="on"]') !== null || !!window.eulagate`, &scripts),
		chromedp.Evaluate(`document.querySelector("#eula-accept").disabled`, &acceptOff),
		chromedp.Evaluate(`(() => { const e = document.querySelector(".goapp-app-info"); return !!e && e.getClientRects().length > 0; })()`, &loaderShown),
		chromedp.Text("#eula-read-end", &button, chromedp.ByQuery),
		screenshot(t, "mustread-nojs-start"),
		chromedp.Click("#eula-read-end", chromedp.ByQuery),
		chromedp.WaitReady(`#eula-accept:not([disabled])`, chromedp.ByQuery),
		chromedp.Evaluate(`!document.querySelector("#eula-accept").disabled && !document.querySelector("#eula-read-end")`, &acceptAfter),
		screenshot(t, "mustread-nojs-read"),
		chromedp.Location(&readURL),
		chromedp.Click("#eula-accept", chromedp.ByQuery),
		chromedp.WaitReady(`#eula-outcome[data-decision="accepted"]`, chromedp.ByQuery),
		chromedp.Text("#eula-outcome", &outcome, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if scripts {
		t.Fatal("scripts ran: the test does not show the page without them")
	}
	if !acceptOff || loaderShown || button != l["mustread.done"] {
		t.Errorf("before: accept disabled %v, loader shown %v, end button %q", acceptOff, loaderShown, button)
	}
	if !acceptAfter {
		t.Error(`after "I have read to the end": "I accept" is not enabled`)
	}
	if outcome != l["outcome.accepted"] {
		t.Errorf("outcome %q", outcome)
	}
	if recs := ts.records(t); len(recs) != 1 || recs[0].Installer.MachineID != "m-nojs" {
		t.Errorf("records %+v", recs)
	}

	// axe-core needs scripts: it checks the same two pages in a browser
	// where the wasm cannot start.
	ctx = headless.New(t, headless.Options{Width: 800, Height: 600})
	err = chromedp.Run(ctx,
		blockWasm(ts),
		chromedp.Navigate(ts.URL+"/?lang=en&mustread=1&installer=m-axe&product="+plain.Key),
		waitFor("#eula-read-end"),
		axe(t, "must-read, plain page"),
		chromedp.Navigate(readURL),
		waitFor("#eula-accept"),
		axe(t, "must-read, plain page read to the end"),
	)
	if err != nil {
		t.Fatal(err)
	}
}
