package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/locales/fonts"
)

// systemFontDirs are the only fonts the browser sees in the font tests: a
// Debian system with DejaVu and Liberation and no CJK font, as an
// appliance's kiosk may be.
var systemFontDirs = []string{"/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"}

// noCJKFontconfig writes a fontconfig file that lists only systemFontDirs
// and returns the environment that makes Chromium use it.
func noCJKFontconfig(t *testing.T) []string {
	t.Helper()
	for _, d := range systemFontDirs {
		if _, err := os.Stat(d); err != nil {
			t.Skipf("SKIPPING: %s is missing (fonts-dejavu-core, fonts-liberation)", d)
		}
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
`)
	for _, d := range systemFontDirs {
		fmt.Fprintf(&b, "  <dir>%s</dir>\n", d)
	}
	fmt.Fprintf(&b, "  <cachedir>%s</cachedir>\n", filepath.Join(dir, "cache"))
	for _, c := range []string{"30-metric-aliases.conf", "45-latin.conf", "49-sansserif.conf", "60-latin.conf"} {
		fmt.Fprintf(&b, "  <include ignore_missing=\"yes\">/etc/fonts/conf.d/%s</include>\n", c)
	}
	b.WriteString("</fontconfig>\n")
	file := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"FONTCONFIG_FILE=" + file}
	// The premise: fontconfig finds no font for Japanese.
	cmd := exec.Command("fc-list", ":lang=ja", "family")
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.Output(); err == nil && len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("the test's fontconfig still finds Japanese fonts: %s", out)
	}
	return env
}

// fontRequests counts the requests for the shipped fonts, and the bytes
// sent, as the server sees them.
type fontRequests struct {
	mu    sync.Mutex
	count map[string]int
	bytes map[string]int
}

func (f *fontRequests) snapshot() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.count {
		out[k] = v
	}
	return out
}

// countingWriter counts the body bytes written.
type countingWriter struct {
	http.ResponseWriter
	n int
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

// countFonts serves ts's handler on a server of its own that counts the
// requests for /web/fonts/.
func countFonts(t *testing.T, ts *testServer) (*httptest.Server, *fontRequests) {
	t.Helper()
	reqs := &fontRequests{count: map[string]int{}, bytes: map[string]int{}}
	h := ts.Config.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/web/fonts/")
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		reqs.mu.Lock()
		reqs.count[name]++
		reqs.bytes[name] += cw.n
		reqs.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, reqs
}

// fontsSettled waits until the page's fonts are loaded and reports
// whether they are.
func fontsSettled() chromedp.Action {
	return chromedp.Evaluate(`document.fonts.ready.then(() => true)`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })
}

// platformFonts reads the fonts that drew the text of the element matching
// sel (CSS.getPlatformFontsForNode): family to glyph count, "*" marking a
// downloaded font.
func platformFonts(sel string, out *map[string]float64) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := dom.Enable().Do(ctx); err != nil {
			return err
		}
		if err := css.Enable().Do(ctx); err != nil {
			return err
		}
		root, err := dom.GetDocument().Do(ctx)
		if err != nil {
			return err
		}
		id, err := dom.QuerySelector(root.NodeID, sel).Do(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", sel, err)
		}
		if id == 0 {
			return fmt.Errorf("no %s", sel)
		}
		used, err := css.GetPlatformFontsForNode(cdp.NodeID(id)).Do(ctx)
		if err != nil {
			return fmt.Errorf("platform fonts of %s: %w", sel, err)
		}
		*out = map[string]float64{}
		for _, f := range used {
			name := f.FamilyName
			if f.IsCustomFont {
				name += "*"
			}
			(*out)[name] += f.GlyphCount
		}
		return nil
	})
}

// faceNames returns the shipped faces' file names whose slice is name.
func faceNames(t *testing.T, slice string) []string {
	t.Helper()
	faces, err := fonts.Faces()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range faces {
		if strings.Contains(f.File, "-"+slice+"-") {
			out = append(out, f.File)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no shipped face of slice %s", slice)
	}
	return out
}

// TestFontsWithoutSystemCJK loads the viewer in a Chromium that has only
// DejaVu and Liberation: English and Russian pages download no Japanese
// face (the language picker's "日本語" at most the common one, of a few
// characters); the Japanese page draws its text with the shipped faces,
// not as tofu, and again offline from the worker's cache.
func TestFontsWithoutSystemCJK(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	srv, reqs := countFonts(t, ts)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768, Env: noCJKFontconfig(t)})
	jaFaces := faceNames(t, "ja")
	commonFaces := faceNames(t, "common")

	// The control: with the shipped faces blocked, this browser draws the
	// Japanese text as tofu, from a system font.
	var blockedFonts map[string]float64
	err := chromedp.Run(ctx,
		network.Enable(),
		network.SetBlockedURLs().WithURLPatterns([]*network.BlockPattern{{URLPattern: srv.URL + "/web/fonts/*", Block: true}}),
		chromedp.Navigate(srv.URL+"/?product=husky-m20&lang=ja&wasm=false"),
		waitFor("#eula-title"),
		fontsSettled(),
		screenshot(t, "fonts-ja-blocked-tofu"),
		platformFonts("#eula-prevails p", &blockedFonts),
		network.SetBlockedURLs().WithURLPatterns(nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	for f := range blockedFonts {
		if strings.HasSuffix(f, "*") {
			t.Errorf("with the faces blocked, the notice is still drawn with a downloaded font: %v", blockedFonts)
		}
	}
	t.Logf("with the faces blocked, the notice is drawn with %v", blockedFonts)

	fetchedJa := func(what string) {
		t.Helper()
		got := reqs.snapshot()
		for _, f := range jaFaces {
			if got[f] > 0 {
				t.Errorf("%s: the Japanese face %s was downloaded (requests %v)", what, f, got)
			}
		}
	}
	for _, lang := range []string{"ru", "en"} {
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+"/?product=husky-m20&lang="+lang),
			waitWasm(),
			fontsSettled(),
		)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s page: font requests %v", lang, reqs.snapshot())
		fetchedJa(lang + " page")
	}
	// The picker's "日本語", when the list is opened, needs the common
	// face only.
	var pickerReady bool
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`document.fonts.load('16px "`+fonts.Family+`"', "日本語").then(f => f.length > 0 && document.fonts.check('16px "`+fonts.Family+`"', "日本語"))`, &pickerReady,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !pickerReady {
		t.Error(`the English page cannot load a face for "日本語"`)
	}
	// The list opened in place (a list box: a headless browser draws no
	// drop-down), as a reader sees it.
	var optionFonts map[string]float64
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`document.querySelector("#eula-lang-select").size = 4; true`, nil),
		fontsSettled(),
		screenshot(t, "fonts-en-picker-open"),
		platformFonts(`#eula-lang-select option[value="ja"]`, &optionFonts),
	)
	if err != nil {
		t.Fatal(err)
	}
	if optionFonts["Noto Sans CJK JP*"] < 3 {
		t.Errorf(`the English page's picker draws "日本語" with %v, want the shipped face`, optionFonts)
	}
	fetchedJa(`"日本語" on the English page`)
	if got := reqs.snapshot(); got[commonFaces[0]] == 0 {
		t.Errorf("the common face %s was not downloaded for the picker (requests %v)", commonFaces[0], got)
	}

	// The Japanese page, with the wasm and before it.
	for _, test := range []struct{ name, query string }{
		{"wasm", "/?product=husky-m20&lang=ja&installer=fonts-1"},
		{"no-wasm", "/?product=husky-m20&lang=ja&wasm=false"},
		{"kiosk", "/?product=husky-ivo-350t&installer=kiosk-fonts&kiosk=1&mustread=1&lang=ja"},
	} {
		t.Run(test.name, func(t *testing.T) {
			checkJapanese(t, ctx, srv.URL+test.query, test.name != "no-wasm", "fonts-ja-"+test.name)
		})
	}
	got := reqs.snapshot()
	for _, f := range append(jaFaces, commonFaces...) {
		if got[f] == 0 && strings.HasSuffix(f, "-400.woff2") {
			t.Errorf("the Japanese page did not download %s (requests %v)", f, got)
		}
	}
	t.Logf("font requests %v, bytes sent %v", got, reqs.bytes)

	// Offline: once the worker controls the page and has kept the faces,
	// the Japanese page draws with them with the server gone.
	var kept bool
	err = chromedp.Run(ctx,
		waitJS(`!!navigator.serviceWorker.controller`),
		chromedp.Navigate(srv.URL+"/?product=husky-m20&lang=ja"),
		waitWasm(),
		fontsSettled(),
		chromedp.Evaluate(`(async () => {
			for (const key of await caches.keys()) {
				if (await (await caches.open(key)).match(`+jsString("/web/fonts/"+jaFaces[0])+`)) {
					return true;
				}
			}
			return false;
		})()`, &kept, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.ActionFunc(func(context.Context) error {
			srv.CloseClientConnections()
			srv.Close()
			return nil
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !kept {
		t.Errorf("the worker's caches do not hold %s", jaFaces[0])
	}
	t.Run("offline", func(t *testing.T) {
		checkJapanese(t, ctx, srv.URL+"/?product=husky-m20&lang=ja", true, "fonts-ja-offline")
	})
}

// checkJapanese opens a Japanese page and checks that its Japanese text is
// drawn with the shipped faces: the faces are loaded, the glyphs are as
// wide as Noto's (one em per ideograph) and not as the system's tofu, and
// the fonts that drew the title, the picker, a heading and the buttons are
// the shipped ones for every CJK character. It saves a screenshot as name.
func checkJapanese(t *testing.T, ctx context.Context, url string, wasm bool, name string) {
	t.Helper()
	family := jsString(`16px "` + fonts.Family + `"`)
	var (
		checked bool
		faces   []string
		widths  struct{ Shipped, System, Expected float64 }
		title   string
	)
	wait := waitFor("#eula-accept")
	if wasm {
		wait = waitWasm()
	}
	err := chromedp.Run(ctx,
		chromedp.Navigate(url),
		wait,
		fontsSettled(),
		chromedp.Evaluate(`document.fonts.check(`+family+`, "日本語契約書")`, &checked),
		chromedp.Evaluate(`[...document.fonts].filter(f => f.family.replace(/"/g, "") === `+jsString(fonts.Family)+`).map(f => f.weight + " " + f.status + " " + f.unicodeRange)`, &faces),
		// The tofu baseline: the same characters in a font that lacks them,
		// with no system font to fall back to, against the shipped face.
		chromedp.Evaluate(`(() => {
			const c = document.createElement("canvas").getContext("2d");
			const s = "契約書";
			c.font = `+family+`; const shipped = c.measureText(s).width;
			c.font = '16px "DejaVu Sans"'; const system = c.measureText(s).width;
			return {Shipped: shipped, System: system, Expected: 16 * s.length};
		})()`, &widths),
		chromedp.Evaluate(`document.title`, &title),
		screenshot(t, name),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Errorf(`document.fonts.check(%s, "日本語契約書") is false: the faces are not loaded`, family)
	}
	loaded := 0
	for _, f := range faces {
		if strings.Contains(f, " loaded ") {
			loaded++
		}
	}
	if loaded < 2 {
		t.Errorf("faces of %s: %q, want the common and ja faces loaded", fonts.Family, faces)
	}
	if widths.Shipped != widths.Expected || widths.System == widths.Expected {
		t.Errorf("width of 契約書: %v with the shipped face (want %v), %v with DejaVu Sans alone (tofu, want another width)", widths.Shipped, widths.Expected, widths.System)
	}
	for _, sel := range []string{"#eula-title", "#eula-lang-select option:checked", ".eula-lang label", ".eula-document :is(h1, h2, h3)", ".eula-document p", "#eula-prevails p", "#eula-accept"} {
		var used map[string]float64
		var text string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const e = document.querySelector(`+jsString(sel)+`); return e ? e.textContent : ""; })()`, &text)); err != nil {
			t.Fatal(err)
		}
		if text == "" {
			t.Errorf("no %s on the page", sel)
			continue
		}
		if strings.Contains(sel, "option") {
			sel = "#eula-lang-select" // the select draws its chosen option
		}
		if err := chromedp.Run(ctx, platformFonts(sel, &used)); err != nil {
			t.Fatal(err)
		}
		cjk, shipped := shippedGlyphs(text, used)
		var names []string
		for f, n := range used {
			names = append(names, fmt.Sprintf("%s %.0f", f, n))
		}
		slices.Sort(names)
		if shipped < float64(cjk) {
			t.Errorf("%s %q: %d CJK characters, %v glyphs from the shipped faces (fonts used: %v)", sel, text, cjk, shipped, names)
		}
		t.Logf("%s: %v", sel, names)
	}
}

// TestFontsConsoleWithoutSystemCJK opens the console's sign-in page in
// Japanese in a Chromium that has no CJK font: the page links the shared
// style sheet, which declares the shipped faces, and its heading, text and
// button are drawn with them, not as tofu.
func TestFontsConsoleWithoutSystemCJK(t *testing.T) {
	ts := newTestServer(t)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768, Env: noCJKFontconfig(t)})
	family := jsString(`16px "` + fonts.Family + `"`)
	var checked bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/console?lang=ja"),
		waitFor("#token"),
		fontsSettled(),
		chromedp.Evaluate(`document.fonts.check(`+family+`, "管理者")`, &checked),
		screenshot(t, "fonts-console-ja"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Errorf(`document.fonts.check(%s, "管理者") is false: the console page has not loaded the shipped faces`, family)
	}
	for _, sel := range []string{"h1", "main p", "label[for=token]", "main button"} {
		var text string
		var used map[string]float64
		err := chromedp.Run(ctx,
			chromedp.Evaluate(`document.querySelector(`+jsString(sel)+`).textContent`, &text),
			platformFonts(sel, &used),
		)
		if err != nil {
			t.Fatal(err)
		}
		cjk, shipped := shippedGlyphs(text, used)
		if cjk == 0 || shipped < float64(cjk) {
			t.Errorf("console %s %q: %d CJK characters, %v glyphs from the shipped faces (fonts used: %v)", sel, text, cjk, shipped, used)
		}
	}
}

// shippedGlyphs returns how many characters of text the system's fonts
// lack (CJK), and how many glyphs the fonts used (platformFonts) drew from
// the shipped faces.
func shippedGlyphs(text string, used map[string]float64) (cjk int, shipped float64) {
	for _, r := range text {
		if !fonts.InSystem(r) && !unicode.IsSpace(r) {
			cjk++
		}
	}
	for f, n := range used {
		if strings.HasSuffix(f, "*") {
			shipped += n
		}
	}
	return cjk, shipped
}
