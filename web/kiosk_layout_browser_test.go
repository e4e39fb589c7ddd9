package web_test

import (
	"math"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
)

// TestBrowserKioskLayout opens the kiosk's page on its 1024×768 screen:
// the sticky header's rows are centred over the text, and the first Tab
// reaches "Skip to the decision", whose target holds "I accept".
func TestBrowserKioskLayout(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	_, plain, _ := dealerProducts(t)
	l := englishLabels(t)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	var rects map[string]float64
	var first, afterSkip string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?lang=en&kiosk=1&installer=k-1&product="+plain.Key),
		headless.WaitJS(`document.querySelector('[data-wasm="on"]') !== null`),
		chromedp.Evaluate(`(() => { const h = document.querySelector(".eula-header-top").getBoundingClientRect(), m = document.querySelector("#main").getBoundingClientRect();
			return {headerLeft: h.left, headerRight: h.right, mainLeft: m.left, mainRight: m.right}; })()`, &rects),
		screenshot(t, "kiosk-layout"),
		key("\t"),
		chromedp.Evaluate(`document.activeElement.innerText`, &first),
		chromedp.Evaluate(`(() => { const t = document.querySelector(document.activeElement.getAttribute("href")); return t && t.querySelector("#eula-accept") ? t.id : ""; })()`, &afterSkip),
		axe(t, "kiosk"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rects["headerLeft"]-rects["mainLeft"]) > 1 || math.Abs(rects["headerRight"]-rects["mainRight"]) > 1 {
		t.Errorf("header not aligned with the text: %v", rects)
	}
	if first != l["skip.decision"] {
		t.Errorf("first Tab on %q, want %q", first, l["skip.decision"])
	}
	if afterSkip != "eula-decision" {
		t.Errorf("the skip link leads to %q, not to the decision", afterSkip)
	}
}
