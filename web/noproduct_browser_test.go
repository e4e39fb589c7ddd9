package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/internal/headless"
	uicat "github.com/eulagate/eulagate/locales/ui"
)

// TestBrowserNoProduct opens the viewer in Russian without a product, as a
// dealer in a plain browser would: no decision is offered, and none is
// sent, until a product is chosen; a refusal by the server is shown in the
// reader's language, saying what to do, never as the server's English
// message.
func TestBrowserNoProduct(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	_, plain, _ := dealerProducts(t)
	cat, err := uicat.Load()
	if err != nil {
		t.Fatal(err)
	}
	ru := cat.Labels(language.Russian)
	ctx := headless.New(t, headless.Options{Width: 800, Height: 600})
	var acceptOff, declineOff, acceptOn, declineOn bool
	var reason, shown string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?lang=ru"),
		headless.WaitJS(`document.querySelector('[data-wasm="on"]') !== null && !!document.querySelector("#eula-product-select")`),
		chromedp.Evaluate(`document.querySelector("#eula-accept").disabled`, &acceptOff),
		chromedp.Evaluate(`document.querySelector("#eula-decline").disabled`, &declineOff),
		headless.Text("#eula-needproduct", &reason),
		// A click on the disabled button, as a script would, sends nothing.
		chromedp.Evaluate(`window.sent = 0; const f = window.fetch; window.fetch = (u, o) => { if (String(u).includes("decisions")) window.sent++; return f(u, o); }; document.querySelector("#eula-accept").click(); true`, nil),
		screenshot(t, "noproduct-ru"),
		axe(t, "viewer without a product"),
		chromedp.SetValue("#eula-product-select", plain.Key, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#eula-product-select").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		headless.WaitJS(`!document.querySelector("#eula-accept").disabled`),
		chromedp.Evaluate(`!document.querySelector("#eula-accept").disabled`, &acceptOn),
		chromedp.Evaluate(`!document.querySelector("#eula-decline").disabled`, &declineOn),
	)
	if err != nil {
		t.Fatal(err)
	}
	var sent int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.sent`, &sent)); err != nil {
		t.Fatal(err)
	}
	if !acceptOff || !declineOff || sent != 0 {
		t.Errorf("without a product: accept disabled %v, decline disabled %v, %d decisions sent", acceptOff, declineOff, sent)
	}
	if reason != ru["problem.product"] {
		t.Errorf("reason %q, want %q", reason, ru["problem.product"])
	}
	if !acceptOn || !declineOn {
		t.Errorf("with %s chosen: accept enabled %v, decline enabled %v", plain.Key, acceptOn, declineOn)
	}

	// The server refuses (here, a fetch that answers 400 as the server
	// did for a decision without a product): the reader reads the
	// catalog's message.
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`window.fetch = (u, o) => Promise.resolve(new Response(JSON.stringify({error: {code: "`+api.CodeInvalid+`", message: "product: product \"\": not found: invalid"}}), {status: 400, headers: {"Content-Type": "application/json"}})); true`, nil),
		headless.Click("#eula-accept"),
		headless.WaitJS(`document.querySelector("#eula-outcome").innerText.trim() !== "" && document.querySelector("#eula-outcome").innerText !== `+jsString(ru["outcome.pending"])),
		headless.Text("#eula-outcome", &shown),
		screenshot(t, "noproduct-ru-refused"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if shown != ru["problem.product"] {
		t.Errorf("refusal shown as %q, want %q", shown, ru["problem.product"])
	}
	if recs := ts.records(t); len(recs) != 0 {
		t.Errorf("records %+v", recs)
	}
}
