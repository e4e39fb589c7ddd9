package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// consoleSignInBrowser signs in to the console in the browser, in English.
// With wasm, it waits for the wasm to have rendered the sign-in page first:
// typing into the prerendered field while the wasm replaces it fails to
// find the field.
func consoleSignInBrowser(ctx *chromedp.Tasks, wasm bool) {
	if wasm {
		*ctx = append(*ctx, headless.WaitFor(`#console-page[data-wasm="on"]`))
	}
	*ctx = append(*ctx,
		chromedp.SendKeys("#token", testAdminToken, chromedp.ByQuery),
		headless.Click(`main button[type=submit]`),
		headless.WaitFor("#c-states-t"),
	)
}

// runAudit clicks the audit's button, once the wasm has rendered the page
// (a click while it replaces the prerendered page is lost), and waits for
// the report of this run (not the one shown before).
func runAudit() chromedp.Action {
	return chromedp.Tasks{
		headless.WaitFor(`#console-page[data-wasm="on"]`),
		chromedp.Evaluate(`document.body.dataset.before = "on"`, nil),
		headless.Click("main form button"),
		headless.WaitFor("body:not([data-before]) #audit-h"),
	}
}

// TestBrowserConsoleAudit runs the log audit from the console as an
// administrator would: the first run is clean and starts the witness file,
// the second names the checkpoint the first kept, and after the log's tail
// is cut off behind the store's back the audit raises the alert and keeps
// the witness file as it was. Each run is logged; each view passes
// axe-core and is saved as a screenshot.
func TestBrowserConsoleAudit(t *testing.T) {
	logs := &syncBuffer{}
	witness := filepath.Join(t.TempDir(), "audit-witness.json")
	ts := newTestServer(t, func(c *web.Config) {
		c.Logger = slog.New(slog.NewTextHandler(logs, nil))
		c.Audit = translog.Sources{Witness: witness}
	})
	for i := range 3 {
		body := strings.Replace(decisionJSON, `"srv-1"`, fmt.Sprintf(`"srv-%d"`, i+1), 1)
		if s, b := ts.do(t, "POST", api.PathDecisions, body, "Content-Type", "application/json"); s != 201 {
			t.Fatalf("decision %d: %d %s", i, s, b)
		}
	}
	ctx := headless.New(t, headless.Options{})
	var status, kept, witnessed, records string
	steps := chromedp.Tasks{chromedp.Navigate(ts.URL + web.PathConsoleAudit + "?lang=en"), headless.WaitFor("#token")}
	consoleSignInBrowser(&steps, true)
	steps = append(steps,
		chromedp.Navigate(ts.URL+web.PathConsoleAudit),
		headless.WaitFor("main form button"),
		axe(t, "audit"),
		runAudit(),
		headless.Text("main section .eula-notice", &status),
		headless.Text("#witness-kept", &kept),
		headless.Text("#witnessed-h + *", &witnessed),
		axe(t, "audit clean, first"),
		screenshot(t, "console-audit-first"),
	)
	if err := chromedp.Run(ctx, steps); err != nil {
		t.Fatal(err)
	}
	if status != "Clean: every record, erasure entry and checkpoint matches the log." {
		t.Errorf("first audit: %q", status)
	}
	if want := "A new witness file " + witness + " now keeps the checkpoint of 3 log entries: the next audit compares with it."; kept != want {
		t.Errorf("first audit's witness file:\n got %q\nwant %q", kept, want)
	}
	if witnessed != "No checkpoint was witnessed before this audit: there was nothing earlier to compare with." {
		t.Errorf("first audit's last witnessed checkpoint: %q", witnessed)
	}

	err := chromedp.Run(ctx,
		runAudit(),
		headless.Text(".witnessed", &witnessed),
		headless.Text(".audit-figures tbody tr:first-child", &records),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := "The checkpoint of 3 log entries, kept by the witness file " + witness + " after an earlier clean audit."; witnessed != want {
		t.Errorf("second audit's last witnessed checkpoint:\n got %q\nwant %q", witnessed, want)
	}
	if strings.Join(strings.Fields(records), " ") != "Records 3" {
		t.Errorf("records: %q", records)
	}

	// Cut the log's last record off, with its hash and checkpoint, as a
	// tamperer with the database would.
	db := ts.store.DB()
	for _, q := range []string{
		"DELETE FROM records WHERE log_index >= 2",
		fmt.Sprintf("DELETE FROM hashes WHERE idx >= %d", tlog.StoredHashIndex(0, 2)),
		"DELETE FROM checkpoints WHERE tree_size > 2",
		"UPDATE tree_head SET size = 2",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var problem, kinds, meaning string
	err = chromedp.Run(ctx,
		runAudit(),
		headless.Text("main section .problem", &problem),
		headless.Text("#witness-kept", &kept),
		chromedp.Evaluate(`[...document.querySelectorAll("main section tbody tr td:first-child code")].map(c => c.innerText).join(" ")`, &kinds),
		chromedp.Evaluate(`(() => { const c = [...document.querySelectorAll("main section tbody tr td:first-child code")].find(c => c.innerText === "truncated"); return c ? c.closest("tr").cells[1].innerText : ""; })()`, &meaning),
		axe(t, "audit alert"),
		screenshot(t, "console-audit-alert"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(problem, "ALERT: the log is not the log audited or witnessed before") || !strings.Contains(kinds, "truncated") {
		t.Errorf("audit of a log cut short: %q, findings %q", problem, kinds)
	}
	if want := catalogLabels(t)["en"].Get("console.audit.kind.truncated"); meaning != want {
		t.Errorf("audit of a log cut short: the finding truncated is explained as %q, want %q", meaning, want)
	}
	if want := "The witness file " + witness + " is not updated while the audit finds problems."; kept != want {
		t.Errorf("audit of a log cut short, witness file: %q", kept)
	}
	// The language picker shows the same page in another language.
	var heading string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`const s = document.querySelector("#eula-lang-select"); s.value = "ru"; s.dispatchEvent(new Event("change", {bubbles: true})); true`, nil),
		headless.WaitJS(`document.documentElement.lang === "ru" && !!document.querySelector("#console-page[lang=ru]")`),
		headless.Text("h1", &heading),
		axe(t, "audit in Russian"),
		screenshot(t, "console-audit-ru"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if heading != "Аудит" {
		t.Errorf("the audit page in Russian is headed %q", heading)
	}
	for _, want := range []string{`msg="console audit"`, "findings=0", "alert=true"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the server's log has no %s", want)
		}
	}
}

// TestBrowserConsoleNoScript goes through the console with scripts off, as
// the server prerenders it: signing in, the overview, a search with its
// export links, and an audit, each a plain form or link.
func TestBrowserConsoleNoScript(t *testing.T) {
	ts := newTestServer(t, func(c *web.Config) {
		c.Audit = translog.Sources{Witness: filepath.Join(t.TempDir(), "audit-witness.json")}
	})
	if s, b := ts.do(t, "POST", api.PathDecisions, decisionJSON, "Content-Type", "application/json"); s != 201 {
		t.Fatalf("decision: %d %s", s, b)
	}
	ctx := headless.New(t, headless.Options{Flags: map[string]any{"blink-settings": "scriptEnabled=false"}})
	var states, count, csv, status string
	steps := chromedp.Tasks{chromedp.Navigate(ts.URL + web.PathConsole + "?lang=en"), headless.WaitFor("#token")}
	consoleSignInBrowser(&steps, false)
	steps = append(steps,
		headless.Text("#c-states-t", &states),
		chromedp.Navigate(ts.URL+web.PathConsoleSearch+"?machine=srv-1"),
		headless.WaitFor("#results"),
		headless.Text("#results", &count),
		chromedp.AttributeValue(`a[data-export="csv"]`, "href", &csv, nil),
		chromedp.Navigate(ts.URL+web.PathConsoleAudit),
		headless.Click("main form button"),
		headless.WaitFor("#audit-h"),
		headless.Text("main section .eula-notice", &status),
		screenshot(t, "console-audit-noscript"),
	)
	if err := chromedp.Run(ctx, steps); err != nil {
		t.Fatal(err)
	}
	if states != "Installations by status" || count != "Records found: 1" || !strings.HasPrefix(csv, web.PathConsoleExport+"?") {
		t.Errorf("without scripts: overview %q, search %q, export link %q", states, count, csv)
	}
	if status != "Clean: every record, erasure entry and checkpoint matches the log." {
		t.Errorf("audit without scripts: %q", status)
	}
}
