package web_test

import (
	"context"

	"github.com/chromedp/cdproto/network"

	"github.com/eulagate/eulagate/internal/headless"
)

// Short names for the JavaScript-based actions of package headless, which
// survive go-app replacing the page and navigations.
var (
	waitFor  = headless.WaitFor
	waitJS   = headless.WaitJS
	click    = headless.Click
	text     = headless.Text
	jsString = headless.JS
)

// blockURL makes the browser fail requests matching pattern.
func blockURL(ctx context.Context, pattern string) error {
	if err := network.Enable().Do(ctx); err != nil {
		return err
	}
	return network.SetBlockedURLs().WithURLPatterns([]*network.BlockPattern{{URLPattern: pattern, Block: true}}).Do(ctx)
}
