package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web"
)

// versionsLibrary loads the test document set of three versions:
// 20250212, 20260101 (material: two sections changed, no Hungarian) and
// 20260301 (editorial: one typo fixed).
func versionsLibrary(t *testing.T) *eula.Library {
	t.Helper()
	lib, err := eula.Load(os.DirFS(filepath.Join("..", "eula", "testdata", "versions")))
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// TestBrowserWhatChanged: a reader whose installation accepted 20250212 is
// asked again under 20260301 and sees exactly the changed sections marked,
// accepts, and the record names the new version.
func TestBrowserWhatChanged(t *testing.T) {
	lib := versionsLibrary(t)
	ts := newTestServer(t, func(c *web.Config) { c.Library = lib })
	needWasm(t, ts)
	old, err := lib.Document(eula.DocEULA, "20250212", eula.Original)
	if err != nil {
		t.Fatal(err)
	}
	rec := eula.Record{
		Installer: eula.Installer{Product: "husky-m20", Version: "1", MachineID: "box-c"},
		Product:   "husky-m20",
		Document:  eula.Shown{ID: eula.DocEULA, Version: "20250212", Language: "en", Hash: old.Hash, OriginalHash: old.Hash},
		Decision:  eula.Accepted, Role: eula.RoleEndUser, Channel: eula.ChannelInstaller,
	}
	if _, _, err := ts.store.Append(context.Background(), rec, ""); err != nil {
		t.Fatal(err)
	}
	cmp, err := lib.Compare(eula.DocEULA, "20250212", "20260301", eula.Original)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range cmp.Changed() {
		want = append(want, c.ID)
	}
	ctx := headless.New(t, headless.Options{})
	var marked []string
	var dels, ins int
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?product=husky-m20&installer=box-c&lang=en"),
		headless.WaitFor(`#eula-page[data-wasm="on"]`),
		headless.WaitFor(`#eula-changes`),
		chromedp.Evaluate(`[...document.querySelectorAll("#eula-changes .eula-change")].map(e => e.dataset.section)`, &marked),
		chromedp.Evaluate(`document.querySelectorAll("#eula-changes del").length`, &dels),
		chromedp.Evaluate(`document.querySelectorAll("#eula-changes ins").length`, &ins),
		headless.ScrollToEnd(),
		headless.Click("#eula-accept"),
		headless.WaitFor(`#eula-outcome[data-decision="accepted"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(marked, " ") != strings.Join(want, " ") || len(want) != 3 {
		t.Errorf("sections marked %q, want the changed ones %q", marked, want)
	}
	if dels == 0 || ins == 0 {
		t.Errorf("%d deletions and %d insertions marked", dels, ins)
	}
	recs := ts.records(t)
	last := recs[len(recs)-1]
	if last.Document.Version != "20260301" || last.Decision != eula.Accepted {
		t.Errorf("new record names %s %s", last.Document.Version, last.Decision)
	}
}

// TestLaggingTranslation: a Hungarian reader under a version without a
// Hungarian translation gets the new English with a note in Hungarian, and
// the record says English was shown.
func TestLaggingTranslation(t *testing.T) {
	lib := versionsLibrary(t)
	ts := newTestServer(t, func(c *web.Config) { c.Library = lib })
	_, body := ts.get(t, "/?product=husky-m20&lang=hu")
	if !strings.Contains(body, `<html lang="en"`) || !strings.Contains(body, "angol eredeti") {
		t.Errorf("lagging Hungarian: page is not the English with a Hungarian note")
	}
}
