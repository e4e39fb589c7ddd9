package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web"
)

// TestBrowserConsoleExport exports a search of a few thousand records from
// the console as an administrator would: the page says how many records
// the export holds, the progress bar fills as they stream in, and the file
// saved holds every one of them, in CSV and in JSON Lines. An export larger
// than the page keeps in memory is the browser's own download, and the page
// says so.
func TestBrowserConsoleExport(t *testing.T) {
	ts := newTestServer(t)
	const n = 3000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range 16 { // Concurrent appends commit in groups.
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 16 {
				if _, _, err := ts.store.Append(context.Background(), storetest.NewRecord(i), ""); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ctx := headless.New(t, headless.Options{})
	steps := chromedp.Tasks{chromedp.Navigate(ts.URL + web.PathConsoleSearch + "?lang=en"), headless.WaitFor("#token")}
	consoleSignInBrowser(&steps, true)
	var count string
	steps = append(steps,
		chromedp.Navigate(ts.URL+web.PathConsoleSearch+"?product=xprotect-corporate"),
		headless.WaitFor("#export-count"),
		// The wasm renders the page again once it runs: export after that,
		// so that the progress is read from the page the user keeps.
		headless.WaitFor(`#console-page[data-wasm="on"]`),
		headless.Text("#export-count", &count),
		// Keep what the page saves, to read it back.
		chromedp.Evaluate(`window.saved = []; const create = URL.createObjectURL; URL.createObjectURL = b => { saved.push(b); return create(b); }; true`, nil),
	)
	if err := chromedp.Run(ctx, steps); err != nil {
		t.Fatal(err)
	}
	if count != "1500 records to export." {
		t.Errorf("export count: %q", count)
	}
	for i, test := range []struct {
		format  string
		records func(string) int
	}{
		{"csv", func(s string) int { return strings.Count(s, "\n") - 1 }},
		{"jsonl", func(s string) int { return strings.Count(s, "\n") }},
	} {
		var status, text, file string
		var value, max float64
		err := chromedp.Run(ctx,
			chromedp.Evaluate(`document.getElementById("export-status").textContent = ""`, nil),
			headless.Click(`a[data-export="`+test.format+`"]`),
			headless.WaitJS(`document.getElementById("export-status").textContent !== ""`),
			headless.Text("#export-status", &status),
			headless.Text("#export-text", &text),
			chromedp.Evaluate(`document.getElementById("export-bar").value`, &value),
			chromedp.Evaluate(`document.getElementById("export-bar").max`, &max),
			chromedp.Evaluate(`saved[`+string(rune('0'+i))+`].text()`, &file, awaitPromise),
			axe(t, "export "+test.format),
			screenshot(t, "console-export-"+test.format),
		)
		if err != nil {
			t.Fatal(err)
		}
		if status != "Export complete: 1500 records saved." || text != "1500 of 1500 records downloaded." || value != 1500 || max != 1500 {
			t.Errorf("%s export: %q, %q, progress %v of %v", test.format, status, text, value, max)
		}
		if got := test.records(file); got != 1500 || !strings.Contains(file, "xprotect-corporate") || strings.Contains(file, "xprotect-expert") {
			t.Errorf("%s export saved %d records, want 1500 of xprotect-corporate", test.format, got)
		}
	}

	// A search the page would hold in memory past ExportInPageMax: the
	// browser downloads it to disk itself.
	dir := t.TempDir()
	var status string
	var saved int
	err := chromedp.Run(ctx,
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir),
		chromedp.Evaluate(`document.getElementById("export-status").textContent = ""; document.querySelector('a[data-export="csv"]').dataset.total = "`+strconv.Itoa(ui.ExportInPageMax+1)+`"`, nil),
		headless.Click(`a[data-export="csv"]`),
		headless.WaitJS(`document.getElementById("export-status").textContent !== ""`),
		headless.Text("#export-status", &status),
		chromedp.Evaluate(`saved.length`, &saved),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := catalogLabels(t)["en"].Get("console.export.native"); status != want || saved != 2 {
		t.Errorf("large export: status %q (want %q), %d files saved by the page (want 2)", status, want, saved)
	}
	var file []byte
	for deadline := time.Now().Add(30 * time.Second); file == nil && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		names, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		if len(names) == 1 {
			file, _ = os.ReadFile(names[0])
		}
	}
	if got := strings.Count(string(file), "\n") - 1; got != 1500 {
		t.Errorf("the browser's download of the large export holds %d records, want 1500", got)
	}
}
