package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/internal/headless"
)

// viewerLangs are the languages of the EULA, with a phrase of each
// language's own text and the label of its accept button.
var viewerLangs = []struct {
	lang, phrase, accept, notice string
}{
	{"en", "Affiliated Companies", "I accept", ""},
	{"ru", "Дочерние компании", "Я принимаю", "оригинал на английском языке"},
	{"hu", "Társult Vállalkozások", "Elfogadom", "angol nyelvű eredeti"},
	{"ja", "関係会社", "同意する", "英語の原文が優先"},
}

// Screen sizes the viewer is made for.
var viewerSizes = []struct {
	name          string
	width, height int64
}{
	{"kiosk-1024x768", 1024, 768},
	{"installer-800x600", 800, 600},
	{"phone-360x740", 360, 740},
	{"desktop-1440x900", 1440, 900},
}

// artifactDir is where the browser tests write screenshots (gitignored).
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// screenshot writes the viewport as PNG to name in the artifact directory.
func screenshot(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var buf []byte
		if err := chromedp.CaptureScreenshot(&buf).Do(ctx); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(artifactDir(t), name+".png"), buf, 0o644)
	})
}

// resize emulates a screen of the given size.
func resize(w, h int64) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return emulation.SetDeviceMetricsOverride(w, h, 1, w < 500).Do(ctx)
	})
}

// axeTags are the WCAG 2.2 AA rule sets of axe-core.
const axeTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]`

// axe injects axe-core into the page and reports its violations at the
// WCAG 2.2 AA tags as test errors, naming the state of the page.
func axe(t *testing.T, state string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var has bool
		if err := chromedp.Evaluate(`typeof axe === "object"`, &has).Do(ctx); err != nil {
			return err
		}
		if !has {
			src, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
			if err != nil {
				return fmt.Errorf("axe-core is not installed (make deps-test): %w", err)
			}
			if err := chromedp.Evaluate(string(src), nil).Do(ctx); err != nil {
				return fmt.Errorf("inject axe-core: %w", err)
			}
		}
		var violations []string
		err := chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: `+axeTags+`}}).then(r =>
			r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " at " +
				v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ")).join(" | ")))`,
			&violations, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }).Do(ctx)
		if err != nil {
			return fmt.Errorf("run axe-core: %w", err)
		}
		for _, v := range violations {
			t.Errorf("axe, %s: %s", state, v)
		}
		return nil
	})
}

// key presses a key (see package kb) in the focused element.
func key(k string) chromedp.Action { return chromedp.KeyEvent(k) }

// focusJS focuses the element matching sel, as Tab would.
func focusJS(sel string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%s).focus()`, jsString(sel)), nil)
}

// tabTo presses Tab until the element matching sel has the focus.
func tabTo(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for i := 0; i < 400; i++ {
			var ok bool
			if err := chromedp.Evaluate(fmt.Sprintf(`document.activeElement === document.querySelector(%s)`, jsString(sel)), &ok).Do(ctx); err != nil {
				return err
			}
			if ok {
				return nil
			}
			if err := chromedp.KeyEvent(kb.Tab).Do(ctx); err != nil {
				return err
			}
		}
		return fmt.Errorf("Tab never reached %s", sel)
	})
}

// waitStatusChange waits until the text of sel differs from *was.
func waitStatusChange(sel string, was *string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return waitJS(fmt.Sprintf(`document.querySelector(%s).innerText !== %s`, jsString(sel), jsString(*was))).Do(ctx)
	})
}

// evalBool evaluates a JavaScript expression into b.
func evalBool(expr string, b *bool) chromedp.Action { return chromedp.Evaluate(expr, b) }

// TestViewerLanguages runs through the viewer in every language, by
// keyboard and by click: the prerendered text, must-read, find, the English
// original, the contents, decline with its confirmation; screenshots at the
// four sizes and axe-core at every state.
func TestViewerLanguages(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	for _, lang := range viewerLangs {
		t.Run(lang.lang, func(t *testing.T) {
			ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
			var prerendered, acceptDisabled, reasonShown, originalShown, allShown, confirmFocused, afterEnd bool
			var findStatus1, findStatus2, findStatusClick, outcome string
			u := ts.URL + "/?product=husky-m20&mustread=1&lang=" + lang.lang
			steps := []chromedp.Action{
				blockWasm(ts), // to look at the page as the server sent it
				chromedp.Navigate(u),
				waitFor(".eula-wasm-failed"),
				evalBool(fmt.Sprintf(`document.querySelector(".eula-document").textContent.includes(%s)`, jsString(lang.phrase)), &prerendered),
				chromedp.ActionFunc(func(ctx context.Context) error {
					return network.SetBlockedURLs().WithURLPatterns([]*network.BlockPattern{}).Do(ctx)
				}),
				chromedp.Navigate(u),
				waitWasm(),
				axe(t, "opened"),
			}
			for _, s := range viewerSizes {
				steps = append(steps, resize(s.width, s.height), screenshot(t, lang.lang+"-"+s.name))
			}
			steps = append(steps,
				resize(1024, 768),
				// Must-read: accept stays disabled and says why.
				evalBool(`document.querySelector("#eula-accept").disabled`, &acceptDisabled),
				evalBool(`!!document.querySelector("#eula-mustread") && document.querySelector("#eula-mustread").innerText.length > 10`, &reasonShown),
				// Find by keyboard: type, Enter to the next match.
				focusJS("#eula-find-input"),
				chromedp.KeyEvent("Milestone"),
				waitJS(`document.querySelector("#eula-find-status").innerText !== ""`),
				text("#eula-find-status", &findStatus1),
				key(kb.Enter),
				waitStatusChange("#eula-find-status", &findStatus1),
				text("#eula-find-status", &findStatus2),
				// Find by click.
				click("#eula-find-next"),
				waitStatusChange("#eula-find-status", &findStatus2),
				text("#eula-find-status", &findStatusClick),
				screenshot(t, lang.lang+"-find"),
				axe(t, "find"),
			)
			if lang.lang != "en" {
				steps = append(steps,
					// One section's English original, by click.
					click(`.eula-original-toggle[data-for="general/affiliated-companies"]`),
					waitJS(`!document.getElementById("eula-original-general/affiliated-companies").hidden`),
					evalBool(`document.getElementById("eula-original-general/affiliated-companies").innerText.includes("Affiliated Companies")`, &originalShown),
					screenshot(t, lang.lang+"-original-section"),
					// The whole document's English original, by keyboard.
					focusJS("#eula-prevails-show"),
					key(kb.Enter),
					waitJS(`document.querySelectorAll(".eula-original[hidden]").length === 0`),
					evalBool(`document.querySelectorAll(".eula-pair-open").length === document.querySelectorAll(".eula-section").length`, &allShown),
					resize(1440, 900),
					chromedp.Evaluate(`document.querySelector("[data-section='general/affiliated-companies']").scrollIntoView()`, nil),
					screenshot(t, lang.lang+"-original-all-desktop"),
					resize(360, 740),
					screenshot(t, lang.lang+"-original-all-phone"),
					resize(1024, 768),
					axe(t, "English original beside"),
				)
			}
			steps = append(steps,
				// Decline asks first, by click; going back by keyboard (Escape)
				click("#eula-decline"),
				waitFor("#eula-confirm"),
				evalBool(`document.activeElement === document.querySelector("#eula-decline-yes")`, &confirmFocused),
				screenshot(t, lang.lang+"-decline-confirm"),
				axe(t, "decline confirmation"),
				key(kb.Escape),
				waitFor("#eula-decline"),
				waitJS(`document.activeElement === document.querySelector("#eula-decline")`),
				// and by click.
				key(kb.Enter),
				waitFor("#eula-decline-no"),
				click("#eula-decline-no"),
				waitFor("#eula-decline"),
				// Reach the end by keyboard: accept becomes available.
				chromedp.Evaluate(`document.activeElement.blur()`, nil),
				key(kb.End),
				waitJS(`!document.querySelector("#eula-accept").disabled`),
				evalBool(`!document.querySelector("#eula-mustread")`, &afterEnd),
				axe(t, "read to the end"),
				// Decline for real, by keyboard.
				tabTo("#eula-decline"),
				key(kb.Enter),
				waitFor("#eula-decline-yes"),
				key(kb.Enter),
				waitFor(`#eula-outcome[data-decision="declined"]`),
				text("#eula-outcome", &outcome),
				screenshot(t, lang.lang+"-declined"),
				axe(t, "declined"),
			)
			if err := chromedp.Run(ctx, steps...); err != nil {
				t.Fatal(err)
			}
			if !prerendered {
				t.Error("the prerendered page lacks the text")
			}
			if !acceptDisabled || !reasonShown {
				t.Errorf("must-read: accept disabled %v, reason shown %v", acceptDisabled, reasonShown)
			}
			if !strings.Contains(findStatus1, "1") || findStatus1 == findStatus2 || findStatus2 == findStatusClick {
				t.Errorf("find: %q, then Enter %q, then click %q", findStatus1, findStatus2, findStatusClick)
			}
			if lang.lang != "en" && (!originalShown || !allShown) {
				t.Errorf("English original: one section %v, all %v", originalShown, allShown)
			}
			if !confirmFocused {
				t.Error("the decline confirmation does not take the focus")
			}
			if !afterEnd {
				t.Error("the must-read reason stays after the end")
			}
			if !strings.Contains(outcome, "") || outcome == "" {
				t.Errorf("outcome %q", outcome)
			}
			t.Logf("find: %q %q %q; outcome %q", findStatus1, findStatus2, findStatusClick, outcome)
		})
	}
}

// TestViewerSwitchLanguage switches the language with the picker, by
// keyboard and by click, and checks that the reader keeps their place, that
// the choice is remembered for the next visit (local storage and the cookie
// the server prerenders with), and that a language that is not available
// says so.
func TestViewerSwitchLanguage(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	const place = `window.eulagate.place()[0]`
	var before, afterKey, afterClick, beforeSticky, afterSticky, stored, reloadedLang, unavailable, notice, href string
	var options []string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?product=husky-m20"),
		waitWasm(),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#eula-lang-select option")).map(o => o.textContent)`, &options),
		chromedp.Evaluate(`document.querySelector("[data-section='general/governing-law']").scrollIntoView(); window.scrollBy(0, 40)`, nil),
		chromedp.Sleep(200*time.Millisecond), // the reader reads a moment before going to the picker
		chromedp.Evaluate(place, &before),
		// By keyboard: the focused picker, arrow down.
		focusJS("#eula-lang-select"),
		chromedp.Evaluate(`document.querySelector("#eula-lang-select").value = "en"`, nil),
		key(kb.ArrowDown),
		waitJS(`document.querySelector("#eula-page").lang !== "en"`),
		waitJS(`document.querySelector("#eula-page").lang === document.querySelector("#eula-lang-select").value`),
		chromedp.Evaluate(place, &afterKey),
		screenshot(t, "switch-keyboard"),
		axe(t, "after switching language"),
		// By click: the picker, then the option (a native select's popup
		// is chosen with the keys in a headless browser).
		click("#eula-lang-select"),
		chromedp.Evaluate(`(() => { const s = document.querySelector("#eula-lang-select"); s.value = "ru"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil),
		waitJS(`document.querySelector("#eula-page").lang === "ru"`),
		chromedp.Evaluate(place, &afterClick),
		// On a large screen the header stays in view (sticky).
		resize(1440, 900),
		chromedp.Evaluate(`document.querySelector("[data-section='general/termination']").scrollIntoView(); window.scrollBy(0, -200)`, nil),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.Evaluate(place, &beforeSticky),
		chromedp.Evaluate(`(() => { const s = document.querySelector("#eula-lang-select"); s.value = "hu"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil),
		waitJS(`document.querySelector("#eula-page").lang === "hu"`),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.Evaluate(place, &afterSticky),
		chromedp.Evaluate(`(() => { const s = document.querySelector("#eula-lang-select"); s.value = "ru"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil),
		waitJS(`document.querySelector("#eula-page").lang === "ru"`),
		chromedp.Evaluate(`localStorage.getItem("eulagate.lang")`, &stored),
		chromedp.Evaluate(`location.href`, &href),
		// The next visit, without ?lang, prerenders in the remembered one.
		chromedp.Navigate(ts.URL+"/?product=husky-m20"),
		waitFor("#eula-page"),
		chromedp.Evaluate(`document.querySelector("#eula-page").lang`, &reloadedLang),
		// A language that is not available.
		chromedp.Navigate(ts.URL+"/?lang=pt-BR"),
		waitWasm(),
		chromedp.Evaluate(`document.querySelector("#eula-page").lang`, &unavailable),
		text("#eula-lang-notice", &notice),
		axe(t, "language not available"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(options) != len(bundledLanguages()) {
		t.Errorf("picker lists %q, want the %d languages %q", options, len(bundledLanguages()), bundledLanguages())
	}
	for _, want := range []string{"English", "Magyar", "日本語", "Русский"} {
		if !strings.Contains(strings.Join(options, ","), want) {
			t.Errorf("picker lacks %q: %q", want, options)
		}
	}
	if before != "general/governing-law" || afterKey != before || afterClick != before {
		t.Errorf("section in view: before %q, after keyboard switch %q, after click switch %q", before, afterKey, afterClick)
	}
	if beforeSticky == "" || beforeSticky != afterSticky {
		t.Errorf("sticky header: section in view before %q, after %q", beforeSticky, afterSticky)
	}
	if stored != "ru" || !strings.Contains(href, "lang=ru") {
		t.Errorf("remembered %q, URL %q", stored, href)
	}
	if reloadedLang != "ru" {
		t.Errorf("next visit prerendered in %q, want ru", reloadedLang)
	}
	if unavailable != "en" || !strings.Contains(notice, "Portuguese") {
		t.Errorf("pt-BR: shown in %q with notice %q", unavailable, notice)
	}
}

// TestViewerKeyboardAccept goes from opening to accepting with the keyboard
// only, on a must-read page: the skip link, the contents, the end of the
// text, then Tab to "I accept" and Enter.
func TestViewerKeyboardAccept(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 800, Height: 600})
	var disabledFirst, focusVisible, tocOpen bool
	var hashAfterLink, outcome string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?product=husky-m20&lang=ja&mustread=1&installer=kiosk-7"),
		waitWasm(),
		evalBool(`document.querySelector("#eula-accept").disabled`, &disabledFirst),
		// The first Tab reaches the skip link, which is then visible.
		key(kb.Tab),
		evalBool(`document.activeElement.classList.contains("eula-skip") && document.activeElement.getBoundingClientRect().top >= 0`, &focusVisible),
		screenshot(t, "keyboard-skip-link"),
		// Open the contents and follow the product's link.
		tabTo(".eula-toc summary"),
		key(kb.Enter),
		evalBool(`document.querySelector(".eula-toc details").open`, &tocOpen),
		tabTo(".eula-toc-mine"),
		screenshot(t, "keyboard-contents"),
		axe(t, "contents open"),
		key(kb.Enter),
		waitJS(`location.hash !== ""`),
		chromedp.Evaluate(`decodeURIComponent(location.hash)`, &hashAfterLink),
		// Read to the end, then accept.
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		key(kb.End),
		waitJS(`!document.querySelector("#eula-accept").disabled`),
		tabTo("#eula-accept"),
		screenshot(t, "keyboard-accept-focused"),
		key(kb.Enter),
		waitFor(`#eula-outcome[data-decision="accepted"]`),
		text("#eula-outcome", &outcome),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !disabledFirst || !focusVisible || !tocOpen {
		t.Errorf("accept disabled at first %v, skip link visible on focus %v, contents opened %v", disabledFirst, focusVisible, tocOpen)
	}
	if hashAfterLink != "#products/husky-m-series" {
		t.Errorf("product link went to %q", hashAfterLink)
	}
	if !strings.Contains(outcome, "同意しました") {
		t.Errorf("outcome %q", outcome)
	}
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Document.Language != "ja" || recs[0].Installer.MachineID != "kiosk-7" {
		t.Errorf("records %+v", recs)
	}
}

// TestViewerOffline visits the viewer once, then reads it again with the
// network cut: the service worker serves the page (for another address
// too, in the language kept), the wasm boots from its cache, and the text
// is there.
func TestViewerOffline(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	var lang, wasm string
	var hasText, acceptOff bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?lang=ru&product=husky-m20"),
		waitWasm(),
		waitJS(`!!navigator.serviceWorker.controller`),
		// The worker keeps a page once it controls the tab: load it again.
		chromedp.Navigate(ts.URL+"/?lang=ru&product=husky-m20"),
		waitWasm(),
		chromedp.ActionFunc(func(ctx context.Context) error {
			ts.CloseClientConnections()
			ts.Close() // the server is gone: nothing answers but the worker
			return nil
		}),
		chromedp.Navigate(ts.URL+"/?lang=ru&product=husky-m20&mustread=1"),
		waitWasm(),
		chromedp.Evaluate(`document.querySelector("#eula-page").lang`, &lang),
		chromedp.Evaluate(`document.querySelector("#eula-page").dataset.wasm`, &wasm),
		evalBool(`document.querySelector(".eula-document").textContent.includes("Дочерние компании") && !document.querySelector(".eula-error")`, &hasText),
		evalBool(`document.querySelector("#eula-accept").disabled`, &acceptOff),
		screenshot(t, "offline"),
		axe(t, "offline"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if lang != "ru" || wasm != "on" || !hasText {
		t.Errorf("offline: lang %q, wasm %q, text shown %v", lang, wasm, hasText)
	}
	if !acceptOff {
		t.Errorf("offline, asked to read to the end first: I accept is enabled before the end")
	}
}

// TestViewerNavigatorLanguages opens the viewer in a browser whose
// navigator.languages (Russian) differ from the Accept-Language header it
// sends (Hungarian, as an installer's webview might): the server
// prerenders by the header, then the viewer asks again with
// navigator.languages and shows Russian.
func TestViewerNavigatorLanguages(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Flags: map[string]any{"accept-lang": "ru-RU,ru"}})
	var navLangs []string
	err := chromedp.Run(ctx,
		network.Enable(),
		network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": "hu"}),
		chromedp.Navigate(ts.URL+"/?product=husky-m20"),
		waitWasm(),
		chromedp.Evaluate(`navigator.languages`, &navLangs),
		waitJS(`document.querySelector("#eula-page").lang === "ru"`),
	)
	if err != nil {
		t.Fatalf("%v (navigator.languages %q)", err, navLangs)
	}
}

// TestViewerPrint looks at the print view: the full text in the chosen
// language with the English original of every section, the version and the
// document hash, and none of the controls. The PDF is written as an
// artifact.
func TestViewerPrint(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 800, Height: 1100})
	var originalsShown, controlsHidden, hashShown bool
	var pdf []byte
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?lang=hu&product=husky-m20"),
		waitWasm(),
		// The English original, left out of the page, comes once it is idle.
		waitJS(`document.querySelectorAll(".eula-original-body").length === document.querySelectorAll(".eula-section").length`),
		chromedp.ActionFunc(func(ctx context.Context) error {
			return emulation.SetEmulatedMedia().WithMedia("print").Do(ctx)
		}),
		evalBool(`[...document.querySelectorAll(".eula-original")].every(e => getComputedStyle(e).display !== "none") && document.querySelectorAll(".eula-original").length === document.querySelectorAll(".eula-section").length`, &originalsShown),
		evalBool(`["#eula-decision", "#eula-find", "#eula-toc", "#eula-lang"].every(s => !document.querySelector(s) || getComputedStyle(document.querySelector(s)).display === "none" || getComputedStyle(document.querySelector(s).closest(".eula-footer, .eula-toolbar, .eula-toc, .eula-lang") || document.body).display === "none")`, &controlsHidden),
		evalBool(`(() => { const h = document.querySelector("#eula-hash"); return getComputedStyle(h).display !== "none" && h.innerText.includes("sha256:") && h.getBoundingClientRect().width > 0; })()`, &hashShown),
		screenshot(t, "print-hu"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPrintBackground(false).Do(ctx)
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !originalsShown || !controlsHidden || !hashShown {
		t.Errorf("print: every English original %v, controls hidden %v, hash shown %v", originalsShown, controlsHidden, hashShown)
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), "print-hu.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestViewerTakeover checks that the wasm takes over the prerendered page
// without a flash or a jump: what the reader was reading before the wasm ran
// stays where it was in the window, and the layout does not shift. (The
// scroll offset itself may change: sections far from the window are not
// laid out and have an estimated height.)
func TestViewerTakeover(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	var before, after float64
	var wasmBefore string
	var shift float64
	var textBefore, textAfter []string
	var placeholders int
	// The English originals are not in the first response: the wasm
	// fetches them when asked or once idle.
	sectionTexts := `[...document.querySelectorAll(".eula-section-body")].map(e => e.textContent)`
	err := chromedp.Run(ctx,
		slowWasm(ts), // so that the reader scrolls before it runs
		chromedp.Navigate(ts.URL+"/?lang=ru&product=husky-m20"),
		waitFor("#eula-page"),
		chromedp.Evaluate(`window.eulagateShift = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) { if (!e.hadRecentInput) window.eulagateShift += e.value; } }).observe({type: "layout-shift", buffered: false}); document.querySelector("#eula-page").dataset.wasm`, &wasmBefore),
		chromedp.Evaluate(sectionTexts, &textBefore),
		chromedp.Evaluate(`document.querySelector("[data-section='general/governing-law']").scrollIntoView(); document.querySelector("[data-section='general/governing-law'] p").getBoundingClientRect().top`, &before),
		waitWasm(),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Evaluate(`document.querySelector("[data-section='general/governing-law'] p").getBoundingClientRect().top`, &after),
		chromedp.Evaluate(`window.eulagateShift`, &shift),
		chromedp.Evaluate(sectionTexts, &textAfter),
		chromedp.Evaluate(`document.querySelectorAll("[data-adopt]").length`, &placeholders),
	)
	if err != nil {
		t.Fatal(err)
	}
	skipIfWasmRan(t, wasmBefore)
	if d := after - before; d < -2 || d > 2 {
		t.Errorf("the paragraph read moved from %v to %v px from the top of the window when the wasm took over", before, after)
	}
	if shift > 0.01 {
		t.Errorf("layout shift %v when the wasm took over", shift)
	}
	// The wasm took the prerendered text over: every section reads as
	// before, none left empty.
	if placeholders != 0 {
		t.Errorf("%d section bodies left empty after the wasm took over", placeholders)
	}
	if len(textBefore) < 50 || !slices.Equal(textBefore, textAfter) {
		t.Errorf("the text changed when the wasm took over: %d bodies before, %d after", len(textBefore), len(textAfter))
	}
}

// TestViewerSwitchFetchedAhead switches from English to Russian once the
// page has been idle: the switch asks the server nothing (the view was
// fetched ahead), shows the Russian text, and the English original of a
// section, hidden until then, opens with its text.
func TestViewerSwitchFetchedAhead(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1280, Height: 900})
	var asked int
	var original string
	var switched, prerendered []string
	var acceptEnabled bool
	texts := `[...document.querySelectorAll(".eula-section-body")].map(e => e.textContent)`
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?lang=en&product=husky-m20"),
		waitWasm(),
		// The views of the other languages are fetched once the page is idle.
		waitJS(`performance.getEntriesByType("resource").filter(e => e.name.includes("`+api.PathView+`") && e.name.includes("lang=ru")).length > 0`),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.Evaluate(`window.__viewsBefore = performance.getEntriesByType("resource").filter(e => e.name.includes("`+api.PathView+`")).length; const s = document.querySelector("#eula-lang-select"); s.value = "ru"; s.dispatchEvent(new Event("change", {bubbles: true})); true`, nil),
		waitJS(`document.querySelector("#eula-page").lang === "ru" && document.querySelector(".eula-section-body").textContent.includes("Milestone")`),
		chromedp.Evaluate(`performance.getEntriesByType("resource").filter(e => e.name.includes("`+api.PathView+`")).length - window.__viewsBefore`, &asked),
		// The originals' buttons come a frame after the text.
		waitFor(`.eula-original-toggle[data-for="general/affiliated-companies"]`),
		click(`.eula-original-toggle[data-for="general/affiliated-companies"]`),
		waitJS(`!document.getElementById("eula-original-general/affiliated-companies").hidden`),
		chromedp.Evaluate(`document.getElementById("eula-original-general/affiliated-companies").querySelector(".eula-original-body").textContent`, &original),
		// The text changed where the reader was first, then everywhere:
		// the whole page reads as the Russian page does.
		chromedp.Evaluate(texts, &switched),
		evalBool(`!document.querySelector("#eula-accept").disabled`, &acceptEnabled),
		chromedp.Navigate(ts.URL+"/?lang=ru&product=husky-m20&wasm=false"),
		waitFor("#eula-accept"),
		chromedp.Evaluate(texts, &prerendered),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(switched) < 50 || !slices.Equal(switched, prerendered) {
		t.Errorf("after the switch %d section bodies, not all as the Russian page's %d", len(switched), len(prerendered))
	}
	if !acceptEnabled {
		t.Error("I accept stays disabled after the switch")
	}
	if asked != 0 {
		t.Errorf("the switch asked the server %d times for a view fetched ahead", asked)
	}
	if !strings.Contains(original, "Affiliated") && !strings.Contains(original, "affiliated") {
		t.Errorf("the English original shown after the switch reads %q", original)
	}
}

// TestViewerPickerFetchesAhead reaches for the language picker in a page
// that never becomes idle: the other languages, which the page otherwise
// fetches once idle, are fetched as soon as the picker has the focus, so
// that the choice to come need not wait for them.
func TestViewerPickerFetchesAhead(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1280, Height: 900})
	views := `performance.getEntriesByType("resource").filter(e => e.name.includes("` + api.PathView + `")).map(e => new URL(e.name).searchParams.get("lang")).sort()`
	var idle, reached, others []string
	err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			if _, err := page.AddScriptToEvaluateOnNewDocument(`window.requestIdleCallback = () => 1; window.cancelIdleCallback = () => {};`).Do(ctx); err != nil {
				return err
			}
			// A headless page has no focus of its own: without it, moving
			// the focus fires no focus event.
			return emulation.SetFocusEmulationEnabled(true).Do(ctx)
		}),
		chromedp.Navigate(ts.URL+"/?lang=en&product=husky-m20"),
		waitWasm(),
		chromedp.Sleep(time.Second),
		chromedp.Evaluate(views, &idle),
		chromedp.Evaluate(`[...document.querySelectorAll("#eula-lang-select option")].map(o => o.value).filter(l => l !== "en").sort()`, &others),
		chromedp.Focus("#eula-lang-select", chromedp.ByQuery),
	)
	if err == nil {
		err = chromedp.Run(ctx,
			waitJS(views+`.length >= `+strconv.Itoa(len(others))),
			chromedp.Evaluate(views, &reached),
		)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(idle) != 0 {
		t.Errorf("a page never idle fetched the views of %v before the picker had the focus", idle)
	}
	if len(others) == 0 || !slices.Equal(reached, others) {
		t.Errorf("with the picker focused the page fetched the views of %v, want %v", reached, others)
	}
}

// TestViewerMustReadWithoutWasm reads a must-read page where the wasm does
// not run: the plain page keeps "I accept" disabled until the reader, at
// the end of the text, has told the server so; declining asks first, and
// the plain form records the acceptance.
func TestViewerMustReadWithoutWasm(t *testing.T) {
	ts := newTestServer(t)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	var disabledFirst, openAfterBack, acceptAfterBack bool
	var backText, backWant string
	err := chromedp.Run(ctx,
		blockWasm(ts),
		chromedp.Navigate(ts.URL+"/?product=husky-m20&lang=hu&mustread=1"),
		waitFor(".eula-wasm-failed"),
		evalBool(`document.querySelector("#eula-accept").disabled`, &disabledFirst),
		axe(t, "without the wasm"),
		click("#eula-decline"),
		waitJS(`document.querySelector("#eula-confirm").checkVisibility()`),
		axe(t, "decline confirmation without the wasm"),
		screenshot(t, "nowasm-decline-confirm"),
		// "I decline" again closes the question: the plain page's way back.
		click("#eula-decline"),
		waitJS(`!document.querySelector("#eula-confirm").checkVisibility()`),
		key(kb.End),
		// The end of the text reached, the reader says so to the server,
		// which sends the page back with "I accept" offered.
		click("#eula-read-end"),
		waitJS(`!!document.querySelector("#eula-accept") && !document.querySelector("#eula-accept").disabled`),
		// "No, go back" loads the page again, the question closed and the
		// read-to-end step kept.
		click("#eula-decline"),
		waitJS(`document.querySelector("#eula-decline-no").checkVisibility()`),
		text("#eula-decline-no", &backText),
		chromedp.Evaluate(`window.eulaBefore = true`, nil),
		click("#eula-decline-no"),
		waitJS(`!window.eulaBefore && document.readyState === "complete" && !!document.querySelector("#eula-decline-ask")`),
		evalBool(`document.querySelector("#eula-decline-ask").open`, &openAfterBack),
		evalBool(`!document.querySelector("#eula-accept").disabled`, &acceptAfterBack),
		chromedp.Evaluate(`JSON.parse(document.getElementById("eula-view").textContent).labels["decline.no"]`, &backWant),
		click("#eula-accept"),
		waitFor(`#eula-outcome[data-decision="accepted"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !disabledFirst {
		t.Error("accept was enabled before the end")
	}
	if backText != backWant || openAfterBack || !acceptAfterBack {
		t.Errorf("going back from declining: link %q (want %q), question open %v, accept offered %v; want the question closed and accept offered", backText, backWant, openAfterBack, acceptAfterBack)
	}
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Document.Language != "hu" {
		t.Errorf("records %+v", recs)
	}
}

// TestViewerSectionLink opens a shared section link (#section-id): the
// section's heading is in view under the sticky header, and stays there
// after the wasm took over; the page's language and title follow a switch.
func TestViewerSectionLink(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	var inView bool
	var htmlLang, title string
	err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			return emulation.SetDeviceMetricsOverride(1024, 768, 1, false).Do(ctx)
		}),
		chromedp.Navigate(ts.URL+"/?lang=ru#general/governing-law"),
		waitWasm(),
		chromedp.Sleep(200*time.Millisecond),
		evalBool(`(() => { const h = document.getElementById("general/governing-law"); const r = h.getBoundingClientRect(); const head = document.querySelector(".eula-header").getBoundingClientRect(); return r.top >= head.bottom - 1 && r.top < window.innerHeight / 2; })()`, &inView),
		screenshot(t, "section-link"),
		focusJS("#eula-lang-select"),
		chromedp.Evaluate(`(() => { const s = document.querySelector("#eula-lang-select"); s.value = "ja"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil),
		waitJS(`document.documentElement.lang === "ja"`),
		chromedp.Evaluate(`document.documentElement.lang`, &htmlLang),
		chromedp.Evaluate(`document.title`, &title),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !inView {
		t.Error("the linked section is not in view below the header")
	}
	if htmlLang != "ja" || !strings.Contains(title, "Milestone") {
		t.Errorf("after switching: html lang %q, title %q", htmlLang, title)
	}
}

// TestViewerTakeoverWithoutBoot runs the wasm on a page whose boot script
// could not set up its helpers: the wasm then copies the prerendered text
// instead of taking it over, and the reader still reads all of it.
func TestViewerTakeoverWithoutBoot(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{})
	var before, after []string
	texts := `[...document.querySelectorAll(".eula-section-body")].map(e => e.textContent)`
	err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(`Object.defineProperty(window, "eulagate", {value: undefined, writable: false});`).Do(ctx)
			return err
		}),
		chromedp.Navigate(ts.URL+"/?lang=hu&product=husky-m20&wasm=false"),
		waitFor("#eula-accept"),
		chromedp.Evaluate(texts, &before),
		chromedp.Navigate(ts.URL+"/?lang=hu&product=husky-m20"),
		waitWasm(),
		chromedp.Evaluate(texts, &after),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) < 50 || !slices.Equal(before, after) {
		t.Errorf("without boot.js's helpers the wasm shows other text: %d bodies prerendered, %d after", len(before), len(after))
	}
}

// TestViewerTakeoverKeepsInput checks that what the reader did in the page's
// controls before the wasm ran is kept when it takes over: the text typed
// in the find box (which the wasm then finds), the contents list opened,
// and the focus.
func TestViewerTakeoverKeepsInput(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1280, Height: 900})
	var wasmBefore, typed, focused, status string
	var open bool
	err := chromedp.Run(ctx,
		beforeWasm(ts, "/?lang=en&product=husky-m20", "#eula-find-input", &wasmBefore),
		chromedp.Evaluate(`document.querySelector("#eula-toc details").open = true; true`, nil),
		chromedp.Focus("#eula-find-input", chromedp.ByQuery),
		chromedp.SendKeys("#eula-find-input", "Husky", chromedp.ByQuery),
		waitWasm(),
		waitJS(`document.querySelector("#eula-find-status").textContent.trim() !== ""`),
		chromedp.Evaluate(`document.querySelector("#eula-find-input").value`, &typed),
		evalBool(`document.querySelector("#eula-toc details").open`, &open),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
		chromedp.Evaluate(`document.querySelector("#eula-find-status").textContent`, &status),
	)
	if err != nil {
		t.Fatal(err)
	}
	skipIfWasmRan(t, wasmBefore)
	if typed != "Husky" || !open || focused != "eula-find-input" {
		t.Errorf("after the takeover: find box %q, contents open %v, focus on %q", typed, open, focused)
	}
	t.Logf("find status after the takeover: %q", status)
}

// The question "I decline" asks, opened before the wasm runs, is still
// asked once the wasm has taken the page over (its dialog), and Escape
// then goes back to "I decline", as "No, go back" does.
func TestViewerTakeoverKeepsDeclineQuestion(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1280, Height: 900})
	var wasmBefore string
	var asked, yesFocused, back, declineFocused bool
	err := chromedp.Run(ctx,
		beforeWasm(ts, "/?lang=hu&product=husky-m20", "#eula-decline-ask", &wasmBefore),
		click("#eula-decline"),
		waitWasm(),
		waitFor("#eula-decline-no"),
		evalBool(`document.querySelector("#eula-confirm").getAttribute("role") === "alertdialog"`, &asked),
		waitJS(`document.activeElement === document.querySelector("#eula-decline-yes")`),
		evalBool(`document.activeElement === document.querySelector("#eula-decline-yes")`, &yesFocused),
		screenshot(t, "takeover-decline-question"),
		key(kb.Escape),
		waitJS(`!document.querySelector("#eula-confirm")`),
		evalBool(`!!document.querySelector("button#eula-decline")`, &back),
		waitJS(`document.activeElement === document.querySelector("#eula-decline")`),
		evalBool(`document.activeElement === document.querySelector("#eula-decline")`, &declineFocused),
	)
	if err != nil {
		t.Fatal(err)
	}
	skipIfWasmRan(t, wasmBefore)
	if !asked || !yesFocused || !back || !declineFocused {
		t.Errorf("after the takeover: asked in a dialog %v, focus on yes %v; after Escape: I decline %v, focused %v", asked, yesFocused, back, declineFocused)
	}
	if n := len(ts.records(t)); n != 0 {
		t.Errorf("%d records; want none", n)
	}
}

// A language picked in the plain picker before the wasm runs, and not yet
// applied, is not lost when the wasm takes the page over: the page then
// shows that language, as if the reader had picked it afterwards.
func TestViewerTakeoverKeepsLanguage(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1280, Height: 900})
	var wasmBefore, picked, url, heading string
	err := chromedp.Run(ctx,
		beforeWasm(ts, "/?lang=en&product=husky-m20", "#eula-lang-select", &wasmBefore),
		chromedp.Evaluate(`(() => { const s = document.querySelector("#eula-lang-select"); s.value = "hu"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil),
		waitWasm(),
		waitJS(`document.querySelector("#eula-page").lang === "hu"`),
		chromedp.Evaluate(`document.querySelector("#eula-lang-select").value`, &picked),
		chromedp.Evaluate(`location.search`, &url),
		chromedp.Evaluate(`document.querySelector(".eula-section-body h1, .eula-section-body h2").textContent`, &heading),
	)
	if err != nil {
		t.Fatal(err)
	}
	skipIfWasmRan(t, wasmBefore)
	if picked != "hu" || !strings.Contains(url, "lang=hu") {
		t.Errorf("after the takeover: picker %q, address %q; want hu in both", picked, url)
	}
	if strings.Contains(heading, "End-user License Agreement") {
		t.Errorf("the first heading is still the English one: %q", heading)
	}
}

// originalState is what a test reads of the English originals of a
// translated page: for each section with one, whether its button says it is
// shown, whether it is (rendered, with its text; sections off screen are
// not laid out, so their height says nothing), and the button's text.
type originalState struct {
	ID      string `json:"id"`
	Pressed bool   `json:"pressed"`
	Shown   bool   `json:"shown"`
	Button  string `json:"button"`
}

const readOriginals = `[...document.querySelectorAll(".eula-original-toggle")].map(b => {
  const o = document.getElementById(b.getAttribute("aria-controls"));
  return {id: b.dataset.for, pressed: b.getAttribute("aria-expanded") === "true",
    shown: !!o && o.checkVisibility() && o.querySelector(".eula-original-body").textContent.trim() !== "",
    button: b.textContent.trim()};
})`

// Before (and without) the wasm, a translated page leaves the English
// original out, and links each section to the English page at that
// section, and the whole document to the English page, in the page's
// language: a reader without scripts follows the link to see the original
// that prevails.
func TestViewerOriginalWithoutWasm(t *testing.T) {
	ts := newTestServer(t)
	ctx := headless.New(t, headless.Options{Width: 1280, Height: 900})
	id := placeSection(t)
	link := fmt.Sprintf(`.eula-section[data-section="%s"] .eula-original-link`, id)
	var labels map[string]string
	var sectionLinks, sections, originals int
	var linkText, allText, lang, at string
	var headingInView bool
	err := chromedp.Run(ctx,
		blockWasm(ts),
		chromedp.Navigate(ts.URL+"/?lang=hu&product=husky-m20"),
		waitFor(".eula-original-link"),
		chromedp.Evaluate(`JSON.parse(document.getElementById("eula-view").textContent).labels`, &labels),
		chromedp.Evaluate(`document.querySelectorAll(".eula-original-link").length`, &sectionLinks),
		chromedp.Evaluate(`document.querySelectorAll(".eula-section").length`, &sections),
		chromedp.Evaluate(`document.querySelectorAll(".eula-original").length`, &originals),
		chromedp.Evaluate(`document.querySelector(`+jsString(link)+`).textContent`, &linkText),
		text("#eula-prevails-link", &allText),
		axe(t, "original links without the wasm"),
		chromedp.Evaluate(`document.querySelector(`+jsString(link)+`).scrollIntoView({block: "center"})`, nil),
		screenshot(t, "original-link-without-wasm"),
		click(link),
		waitJS(`document.querySelector("#eula-page") && document.querySelector("#eula-page").lang === "en"`),
		chromedp.Evaluate(`decodeURIComponent(location.hash.slice(1))`, &at),
		chromedp.Sleep(200*time.Millisecond),
		evalBool(`(() => { const r = document.getElementById(`+jsString(id)+`).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; })()`, &headingInView),
		chromedp.Evaluate(`document.querySelector("#eula-page").lang`, &lang),
	)
	if err != nil {
		t.Fatal(err)
	}
	if sectionLinks != sections || originals != 0 {
		t.Errorf("%d sections, %d links to their English original, %d originals in the page; want a link each and no original", sections, sectionLinks, originals)
	}
	if linkText != labels["original.heading"] || allText != labels["original.linkAll"] {
		t.Errorf("links say %q and %q; want %q and %q", linkText, allText, labels["original.heading"], labels["original.linkAll"])
	}
	if lang != "en" || at != id || !headingInView {
		t.Errorf("after following the link: page in %q at #%s, heading in view %v; want the English page at #%s", lang, at, headingInView, id)
	}
}

// A section's link to its English original, before the wasm, is the button
// that shows the original beside the text once the wasm has taken the page
// over; the original comes when asked for, and the others stay hidden.
func TestViewerTakeoverKeepsOriginals(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1280, Height: 900})
	var wasmBefore string
	var after []originalState
	err := chromedp.Run(ctx,
		beforeWasm(ts, "/?lang=hu&product=husky-m20", ".eula-original-link", &wasmBefore),
		waitWasm(),
		waitFor(".eula-original-toggle"),
		chromedp.Evaluate(`document.querySelectorAll(".eula-original-toggle")[1].click()`, nil),
		waitJS(`document.querySelectorAll(".eula-original-toggle")[1].getAttribute("aria-expanded") === "true"`),
		waitJS(`document.querySelectorAll(".eula-original-body")[1].textContent.trim() !== ""`),
		chromedp.Evaluate(readOriginals, &after),
	)
	if err != nil {
		t.Fatal(err)
	}
	skipIfWasmRan(t, wasmBefore)
	if len(after) < 2 {
		t.Fatalf("%d English original buttons after the takeover; want several", len(after))
	}
	for i, s := range after {
		if want := i == 1; s.Pressed != want || s.Shown != want {
			t.Errorf("after the takeover, section %s: %+v; want shown %v", s.ID, s, want)
		}
	}
}
