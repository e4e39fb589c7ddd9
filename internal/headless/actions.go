package headless

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// The actions below find elements with JavaScript instead of chromedp's
// node tracking, which falls behind when go-app replaces a page of a few
// thousand nodes at once, and they survive navigations.

// WaitTimeout bounds WaitFor and WaitJS.
const WaitTimeout = 30 * time.Second

// WaitFor waits until an element matching the CSS selector is rendered
// (has a box).
func WaitFor(sel string) chromedp.Action {
	return WaitJS(fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && e.getClientRects().length > 0; })()`, JS(sel)))
}

// WaitJS waits until the JavaScript expression is true.
func WaitJS(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(WaitTimeout)
		var err error
		for time.Now().Before(deadline) {
			var ok bool
			if err = chromedp.Evaluate(expr, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
		return fmt.Errorf("timed out waiting for %s (last error: %v)", expr, err)
	})
}

// Click clicks the middle of the element matching sel with the mouse,
// after scrolling it into view.
func Click(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var pt struct{ X, Y float64 }
		err := chromedp.Evaluate(fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`, JS(sel)), &pt).Do(ctx)
		if err != nil {
			return fmt.Errorf("find %s: %w", sel, err)
		}
		return chromedp.MouseClickXY(pt.X, pt.Y).Do(ctx)
	})
}

// Text reads the rendered text of the element matching sel.
func Text(sel string, out *string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%s).innerText`, JS(sel)), out)
}

// ScrollToEnd scrolls the page to its end, as a reader who read it all.
func ScrollToEnd() chromedp.Action {
	return chromedp.Evaluate(`window.scrollTo(0, document.documentElement.scrollHeight); true`, nil)
}

// JS returns s as a JavaScript string literal.
func JS(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
