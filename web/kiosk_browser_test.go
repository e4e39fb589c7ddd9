package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
)

// TestKioskPrerendered: the kiosk page leads nowhere outside itself and
// notes that Husky products have no 30-day return policy.
func TestKioskPrerendered(t *testing.T) {
	ts := newTestServer(t)
	_, body := ts.get(t, "/?product=husky-m20&installer=kiosk-1&kiosk=1&mustread=1&lang=en")
	if external.MatchString(body) {
		t.Error("the kiosk page loads an external resource")
	}
	for _, bad := range []string{`href="http://`, `href="https://`, `href="mailto:`} {
		if strings.Contains(body, bad) {
			i := strings.Index(body, bad)
			t.Errorf("the kiosk page has a link leading away: %s", body[i:min(len(body), i+100)])
		}
	}
	for _, want := range []string{"eula-kiosk", "does not apply to Milestone Husky products", "https://www.milestonesys.com"} {
		if !strings.Contains(body, want) {
			t.Errorf("the kiosk page lacks %q", want)
		}
	}
	_, normal := ts.get(t, "/?product=husky-m20&lang=en")
	if !strings.Contains(normal, `href="https://`) {
		t.Error("outside the kiosk, the document's links should stay links")
	}
}

// TestKioskAccept: on a 1024×768 kiosk screen the reader reads to the end
// and accepts by touch; the record says it was collected at first boot.
func TestKioskAccept(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	var shot []byte
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?product=husky-ivo-350t&installer=kiosk-2&kiosk=1&mustread=1&lang=ja"),
		headless.WaitFor(`#eula-page[data-wasm="on"]`),
		headless.WaitFor(`#eula-no-return`),
		chromedp.CaptureScreenshot(&shot),
		headless.ScrollToEnd(),
		headless.WaitJS(`!document.querySelector("#eula-accept").disabled`),
		headless.Click("#eula-accept"),
		headless.WaitFor(`#eula-outcome[data-decision="accepted"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("EULAGATE_ARTIFACTS"); dir != "" {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "kiosk-ja-1024x768.png"), shot, 0o644)
	}
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Channel != eula.ChannelFirstBoot || recs[0].Document.Language != "ja" || recs[0].Product != "husky-ivo-350t" {
		t.Fatalf("records %+v", recs)
	}
}
