package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The helpers below find elements with JavaScript instead of chromedp's
// node tracking, which falls behind when go-app replaces a page of a few
// thousand nodes at once.

// waitFor waits until an element matching the CSS selector is rendered
// (has a box), across navigations, for up to 30 seconds.
func waitFor(sel string) chromedp.Action {
	return waitJS(fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && e.getClientRects().length > 0; })()`, jsString(sel)))
}

// waitJS waits until the JavaScript expression is true, across
// navigations, for up to 30 seconds.
func waitJS(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(30 * time.Second)
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

// click clicks the middle of the element matching sel with the mouse, after
// scrolling it into view.
func click(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var pt struct{ X, Y float64 }
		err := chromedp.Evaluate(fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`, jsString(sel)), &pt).Do(ctx)
		if err != nil {
			return fmt.Errorf("find %s: %w", sel, err)
		}
		return chromedp.MouseClickXY(pt.X, pt.Y).Do(ctx)
	})
}

// text reads the text of the element matching sel.
func text(sel string, out *string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%s).innerText`, jsString(sel)), out)
}

func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// blockURL makes the browser fail requests matching pattern.
func blockURL(ctx context.Context, pattern string) error {
	if err := network.Enable().Do(ctx); err != nil {
		return err
	}
	return network.SetBlockedURLs().WithURLPatterns([]*network.BlockPattern{{URLPattern: pattern, Block: true}}).Do(ctx)
}
