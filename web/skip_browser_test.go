package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/eulagate/eulagate/internal/headless"
)

// TestViewerSkipToDecision presses Tab, then Enter, on a fresh page (key
// events sent as a keyboard sends them): the first stop is "Skip to the
// decision", and Enter moves the focus to the decision bar, with the wasm
// and without it.
func TestViewerSkipToDecision(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	for _, test := range []struct {
		name, query string
		wasm        bool
	}{
		{"wasm", "/?product=husky-m20&lang=ru", true},
		{"no-wasm", "/?product=husky-m20&lang=hu&wasm=false", false},
		{"phone", "/?product=husky-m20&lang=ja", true},
	} {
		t.Run(test.name, func(t *testing.T) {
			ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
			wait := waitFor("#eula-accept")
			if test.wasm {
				wait = waitWasm()
			}
			var first, focused, hash string
			var inBar, visible bool
			steps := []chromedp.Action{}
			if test.name == "phone" {
				steps = append(steps, resize(360, 740))
			}
			steps = append(steps,
				chromedp.Navigate(ts.URL+test.query),
				wait,
				chromedp.Sleep(100*time.Millisecond),
				key(kb.Tab),
				chromedp.Evaluate(`document.activeElement.id`, &first),
				key(kb.Enter),
				waitJS(`document.activeElement && document.activeElement.id !== "eula-skip-decision"`),
				chromedp.Evaluate(`document.activeElement.id`, &focused),
				evalBool(`!!document.activeElement.closest("#eula-decision")`, &inBar),
				evalBool(`(() => { const r = document.querySelector("#eula-decision").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`, &visible),
				chromedp.Evaluate(`location.hash`, &hash),
				screenshot(t, "skip-decision-"+test.name),
			)
			if err := chromedp.Run(ctx, steps...); err != nil {
				t.Fatal(err)
			}
			if first != "eula-skip-decision" {
				t.Errorf("the first Tab stop is #%s, want #eula-skip-decision", first)
			}
			if focused != "eula-decision" || !inBar || !visible {
				t.Errorf("after Enter on the skip link the focus is on #%s (in the decision bar %v, bar in view %v); want #eula-decision", focused, inBar, visible)
			}
			t.Logf("address fragment after the skip: %q", hash)
		})
	}
}
