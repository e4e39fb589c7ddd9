package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/locales"
	uicat "github.com/eulagate/eulagate/locales/ui"
)

// dealerProducts returns, from the bundled catalog, a product whose rules
// require acceptance before purchase, one whose rules do not, and one
// whose terms differ from the first's (a dealer's code for the first does
// not confirm it).
func dealerProducts(t *testing.T) (prior, plain, other eula.Product) {
	t.Helper()
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	var havePrior, havePlain bool
	for _, p := range lib.Products() {
		if eula.RequiresPriorAcceptance(p) && !havePrior {
			prior, havePrior = p, true
		}
		if !eula.RequiresPriorAcceptance(p) && !havePlain {
			plain, havePlain = p, true
		}
	}
	if !havePrior || !havePlain {
		t.Skip("SKIPPING: the catalog has no product with, or none without, acceptance before purchase")
	}
	for _, p := range lib.Products() {
		if p.SectionID != prior.SectionID {
			return prior, plain, p
		}
	}
	t.Skip("SKIPPING: every product of the catalog has the same terms")
	return
}

// englishLabels returns the English strings of the interface catalogs.
func englishLabels(t *testing.T) map[string]string {
	t.Helper()
	cat, err := uicat.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Labels(language.English)
}

// fillDealerForm types a dealer's and a customer's names and addresses
// into the dealer's form, as a dealer does.
func fillDealerForm() chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.SendKeys("#f-dealer-organization", "Dealer Ltd", chromedp.ByQuery),
		chromedp.SendKeys("#f-dealer-name", "Dana", chromedp.ByQuery),
		chromedp.SendKeys("#f-dealer-email", "dana@dealer.example", chromedp.ByQuery),
		chromedp.SendKeys("#f-customer-organization", "Kunde GmbH", chromedp.ByQuery),
		chromedp.SendKeys("#f-customer-name", "Karl", chromedp.ByQuery),
		chromedp.SendKeys("#f-customer-email", "karl@kunde.example", chromedp.ByQuery),
	}
}

// TestBrowserDealerDefects walks the dealer's pages as a dealer and an end
// user would: the acceptance-before-purchase sentence follows the product
// chosen in the form and is on the receipt; the form's "read" link opens
// the text with nothing to decide; a failed submit puts the focus on the
// error summary, whose entries lead to the fields; and a code for another
// product's terms, or an unknown code, is refused when the confirmation
// opens.
func TestBrowserDealerDefects(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	prior, plain, other := dealerProducts(t)
	l := englishLabels(t)
	ctx := headless.New(t, headless.Options{Width: 800, Height: 900})
	shown := func(sel string, out *bool) chromedp.Action {
		return chromedp.Evaluate(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.getClientRects().length > 0; })()`, sel), out)
	}
	choose := func(key string) chromedp.Action {
		return chromedp.SetValue("#f-product", key, chromedp.ByQuery)
	}

	// The sentence follows the product chosen, before the form is sent.
	var none, onPrior, onPlain bool
	var readHref string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/dealer?lang=en"),
		waitWasm(),
		shown("#dealer-mseries", &none),
		choose(prior.Key),
		shown("#dealer-mseries", &onPrior),
		screenshot(t, "dealer-form-prior"),
		choose(plain.Key),
		shown("#dealer-mseries", &onPlain),
		chromedp.Evaluate(`document.querySelector("#dealer-read").getAttribute("href")`, &readHref),
	)
	if err != nil {
		t.Fatal(err)
	}
	if none || !onPrior || onPlain {
		t.Errorf("acceptance-before-purchase sentence shown: no product %v, %s %v, %s %v; want only for %s", none, prior.Key, onPrior, plain.Key, onPlain, prior.Key)
	}

	// The "read" link: the text, a note that nothing is recorded, no
	// decision controls, before and after the wasm.
	u, err := url.Parse(readHref)
	if err != nil || u.Query().Get("readonly") != "1" {
		t.Fatalf("read link %q: not read-only", readHref)
	}
	var note string
	var controls int
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+readHref),
		headless.WaitJS(`document.querySelector('[data-wasm="on"]') !== null`),
		headless.Text("#eula-readonly", &note),
		chromedp.Evaluate(`document.querySelectorAll("#eula-accept, #eula-decline, form[method=post], select[name=product]").length`, &controls),
		screenshot(t, "dealer-read-only"),
		axe(t, "read-only viewer"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if note != l["readonly"] || controls != 0 {
		t.Errorf("read-only viewer: note %q, %d decision controls", note, controls)
	}
	// Without the wasm, the prerendered page offers no form either; one
	// posted anyway is not recorded.
	_, body := ts.get(t, readHref)
	if strings.Contains(body, `id="eula-accept"`) {
		t.Error("the prerendered read-only page has an accept button")
	}
	csrf := ts.csrfToken(t, "/?lang=en&product="+plain.Key)
	resp, _ := ts.postForm(t, ui.PathDecide, url.Values{"csrf": {csrf}, "decision": {"accepted"}, "readonly": {"1"}, "product": {plain.Key},
		"installer": {"browser"}, "document": {"eula"}, "lang": {"en"}})
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "problem=readonly") {
		t.Errorf("decision posted from a read-only page: %d, Location %q", resp.StatusCode, loc)
	}
	if recs := ts.records(t); len(recs) != 0 {
		t.Errorf("records after the read-only page: %+v", recs)
	}

	// A failed submit: the focus is on the summary, whose entries lead to
	// the fields; the sentence is there for the product chosen.
	var focused string
	var hrefs []string
	var missing int
	var sentence bool
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/dealer?lang=en"),
		waitWasm(),
		choose(prior.Key),
		headless.Click("#dealer-submit"),
		headless.WaitFor("#dealer-errors"),
		waitWasm(),
		// autofocus applies once the page is rendered: wait for a focus.
		headless.WaitJS(`document.readyState === "complete" && document.activeElement !== document.body`),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
		chromedp.Evaluate(`[...document.querySelectorAll("#dealer-errors a")].map(a => a.getAttribute("href"))`, &hrefs),
		chromedp.Evaluate(`[...document.querySelectorAll("#dealer-errors a")].filter(a => !document.querySelector(a.getAttribute("href"))).length`, &missing),
		shown("#dealer-mseries", &sentence),
		screenshot(t, "dealer-form-errors"),
		axe(t, "dealer form with errors"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if focused != "dealer-errors" {
		t.Errorf("focus after a failed submit on %q, want the error summary", focused)
	}
	want := []string{"#f-dealer-organization", "#f-dealer-name", "#f-dealer-email", "#f-customer-organization", "#f-customer-name", "#f-customer-email", "#f-customer_accepted", "#f-return_right_understood"}
	if strings.Join(hrefs, " ") != strings.Join(want, " ") || missing != 0 {
		t.Errorf("summary links %v (%d to no field), want %v", hrefs, missing, want)
	}
	if !sentence {
		t.Errorf("the form sent back for %s lacks the acceptance-before-purchase sentence", prior.Key)
	}

	// Filled in: the receipt states the rule.
	var receiptNote string
	err = chromedp.Run(ctx,
		fillDealerForm(),
		headless.Click("#f-customer_accepted"),
		headless.Click("#f-return_right_understood"),
		headless.Click("#dealer-submit"),
		headless.WaitFor("#receipt-reference"),
		waitWasm(),
		headless.Text("#receipt-mseries", &receiptNote),
		screenshot(t, "dealer-receipt-prior"),
		axe(t, "dealer receipt"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if receiptNote != l["dealer.mseries"] {
		t.Errorf("receipt's rule %q, want %q", receiptNote, l["dealer.mseries"])
	}
	var ref string
	if err := chromedp.Run(ctx, headless.Text("#receipt-reference", &ref)); err != nil {
		t.Fatal(err)
	}

	// The confirmation refuses, when it opens, a code for another
	// product's terms and an unknown code, saying what to do.
	for _, test := range []struct{ name, ref, product, want string }{
		{"other product", ref, other.Key, l["dealer.confirm.otherproduct"]},
		{"unknown code", "0000-0000-000", prior.Key, l["dealer.confirm.notfound"]},
	} {
		var problem string
		var accept int
		q := url.Values{"lang": {"en"}, "installer": {"nvr-1"}, "product": {test.product}, "ref": {test.ref}}
		err := chromedp.Run(ctx,
			chromedp.Navigate(ts.URL+api.PathDealerConfirm+"?"+q.Encode()),
			headless.WaitFor("#confirm-problem"),
			headless.Text("#confirm-problem", &problem),
			chromedp.Evaluate(`document.querySelectorAll("#eula-accept, #eula-decline, #eula-decision, .eula-section").length`, &accept),
			screenshot(t, "dealer-confirm-"+strings.ReplaceAll(test.name, " ", "-")),
			axe(t, "confirmation, "+test.name),
		)
		if err != nil {
			t.Fatal(err)
		}
		if problem != test.want || accept != 0 {
			t.Errorf("%s: problem %q, %d controls; want %q and none", test.name, problem, accept, test.want)
		}
	}
	if recs := ts.records(t); len(recs) != 1 {
		t.Errorf("records: %d, want the dealer's only", len(recs))
	}
}
