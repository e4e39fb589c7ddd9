package web_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web"
)

// TestBrowserConsole goes through the console in Chromium as an
// administrator would: finds it closed, signs in (a wrong token first),
// reads the overview, searches, opens an installation, exports, erases a
// person's data after the confirmation, signs out and finds it closed
// again; then a session left alone past its life ends. Each view passes
// axe-core and is saved as a screenshot.
func TestBrowserConsole(t *testing.T) {
	var skew atomic.Int64
	ts := newTestServer(t, func(c *web.Config) {
		c.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	for i, body := range []string{decisionJSON,
		strings.Replace(decisionJSON, `"srv-1"`, `"srv-2"`, 1),
		strings.Replace(strings.Replace(decisionJSON, `"accepted"`, `"declined"`, 1), `"srv-1"`, `"srv-3"`, 1)} {
		if s, b := ts.do(t, "POST", api.PathDecisions, body, "Content-Type", "application/json"); s != 201 {
			t.Fatalf("decision %d: %d %s", i, s, b)
		}
	}
	ctx := headless.New(t, headless.Options{})
	var url, problem string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/console?lang=en"),
		consoleWasm(),
		headless.WaitFor("#token"),
		chromedp.Location(&url),
		chromedp.SendKeys("#token", "wrong-token-0123456789", chromedp.ByQuery),
		headless.Click(`main button[type=submit]`),
		headless.WaitFor(".problem"),
		headless.Text(".problem", &problem),
		axe(t, "sign-in refused"),
		screenshot(t, "console-signin-refused"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(url, web.PathConsoleSignIn+"?lang=en") {
		t.Errorf("without a session /console shows %s", url)
	}
	if problem != "The administrator token is wrong. Check it and try again." {
		t.Errorf("wrong token: %q", problem)
	}

	var heading, states, table string
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#token", testAdminToken, chromedp.ByQuery),
		headless.Click(`main button[type=submit]`),
		headless.WaitFor("#c-states-t"),
		headless.Text("h1", &heading),
		headless.Text("#c-states-t", &states),
		chromedp.Evaluate(`[...document.querySelectorAll("figure:first-child tbody tr")].map(r => r.innerText.replace(/\s+/g, " ")).join("; ")`, &table),
		axe(t, "overview"),
		screenshot(t, "console-overview"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if heading != "Overview" || states != "Installations by status" {
		t.Errorf("overview: %q, %q", heading, states)
	}
	if table != "Accepted 2; Re-acceptance due 0; Declined 1; No decision 0" {
		t.Errorf("status table: %q", table)
	}

	var count, first string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/console/search"),
		consoleWasm(),
		headless.WaitFor("#organization"),
		chromedp.SendKeys("#organization", "Customer A/S", chromedp.ByQuery),
		chromedp.SetValue("#decision", "accepted", chromedp.ByQuery),
		headless.Click(`main form button[type=submit]`),
		headless.WaitFor("#results"),
		headless.Text("#results", &count),
		headless.Text("tbody tr td:nth-child(2)", &first),
		axe(t, "search"),
		screenshot(t, "console-search"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if count != "Records found: 2" || first != "srv-1" {
		t.Errorf("search: %q, first %q", count, first)
	}

	var csv, status, verified string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`fetch(document.querySelector("a[href*='format=csv']").href).then(r => r.text())`, &csv,
			awaitPromise),
		headless.Click("tbody tr td:nth-child(2) a"),
		headless.WaitFor(".decisions"),
		headless.Text(".eula-notice strong", &status),
		headless.Text(".decisions .ok", &verified),
		axe(t, "installation"),
		screenshot(t, "console-installation"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 3 || !strings.Contains(csv, "Carl Customer") {
		t.Errorf("csv export of the search: %q", csv)
	}
	if status != "Accepted" || !strings.HasPrefix(verified, "Receipt verified against checkpoint ") {
		t.Errorf("installation: %q, %q", status, verified)
	}

	var confirm, done string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/console/privacy?lang=hu"),
		consoleWasm(),
		headless.WaitFor("#email"),
		chromedp.SendKeys("#email", "carl@customer.example", chromedp.ByQuery),
		headless.Click(`button[formaction="/console/privacy/erase"]`),
		headless.WaitFor("#confirm-h"),
		headless.Text("main section", &confirm),
		axe(t, "erasure confirmation"),
		screenshot(t, "console-erase-confirm"),
		headless.Click("main section button"),
		headless.WaitFor(".eula-notice"),
		headless.Text(".eula-notice", &done),
		axe(t, "erased"),
		screenshot(t, "console-erased"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(confirm, "3 rekord") || !strings.Contains(confirm, "Ami megmarad:") || !strings.Contains(confirm, "Ami véglegesen törlődik:") {
		t.Errorf("confirmation: %q", confirm)
	}
	if !strings.HasPrefix(done, "3 rekordból törölve") {
		t.Errorf("erasure: %q", done)
	}
	for _, r := range ts.records(t) {
		if r.Personal != nil || !r.Erased {
			t.Errorf("record %s not erased", r.ID)
		}
	}

	var after string
	var code int
	err = chromedp.Run(ctx,
		headless.Click(`nav form button`),
		headless.WaitFor("#token"),
		chromedp.Navigate(ts.URL+"/console/search?machine=srv-1"),
		consoleWasm(),
		headless.WaitFor("#token"),
		chromedp.Location(&after),
		chromedp.Evaluate(`fetch("/console/api/overview").then(r => r.status)`, &code, awaitPromise),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, web.PathConsoleSignIn) || code != 401 {
		t.Errorf("after signing out the search shows %s, the overview call answers %d", after, code)
	}

	var expired string
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#token", testAdminToken, chromedp.ByQuery),
		headless.Click(`main button[type=submit]`),
		headless.WaitFor("#c-states-t"),
		chromedp.ActionFunc(func(ctxx context.Context) error {
			skew.Store(int64(web.ConsoleSessionTTL + time.Minute))
			return nil
		}),
		chromedp.Navigate(ts.URL+"/console/search"),
		consoleWasm(),
		headless.WaitFor(".problem"),
		headless.Text(".problem", &expired),
		screenshot(t, "console-expired"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if expired != "Your session expired. Sign in again to go on." {
		t.Errorf("expired session: %q", expired)
	}
}

// awaitPromise makes chromedp.Evaluate wait for the promise's value.
func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// consoleWasm waits for the wasm to take the console page over, which
// replaces its nodes: a test acts on the page only after it.
func consoleWasm() chromedp.Action {
	return headless.WaitFor(`#console-page[data-wasm="on"]`)
}

// TestBrowserConsoleNotKept signs in to the console in a browser where the
// viewer's service worker controls the pages, opens a search and an
// installation, and checks that nothing of the console is left in the
// browser's Cache Storage: the console's pages carry people's names and
// addresses, which an erasure must reach and which a reader of the viewer
// on the same machine must never be shown offline.
func TestBrowserConsoleNotKept(t *testing.T) {
	ts := newTestServer(t)
	if s, b := ts.do(t, "POST", api.PathDecisions, decisionJSON, "Content-Type", "application/json"); s != 201 {
		t.Fatalf("decision: %d %s", s, b)
	}
	ctx := headless.New(t, headless.Options{})
	var kept []string
	tasks := chromedp.Tasks{
		chromedp.Navigate(ts.URL + "/console?lang=en"),
		waitJS(`!!navigator.serviceWorker.controller`),
	}
	consoleSignInBrowser(&tasks, true)
	tasks = append(tasks,
		chromedp.Navigate(ts.URL+"/console/search?organization=Customer+A%2FS"),
		consoleWasm(),
		headless.WaitFor("tbody tr td:nth-child(2) a"),
		headless.Click("tbody tr td:nth-child(2) a"),
		headless.WaitFor(".decisions"),
		chromedp.Navigate(ts.URL+"/console/privacy"),
		consoleWasm(),
		// What every cache holds that is the console's or names the
		// people of the record.
		chromedp.Evaluate(`(async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const req of await cache.keys()) {
      const body = await (await cache.match(req)).text();
      if (new URL(req.url).pathname.startsWith("/console") || /Carl Customer|dana@dealer\.example/i.test(body)) {
        found.push(name + " " + req.url);
      }
    }
  }
  return found;
})()`, &kept, awaitPromise),
	)
	if err := chromedp.Run(ctx, tasks); err != nil {
		t.Fatal(err)
	}
	if len(kept) > 0 {
		t.Errorf("the console left in Cache Storage: %q", kept)
	}
}
