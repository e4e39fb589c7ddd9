package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
)

// TestCachedPages checks what a reader sees of pages from the page cache:
// every answer carries a fresh CSRF token and idempotency key, which a
// decision made with them is accepted with, and never a placeholder.
func TestCachedPages(t *testing.T) {
	ts := newTestServer(t)
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	products := lib.Products()
	product, other := products[0].Key, products[len(products)-1].Key
	idemRE := regexp.MustCompile(`name="idem" value="([^"]*)"`)
	seen := map[string]bool{}
	for _, path := range []string{"/?product=" + product, "/?lang=en&product=" + product, "/?lang=en&product=" + product, "/?product=" + other} {
		resp, page := ts.get(t, path) // asks for gzip, and reads it
		if resp.StatusCode != http.StatusOK || !resp.Uncompressed {
			t.Fatalf("GET %s: %s, gzip %v", path, resp.Status, resp.Uncompressed)
		}
		if strings.Contains(page, "eulagateslot") {
			t.Fatalf("GET %s: a placeholder is on the page", path)
		}
		m := idemRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("GET %s: no idempotency key", path)
		}
		if seen[m[1]] {
			t.Errorf("GET %s: the page repeats an earlier page's idempotency key", path)
		}
		seen[m[1]] = true
		if !strings.Contains(page, `"idem":"`+m[1]+`"`) {
			t.Errorf("GET %s: the View in the page has another idempotency key than the form", path)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: headers %v", path, resp.Header)
		}
	}
}
