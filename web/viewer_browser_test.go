package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

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
				chromedp.ActionFunc(func(ctx context.Context) error {
					// Stop the wasm to look at the page as the server sent it.
					return blockURL(ctx, ts.URL+"/web/app.wasm")
				}),
				chromedp.Navigate(u),
				waitFor(".eula-wasm-failed"),
				evalBool(fmt.Sprintf(`document.querySelector(".eula-document").innerText.includes(%s)`, jsString(lang.phrase)), &prerendered),
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
				// Decline asks first, by click; going back by keyboard.
				click("#eula-decline"),
				waitFor("#eula-confirm"),
				evalBool(`document.activeElement === document.querySelector("#eula-decline-yes")`, &confirmFocused),
				screenshot(t, lang.lang+"-decline-confirm"),
				axe(t, "decline confirmation"),
				key(kb.Tab),
				key(kb.Enter),
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

var _ = page.PrintToPDF
