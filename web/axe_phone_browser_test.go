package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/eulagate/eulagate/internal/headless"
)

// TestViewerPhoneAxe runs axe-core (WCAG 2.2 AA) on a translated page on a
// phone's screen, where the decision bar stays at the bottom over the
// text: opened, with a section's English original button reached by the
// keyboard, with that original shown, with the whole original shown, and
// at the end of the text.
func TestViewerPhoneAxe(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 360, Height: 740})
	id := placeSection(t)
	toggle := `.eula-section[data-section="` + id + `"] .eula-original-toggle`
	var clear bool
	err := chromedp.Run(ctx,
		resize(360, 740),
		chromedp.Navigate(ts.URL+"/?product=husky-m20&lang=ru"),
		waitWasm(),
		axe(t, "ru 360x740 opened"),
		// The button before it focused from the script, then Tab on: the
		// browser brings the button into view, clear of the decision bar.
		chromedp.Evaluate(fmt.Sprintf(`(() => { const all = [...document.querySelectorAll(".eula-original-toggle")]; const i = all.indexOf(document.querySelector(%s)); all[i - 1].focus(); })()`, jsString(toggle)), nil),
		tabTo(toggle),
		chromedp.Sleep(100*time.Millisecond),
		evalBool(fmt.Sprintf(`document.querySelector(%s).getBoundingClientRect().bottom <= document.querySelector(".eula-footer").getBoundingClientRect().top`, jsString(toggle)), &clear),
		screenshot(t, "axe-phone-ru-focused"),
		axe(t, "ru 360x740 English original button focused"),
		key(kb.Enter),
		waitJS(fmt.Sprintf(`document.querySelector(%s).closest(".eula-section").querySelector(".eula-original-body").textContent.trim() !== ""`, jsString(toggle))),
		axe(t, "ru 360x740 English original shown"),
		click("#eula-prevails-show"),
		waitJS(`document.querySelectorAll(".eula-original[hidden]").length === 0`),
		screenshot(t, "axe-phone-ru-all"),
		axe(t, "ru 360x740 whole English original shown"),
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		key(kb.End),
		chromedp.Sleep(200*time.Millisecond),
		axe(t, "ru 360x740 at the end"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !clear {
		t.Errorf("the focused %s is under the decision bar", toggle)
	}
}
