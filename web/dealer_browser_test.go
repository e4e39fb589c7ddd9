package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
)

// TestBrowserDealerForm fills the dealer's form in Chromium as a dealer
// would: sends it empty and reads every message in the page's language,
// then fills it with names that look like markup, and reads the receipt
// page, where they are text.
func TestBrowserDealerForm(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{})
	messages := map[string]string{}
	var notice, privacyHref, problem string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/dealer?lang=hu&product=husky-m20"),
		waitWasm(),
		headless.Text("#dealer-return", &notice),
		chromedp.Evaluate(`document.querySelector("#dealer-privacy a").getAttribute("href")`, &privacyHref),
		headless.Click("#dealer-submit"),
		headless.WaitFor("#dealer-problem"),
		waitWasm(),
		headless.Text("#dealer-problem", &problem),
		chromedp.Evaluate(`Object.fromEntries([...document.querySelectorAll(".err")].map(e => [e.id, e.innerText]))`, &messages),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "30 napos visszaküldési") || !strings.Contains(notice, "Husky M sorozatú") {
		t.Errorf("return-right notice %q", notice)
	}
	if privacyHref != "/dealer/privacy?lang=hu" {
		t.Errorf("privacy link %q", privacyHref)
	}
	if problem != "Az elfogadás nem lett rögzítve. Javítsa az alább jelölt mezőket." {
		t.Errorf("summary %q", problem)
	}
	want := map[string]string{
		"e-f-dealer-organization": "Töltse ki ezt a mezőt.", "e-f-dealer-name": "Töltse ki ezt a mezőt.", "e-f-dealer-email": "Töltse ki ezt a mezőt.",
		"e-f-customer-organization": "Töltse ki ezt a mezőt.", "e-f-customer-name": "Töltse ki ezt a mezőt.", "e-f-customer-email": "Töltse ki ezt a mezőt.",
		"e-f-customer_accepted":       "Csak az ügyfél elfogadásával fogadhatja el: jelölje be ezt a négyzetet annak megerősítésére, hogy ez megvan.",
		"e-f-return_right_understood": "Jelölje be ezt a négyzetet annak megerősítésére, hogy tudomásul vette a visszaküldési jog megszűnését.",
	}
	for id, w := range want {
		if messages[id] != w {
			t.Errorf("message %s: %q, want %q", id, messages[id], w)
		}
	}
	if len(messages) != len(want) {
		t.Errorf("messages %v", messages)
	}

	// Names that look like markup, and a wrong e-mail address first.
	hostile := `<img src=x onerror="window.pwned=1">`
	var emailMsg, invalid string
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#f-dealer-organization", "Dealer "+hostile, chromedp.ByQuery),
		chromedp.SendKeys("#f-dealer-name", "Dana", chromedp.ByQuery),
		chromedp.SendKeys("#f-dealer-email", "dana-at-dealer", chromedp.ByQuery),
		chromedp.SendKeys("#f-customer-organization", `Kunde </p><script>window.pwned=2</script>`, chromedp.ByQuery),
		chromedp.SendKeys("#f-customer-name", "Karl", chromedp.ByQuery),
		chromedp.SendKeys("#f-customer-email", "karl@kunde.example", chromedp.ByQuery),
		headless.Click("#f-customer_accepted"),
		headless.Click("#f-return_right_understood"),
		chromedp.Evaluate(`window.oldPage = true`, nil),
		headless.Click("#dealer-submit"),
		headless.WaitJS(`!window.oldPage && !!document.querySelector("#e-f-dealer-email")`),
		waitWasm(),
		headless.Text("#e-f-dealer-email", &emailMsg),
		chromedp.Evaluate(`document.querySelector("#f-dealer-email").getAttribute("aria-invalid")`, &invalid),
	)
	if err != nil {
		t.Fatal(err)
	}
	if emailMsg != "Adjon meg egy e-mail-címet, például nev@example.com." || invalid != "true" {
		t.Errorf("e-mail message %q, aria-invalid %q", emailMsg, invalid)
	}

	var ref, summary string
	var imgs int
	var pwned, printed bool
	err = chromedp.Run(ctx,
		chromedp.SetValue("#f-dealer-email", "dana@dealer.example", chromedp.ByQuery),
		headless.Click("#dealer-submit"),
		headless.WaitFor("#receipt-reference"),
		waitWasm(),
		headless.Text("#receipt-reference", &ref),
		headless.Text("#receipt-summary", &summary),
		chromedp.Evaluate(`document.querySelectorAll("main img, main script").length`, &imgs),
		chromedp.Evaluate(`window.pwned !== undefined`, &pwned),
		chromedp.Evaluate(`window.print = () => { window.printed = true; }; true`, nil),
		headless.Click("#receipt-print"),
		chromedp.Evaluate(`window.printed === true`, &printed),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$`).MatchString(ref) {
		t.Errorf("reference %q", ref)
	}
	if !strings.HasPrefix(summary, "Elfogadta: Dealer "+hostile+", Kunde </p><script>window.pwned=2</script> nevében") {
		t.Errorf("summary %q", summary)
	}
	if imgs != 0 || pwned {
		t.Errorf("hostile text ran as markup: %d elements, pwned %v", imgs, pwned)
	}
	if !printed {
		t.Error("the print button does not print")
	}
	var attr eula.Attribution
	ts.getJSON(t, api.ReferencePath(ref), &attr)
	if attr.Dealer != "Dealer "+hostile || attr.Customer != "Kunde </p><script>window.pwned=2</script>" {
		t.Errorf("attribution %+v", attr)
	}
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Role != eula.RoleDealer || recs[0].Document.Language != "hu" || recs[0].RegisterConsent == nil || *recs[0].RegisterConsent {
		t.Errorf("records %+v", recs)
	}
}

// TestBrowserFirstBootConfirm is the appliance's first boot: the end user
// is given the dealer's reference code, sees who accepted for whom, reads
// the EULA and confirms; the confirmation is linked to the dealer's record
// and the installation's status is accepted.
func TestBrowserFirstBootConfirm(t *testing.T) {
	ts := newTestServer(t)
	var dealer struct{ ID, Reference string }
	ts.postJSON(t, api.PathDealerAcceptances, dealerJSON, 201, &dealer)
	ctx := headless.New(t, headless.Options{Width: 800, Height: 600})
	var summary, docText, outcome string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/dealer/confirm?lang=ja&product=husky-m20&installer=nvr-7&iv=1.0&ref="+dealer.Reference),
		headless.WaitFor("#eula-accept"),
		waitWasm(),
		headless.Text("#confirm-summary", &summary),
		chromedp.Evaluate(`document.querySelector("#eula-document").innerText.slice(0, 2000)`, &docText),
		headless.Click("#eula-accept"),
		headless.WaitFor(`#eula-outcome[data-decision="accepted"]`),
		headless.Text("#eula-outcome", &outcome),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(summary, "Dealer <b>Ltd</b> が Kunde GmbH に代わって") {
		t.Errorf("summary %q", summary)
	}
	if !strings.Contains(docText, "Milestone") || !strings.ContainsAny(docText, "契約") {
		t.Errorf("document %.200q", docText)
	}
	if outcome != "エンドユーザー使用許諾契約を確認しました。インストールを続行します。" {
		t.Errorf("outcome %q", outcome)
	}
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=nvr-7&product=husky-m20", &st)
	if st.State != eula.StateAccepted {
		t.Fatalf("status %+v", st)
	}
	ids, _ := ts.checkChain(t, st.RecordID)
	if len(ids) != 2 || ids[1] != dealer.ID {
		t.Errorf("chain %v", ids)
	}
	rec, err := ts.store.Get(context.Background(), st.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Channel != eula.ChannelFirstBoot || rec.Role != eula.RoleEndUser || rec.Document.Language != "ja" || rec.Installer.Version != "1.0" || rec.Reference == "" || rec.Reference == eula.ReferenceCommitment(dealer.Reference) {
		t.Errorf("record %+v", rec)
	}
}
