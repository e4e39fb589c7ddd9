package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/locales"
	uicat "github.com/eulagate/eulagate/locales/ui"
)

// catalogLabels returns the interface strings of every language of the
// catalogs, by tag.
func catalogLabels(t *testing.T) map[string]api.Labels {
	t.Helper()
	cat, err := uicat.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]api.Labels{}
	for _, tag := range cat.Languages() {
		out[tag.String()] = cat.Labels(tag)
	}
	return out
}

// pickLanguage chooses lang in the page's language picker, as a reader
// does.
func pickLanguage(lang string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => { const s = document.querySelector("#eula-lang-select"); s.value = %q; s.dispatchEvent(new Event("change", { bubbles: true })); })()`, lang), nil)
}

// TestBrowserDealerLanguages switches the language of the dealer's form,
// its receipt and the first-boot confirmation with their language picker, to every
// language it offers other than English, at 800×600 and 360×740: the
// page, its title and its controls are then in that language, and axe-core
// finds nothing on any of them.
func TestBrowserDealerLanguages(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	var docLangs []string
	for _, tag := range lib.AllLanguages(eula.DocEULA) {
		docLangs = append(docLangs, tag.String())
	}
	labels := catalogLabels(t)
	var dealer struct{ ID, Reference string }
	ts.postJSON(t, api.PathDealerAcceptances, dealerJSON, 201, &dealer)
	confirm := api.PathDealerConfirm + "?" + url.Values{"ref": {dealer.Reference}, "installer": {"nvr-lang"}, "product": {"husky-m20"}, "lang": {"en"}}.Encode()

	for _, size := range []struct{ w, h int }{{800, 600}, {360, 740}} {
		ctx := headless.New(t, headless.Options{Width: size.w, Height: size.h})
		for _, page := range []struct{ name, path, title, control, controlKey string }{
			{"form", api.PathDealer + "?lang=en", "#dealer-title", "#dealer-submit", "dealer.submit"},
			{"confirm", confirm, "#confirm-title", "#eula-accept", "dealer.confirm.accept"},
			{"receipt", api.PathDealerReceipt + "?lang=en&ref=" + dealer.Reference, "#dealer-title", "#receipt-print", "dealer.receipt.print"},
		} {
			var offered []string
			err := chromedp.Run(ctx,
				chromedp.Navigate(ts.URL+page.path),
				waitWasm(),
				chromedp.Evaluate(`[...document.querySelectorAll("#eula-lang-select option")].map(o => o.value)`, &offered),
			)
			if err != nil {
				t.Fatal(err)
			}
			var others []string
			for _, lang := range offered {
				if lang != "en" {
					others = append(others, lang)
				}
			}
			if len(others) == 0 {
				t.Fatalf("%s: the picker offers %v", page.name, offered)
			}
			for _, lang := range others {
				if _, ok := labels[lang]; !ok {
					t.Errorf("%s: the picker offers %s, which the catalogs lack", page.name, lang)
					continue
				}
				if page.name == "confirm" && !slices.Contains(docLangs, lang) {
					t.Errorf("%s: the picker offers %s, which the agreement lacks", page.name, lang)
				}
				l := labels[lang]
				name := fmt.Sprintf("dealer-%s-%s-%dx%d", page.name, lang, size.w, size.h)
				var title, control string
				err := chromedp.Run(ctx,
					pickLanguage(lang),
					headless.WaitJS(fmt.Sprintf(`(() => { const p = document.querySelector('#eula-page[data-wasm="on"]'); const c = document.querySelector(%q); return !!p && p.lang === %q && !!c && c.textContent === %q; })()`, page.control, lang, l.Get(page.controlKey))),
					headless.Text(page.title, &title),
					headless.Text(page.control, &control),
					screenshot(t, name),
					axe(t, name),
				)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				wantTitle := map[string]string{
					"form":    l.Get("dealer.title"),
					"confirm": l.Get("dealer.confirm.title"),
					"receipt": l.Get("dealer.receipt.title") + " " + dealer.Reference,
				}[page.name]
				if title != wantTitle || control != l.Get(page.controlKey) {
					t.Errorf("%s: title %q, control %q; want %q, %q", name, title, control, wantTitle, l.Get(page.controlKey))
				}
				if page.name == "confirm" {
					var summary string
					if err := chromedp.Run(ctx, headless.Text("#confirm-summary", &summary)); err != nil {
						t.Fatal(err)
					}
					if want := l.Format("dealer.receipt.summary", "Dealer <b>Ltd</b>", "Kunde GmbH", ""); !strings.HasPrefix(summary, want[:strings.Index(want, "Kunde GmbH")]) {
						t.Errorf("%s: summary %q, want it in %s", name, summary, lang)
					}
				}
				// Back to English for the next language.
				if err := chromedp.Run(ctx, chromedp.Navigate(ts.URL+page.path), waitWasm()); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if recs := ts.records(t); len(recs) != 1 {
		t.Errorf("records: %d, want the dealer's only", len(recs))
	}
}

// TestBrowserDealerWithoutScripts fills in and sends the dealer's form in
// a browser with JavaScript off: the receipt shows, and the confirmation
// page opened with its reference code records the end user's decision.
func TestBrowserDealerWithoutScripts(t *testing.T) {
	ts := newTestServer(t)
	prior, _, _ := dealerProducts(t)
	l := englishLabels(t)
	ctx := headless.New(t, headless.Options{Width: 800, Height: 600, Flags: map[string]any{"blink-settings": "scriptEnabled=false"}})
	var scripts bool
	var problem, ref, summary, note string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+api.PathDealer+"?lang=en"),
		chromedp.WaitReady("#dealer-submit", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('[data-wasm="on"]') !== null || !!window.eulagate`, &scripts),
		chromedp.SetValue("#f-product", prior.Key, chromedp.ByQuery),
		chromedp.Click("#dealer-submit", chromedp.ByQuery),
		chromedp.WaitReady("#dealer-problem", chromedp.ByQuery),
		chromedp.Text("#dealer-problem", &problem, chromedp.ByQuery),
		screenshot(t, "dealer-nojs-errors"),
		fillDealerForm(),
		chromedp.Click("#f-customer_accepted", chromedp.ByQuery),
		chromedp.Click("#f-return_right_understood", chromedp.ByQuery),
		chromedp.Click("#dealer-submit", chromedp.ByQuery),
		chromedp.WaitReady("#receipt-reference", chromedp.ByQuery),
		chromedp.Text("#receipt-reference", &ref, chromedp.ByQuery),
		chromedp.Text("#receipt-summary", &summary, chromedp.ByQuery),
		chromedp.Text("#receipt-mseries", &note, chromedp.ByQuery),
		screenshot(t, "dealer-nojs-receipt"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if scripts {
		t.Fatal("scripts ran: the test does not show the page without them")
	}
	if problem != l["dealer.errors"] {
		t.Errorf("summary %q", problem)
	}
	if ref == "" || !strings.HasPrefix(summary, "Accepted by Dealer Ltd for Kunde GmbH") || note != l["dealer.mseries"] {
		t.Errorf("receipt: reference %q, summary %q, rule %q", ref, summary, note)
	}

	// The end user's first boot, still without scripts: confirming
	// records the decision and the page shows it.
	var outcome string
	q := url.Values{"ref": {ref}, "installer": {"nvr-nojs"}, "product": {prior.Key}, "lang": {"en"}}
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+api.PathDealerConfirm+"?"+q.Encode()),
		chromedp.WaitReady("#eula-accept", chromedp.ByQuery),
		screenshot(t, "dealer-nojs-confirm"),
		chromedp.Click("#eula-accept", chromedp.ByQuery),
		chromedp.WaitReady(`#eula-outcome[data-decision="accepted"]`, chromedp.ByQuery),
		chromedp.Text("#eula-outcome", &outcome, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if outcome != l["dealer.confirm.accepted"] {
		t.Errorf("outcome %q", outcome)
	}
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=nvr-nojs&product="+prior.Key, &st)
	if st.State != eula.StateAccepted {
		t.Errorf("status %+v", st)
	}
}
