package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web"
)

// TestBrowserReturnURL follows an installer's web screen that gave a
// return URL: after the decision the reader lands back on the installer's
// page, which learns the decision and the record from the query, with the
// wasm and with the plain form when the wasm cannot start.
func TestBrowserReturnURL(t *testing.T) {
	installer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Installer</title><p id="back">Back in the installer.</p></html>`)
	}))
	t.Cleanup(installer.Close)
	for _, tc := range []struct {
		name     string
		decision string
		clicks   []string // what the reader clicks, in order
		noWasm   bool
	}{
		{"wasm-accept", "accepted", []string{"#eula-accept"}, false},
		{"wasm-decline", "declined", []string{"#eula-decline", "#eula-decline-yes"}, false},
		{"plain-accept", "accepted", []string{"#eula-accept"}, true},
		{"plain-decline", "declined", []string{"#eula-decline", "#eula-decline-yes"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *web.Config) { c.ReturnURLs = []string{installer.URL + "/"} })
			p := firstProduct(t)
			page := "/?lang=en&product=" + url.QueryEscape(p.Key) + "&installer=pc-7&return=" + url.QueryEscape(installer.URL+"/done?step=eula")
			ctx := headless.New(t, headless.Options{})
			var href string
			actions := chromedp.Tasks{}
			if tc.noWasm {
				actions = append(actions, blockWasm(ts), chromedp.Navigate(ts.URL+page), waitFor(tc.clicks[0]))
			} else {
				needWasm(t, ts)
				actions = append(actions, chromedp.Navigate(ts.URL+page), waitWasm(),
					waitJS(`!document.querySelector("#eula-accept").disabled`))
			}
			for _, sel := range tc.clicks {
				actions = append(actions, waitFor(sel), click(sel))
			}
			actions = append(actions,
				waitFor("#back"),
				chromedp.Location(&href),
				screenshot(t, "return-"+tc.name),
			)
			if err := chromedp.Run(ctx, actions); err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(href)
			if err != nil {
				t.Fatal(err)
			}
			recs := ts.records(t)
			if len(recs) != 1 || string(recs[0].Decision) != tc.decision || recs[0].Installer.MachineID != "pc-7" {
				t.Fatalf("records %+v", recs)
			}
			q := u.Query()
			if !strings.HasPrefix(href, installer.URL+"/done?") || q.Get("step") != "eula" ||
				q.Get("eulagate_decision") != tc.decision || q.Get("eulagate_record") != recs[0].ID {
				t.Errorf("returned to %s, want %s/done with step=eula, the decision and record %s", href, installer.URL, recs[0].ID)
			}
		})
	}
}
