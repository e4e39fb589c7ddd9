package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/engine"
	"github.com/eulagate/eulagate/web"
	"github.com/eulagate/eulagate/web/internal/goappfix"
)

// TestEngines runs the viewer in Firefox ESR and WebKitGTK as a reader
// does, one browser per engine and a fresh server (a fresh origin, with no
// service worker yet) for each part: the prerendered page and the wasm's
// takeover with app.wasm's downloads counted at the server, the English
// original, a language switch and accepting; the plain form when app.wasm
// cannot load; find, must-read and declining; the host page's postMessage
// and the return URL; the dealer's form and receipt; offline after a first
// visit. axe-core runs on each page. It writes the ja page at 800×600 to
// testdata/artifacts/engine-<engine>-ja-800x600.png.
func TestEngines(t *testing.T) {
	for _, k := range engine.Kinds {
		t.Run(string(k), func(t *testing.T) {
			b := engine.New(t, k, engine.Options{Width: 800, Height: 600})
			t.Logf("engine: %s", b.Name())
			for _, part := range []struct {
				name string
				run  func(*testing.T, engine.Kind, engine.Browser)
			}{
				{"viewer", engineViewer},
				{"without-wasm", engineWithoutWasm},
				{"find-mustread-decline", engineFindMustReadDecline},
				{"host", engineHost},
				{"return", engineReturn},
				{"dealer", engineDealer},
				{"offline", engineOffline},
			} {
				t.Run(part.name, func(t *testing.T) { part.run(t, k, b) })
			}
		})
	}
}

// engineCtx is the time one part of TestEngines may take.
func engineCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// mustEngine fails the test, naming the engine, if err is not nil.
func mustEngine(t *testing.T, b engine.Browser, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", b.Name(), err)
	}
}

// engineShot writes the page's screenshot to
// testdata/artifacts/engine-<engine>-<name>.png.
func engineShot(ctx context.Context, t *testing.T, k engine.Kind, b engine.Browser, name string) {
	t.Helper()
	png, err := b.Screenshot(ctx)
	mustEngine(t, b, err)
	mustEngine(t, b, os.WriteFile(filepath.Join(artifactDir(t), "engine-"+string(k)+"-"+name+".png"), png, 0o644))
}

// firstProduct is the first product of the bundled catalog.
func firstProduct(t *testing.T) eula.Product {
	t.Helper()
	ps := bundled.Products()
	if len(ps) == 0 {
		t.Skip("SKIPPING: the catalog has no product")
	}
	return ps[0]
}

// otherLanguage returns a language the page's picker offers besides
// those named.
func otherLanguage(ctx context.Context, t *testing.T, b engine.Browser, not ...string) string {
	t.Helper()
	var langs []string
	mustEngine(t, b, b.Eval(ctx, `return [...document.querySelectorAll("#eula-lang-select option")].map(o => o.value).filter(v => v)`, &langs))
	for _, l := range langs {
		if !slices.Contains(not, l) {
			return l
		}
	}
	t.Fatalf("the picker offers no language but %v (%v)", not, langs)
	return ""
}

// clickLater clicks the element sel once the script that asks has
// returned (a click that navigates or re-renders would otherwise cut the
// driver's answer).
func clickLater(sel string) string {
	return fmt.Sprintf(`const e = document.querySelector(%s); if (!e) throw new Error("no " + %[1]s); setTimeout(() => e.click()); return null`, jsQuote(sel))
}

func engineViewer(t *testing.T, k engine.Kind, b engine.Browser) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ts.wasm.reset()
	ctx := engineCtx(t)
	must := func(err error) { t.Helper(); mustEngine(t, b, err) }
	// The prerendered page, app.wasm held back by the server a moment.
	ts.wasm.delay.Store(int64(1500 * time.Millisecond))
	must(b.Open(ctx, ts.URL+"/?lang=ja"))
	var before struct {
		Wasm  string   `json:"wasm"`
		Lang  string   `json:"lang"`
		Texts []string `json:"texts"`
	}
	const page = `const p = document.querySelector("#eula-page");
		return {wasm: p.dataset.wasm, lang: p.lang, texts: [...document.querySelectorAll(".eula-section-body")].map(e => e.textContent)};`
	must(b.Eval(ctx, page, &before))
	if before.Lang != "ja" || len(before.Texts) == 0 || before.Texts[0] == "" {
		t.Errorf("prerendered page: lang %q, %d sections", before.Lang, len(before.Texts))
	}
	must(waitEval(ctx, b, `document.querySelector('#eula-page[data-wasm="on"]') !== null`))
	ts.wasm.delay.Store(0)
	// The page's head fetch and boot.js's compile are one download.
	if n := ts.wasm.downloads.Load(); n != 1 {
		t.Errorf("%s: the page downloaded app.wasm %d times, want 1", b.Name(), n)
	}
	after := before
	must(b.Eval(ctx, page, &after))
	if !slices.Equal(before.Texts, after.Texts) {
		t.Errorf("the text changed when the wasm took over (wasm was %q before)", before.Wasm)
	}
	// The service worker's install leaves app.wasm to the page's own
	// download, which the page has the worker keep (a revalidation, not a
	// second download); WebKit's page does not ask (boot.js's keepWasm).
	var kept string
	must(b.Eval(ctx, `if (!("serviceWorker" in navigator) || !window.caches) return "no worker";
		if (navigator.vendor === "Apple Computer, Inc.") return "not asked";
		await Promise.race([navigator.serviceWorker.ready, new Promise(r => setTimeout(r, 5000))]);
		for (let i = 0; i < 100 && !(await caches.match("`+goappfix.WasmPath+`")); i++) { await new Promise(r => setTimeout(r, 100)); }
		return (await caches.match("`+goappfix.WasmPath+`")) ? "kept" : "not kept"`, &kept))
	if kept == "not kept" {
		t.Errorf("%s: the service worker did not keep app.wasm", b.Name())
	}
	if n := ts.wasm.downloads.Load(); n != 1 {
		t.Errorf("%s: app.wasm was downloaded %d times once the service worker installed, want 1", b.Name(), n)
	}
	engineShot(ctx, t, k, b, "ja-800x600")
	engineAxe(ctx, t, b, "ja page")

	// The English original beside a section.
	var original string
	must(b.Eval(ctx, `setTimeout(() => document.querySelector(".eula-original-toggle").click()); return null`, nil))
	must(waitEval(ctx, b, `document.querySelector(".eula-original:not([hidden]) .eula-original-body") !== null && document.querySelector(".eula-original:not([hidden]) .eula-original-body").textContent.trim() !== ""`))
	must(b.Eval(ctx, `return document.querySelector(".eula-original:not([hidden]) .eula-original-body").textContent`, &original))
	if strings.TrimSpace(original) == "" {
		t.Error("the English original shows no text")
	}

	// Switch to another language the picker offers.
	var other string
	must(b.Eval(ctx, `return [...document.querySelectorAll("#eula-lang-select option")].map(o => o.value).find(v => v && v !== "ja" && v !== "en") || ""`, &other))
	if other == "" {
		t.Fatal("the picker offers no third language")
	}
	must(b.Eval(ctx, fmt.Sprintf(`setTimeout(() => { const s = document.querySelector("#eula-lang-select"); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); }); return 0`, other), nil))
	if err := waitEval(ctx, b, fmt.Sprintf(`document.querySelector("#eula-page").lang === %q`, other)); err != nil {
		must(err)
	}

	// Accept, for the first product the picker offers: the record is
	// made, in the language read.
	must(b.Eval(ctx, `const s = document.querySelector("#eula-product-select"); if (!s) return null;
		s.value = [...s.options].map(o => o.value).find(v => v) || ""; setTimeout(() => s.dispatchEvent(new Event("change", {bubbles: true}))); return null`, nil))
	must(waitEval(ctx, b, `!document.querySelector("#eula-product-select") || document.querySelector("#eula-product-select").value !== ""`))
	// The decision bar offers "I accept" once it has the product.
	must(waitEval(ctx, b, `!document.querySelector("#eula-accept").disabled`))
	must(b.Eval(ctx, `setTimeout(() => document.querySelector("#eula-accept").click()); return null`, nil))
	if err := waitEval(ctx, b, `document.querySelector('#eula-outcome[data-decision="accepted"]') !== null`); err != nil {
		engineShot(ctx, t, k, b, "accept-failed")
		must(err)
	}
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Document.Language != other {
		t.Errorf("records after accepting in %s: %+v", other, recs)
	}
	engineAxe(ctx, t, b, "accepted")
	engineShot(ctx, t, k, b, "accepted")
}

func engineWithoutWasm(t *testing.T, k engine.Kind, b engine.Browser) {
	ts := newTestServer(t)
	ts.wasm.fail.Store(true) // app.wasm cannot be loaded: the plain path
	ctx := engineCtx(t)
	must := func(err error) { t.Helper(); mustEngine(t, b, err) }
	p := firstProduct(t)
	must(b.Open(ctx, ts.URL+"/?mustread=1&product="+p.Key))
	lang := otherLanguage(ctx, t, b, "en")
	must(b.Open(ctx, ts.URL+"/?mustread=1&lang="+lang+"&product="+p.Key))
	must(waitEval(ctx, b, `document.querySelector(".eula-wasm-failed") !== null`))
	var page struct {
		Label     string
		Shown     bool
		AcceptOff bool
	}
	must(b.Eval(ctx, `const e = document.querySelector(".eula-section"); const r = e.getBoundingClientRect();
		return {label: document.querySelector("#app-wasm-loader-label").textContent,
			shown: r.height > 0 && getComputedStyle(e).visibility === "visible" && e.textContent.trim() !== "",
			acceptOff: document.querySelector("#eula-accept").disabled}`, &page))
	if strings.TrimSpace(page.Label) == "" || strings.Contains(page.Label, "TypeError") || strings.Contains(page.Label, "Failed") {
		t.Errorf("without the wasm the page says %q", page.Label)
	}
	if !page.Shown || !page.AcceptOff {
		t.Errorf("without the wasm: text shown %v (want true), accept disabled before the end %v (want true)", page.Shown, page.AcceptOff)
	}
	engineAxe(ctx, t, b, "without the wasm")
	// Declining asks first, without the wasm too.
	must(b.Eval(ctx, clickLater("#eula-decline"), nil))
	must(waitEval(ctx, b, `document.querySelector("#eula-decline-yes") !== null`))
	engineAxe(ctx, t, b, "decline confirmation without the wasm")
	engineShot(ctx, t, k, b, "nowasm-decline-confirm")
	must(b.Eval(ctx, clickLater("#eula-decline-yes"), nil))
	must(waitEval(ctx, b, `document.querySelector('#eula-outcome[data-decision="declined"]') !== null`))
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Decision != eula.Declined || recs[0].Document.Language != lang {
		t.Errorf("records after declining in %s without the wasm: %+v", lang, recs)
	}
}

func engineFindMustReadDecline(t *testing.T, k engine.Kind, b engine.Browser) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := engineCtx(t)
	must := func(err error) { t.Helper(); mustEngine(t, b, err) }
	p := firstProduct(t)
	must(b.Open(ctx, ts.URL+"/?lang=en&mustread=1&product="+p.Key))
	must(waitEval(ctx, b, `document.querySelector('#eula-page[data-wasm="on"]') !== null`))
	var first struct {
		AcceptOff bool
		Reason    string
		Word      string
	}
	// The word to find: the most frequent one of five letters or more.
	must(b.Eval(ctx, `const n = {};
		for (const w of document.querySelector(".eula-document").textContent.match(/\p{L}{5,}/gu) || []) { n[w] = (n[w] || 0) + 1; }
		return {acceptOff: document.querySelector("#eula-accept").disabled,
			reason: (document.querySelector("#eula-mustread") || {textContent: ""}).textContent,
			word: (Object.entries(n).sort((a, b) => b[1] - a[1])[0] || [""])[0]}`, &first))
	if !first.AcceptOff || strings.TrimSpace(first.Reason) == "" {
		t.Errorf("must-read: accept disabled %v (want true), reason %q", first.AcceptOff, first.Reason)
	}
	// Find: type the word, then the next match.
	must(b.Eval(ctx, `const i = document.querySelector("#eula-find-input"); i.focus(); i.value = `+jsQuote(first.Word)+`;
		setTimeout(() => i.dispatchEvent(new Event("input", {bubbles: true}))); return null`, nil))
	must(waitEval(ctx, b, `/\d/.test(document.querySelector("#eula-find-status").textContent)`))
	var status1, status2 string
	must(b.Eval(ctx, `return document.querySelector("#eula-find-status").textContent`, &status1))
	must(b.Eval(ctx, clickLater("#eula-find-next"), nil))
	must(waitEval(ctx, b, `document.querySelector("#eula-find-status").textContent !== `+jsQuote(status1)))
	must(b.Eval(ctx, `return document.querySelector("#eula-find-status").textContent`, &status2))
	t.Logf("%s: find %q: %q, then %q", b.Name(), first.Word, status1, status2)
	engineShot(ctx, t, k, b, "find")
	engineAxe(ctx, t, b, "find")
	// Must-read: accept once the reader reaches the end.
	must(waitEval(ctx, b, `(window.scrollTo(0, document.documentElement.scrollHeight), !document.querySelector("#eula-accept").disabled)`))
	// Declining asks first; the record is made.
	must(b.Eval(ctx, clickLater("#eula-decline"), nil))
	must(waitEval(ctx, b, `document.querySelector("#eula-decline-yes") !== null`))
	engineAxe(ctx, t, b, "decline confirmation")
	must(b.Eval(ctx, clickLater("#eula-decline-yes"), nil))
	must(waitEval(ctx, b, `document.querySelector('#eula-outcome[data-decision="declined"]') !== null`))
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Decision != eula.Declined || recs[0].Product != p.Key {
		t.Errorf("records after declining: %+v", recs)
	}
}

func engineHost(t *testing.T, k engine.Kind, b engine.Browser) {
	hs := newHostPage(t)
	ts := newTestServer(t, func(c *web.Config) { c.AllowedOrigins = []string{hs.URL} })
	needWasm(t, ts)
	hs.viewer = ts.URL
	ctx := engineCtx(t)
	must := func(err error) { t.Helper(); mustEngine(t, b, err) }
	must(b.Open(ctx, hs.URL))
	must(waitIn(ctx, b.EvalFrame, `document.querySelector('#eula-page[data-wasm="on"]') !== null`))
	must(waitIn(ctx, b.EvalFrame, `(window.scrollTo(0, document.documentElement.scrollHeight), !document.querySelector("#eula-accept").disabled)`))
	must(b.EvalFrame(ctx, clickLater("#eula-accept"), nil))
	must(waitIn(ctx, b.EvalFrame, `document.querySelector('#eula-outcome[data-decision="accepted"]') !== null`))
	must(waitEval(ctx, b, `!!window.eulagateMessage`))
	engineShot(ctx, t, k, b, "host")
	var got string
	must(b.Eval(ctx, `return window.eulagateMessage`, &got))
	var m ui.HostMessage
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatalf("the host's message %q: %v", got, err)
	}
	recs := ts.records(t)
	if len(recs) != 1 || m.Type != ui.HostMessageType || m.Decision != "accepted" || m.RecordID != recs[0].ID || m.Installer != recs[0].Installer.MachineID {
		t.Fatalf("message %+v, records %+v", m, recs)
	}
	rc, err := eula.DecodeReceipt(strings.NewReader(string(m.Receipt)))
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, ts.verifier); err != nil {
		t.Errorf("the host's receipt does not verify: %v", err)
	}
}

func engineReturn(t *testing.T, k engine.Kind, b engine.Browser) {
	done := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Installer</title><p>Back in the installer.</p></html>`)
	}))
	t.Cleanup(done.Close)
	ts := newTestServer(t, func(c *web.Config) { c.ReturnURLs = []string{done.URL + "/"} })
	needWasm(t, ts)
	ctx := engineCtx(t)
	must := func(err error) { t.Helper(); mustEngine(t, b, err) }
	p := firstProduct(t)
	must(b.Open(ctx, ts.URL+"/?lang=en&product="+p.Key+"&return="+url.QueryEscape(done.URL+"/done")))
	must(waitEval(ctx, b, `document.querySelector('#eula-page[data-wasm="on"]') !== null`))
	must(waitEval(ctx, b, `!document.querySelector("#eula-accept").disabled`))
	must(b.Eval(ctx, clickLater("#eula-accept"), nil))
	must(waitEval(ctx, b, `location.href.startsWith(`+jsQuote(done.URL+"/done?")+`)`))
	var href string
	must(b.Eval(ctx, `return location.href`, &href))
	u, err := url.Parse(href)
	must(err)
	recs := ts.records(t)
	if len(recs) != 1 || u.Query().Get("eulagate_decision") != "accepted" || u.Query().Get("eulagate_record") != recs[0].ID {
		t.Errorf("returned to %s, records %+v", href, recs)
	}
}

// engineDealer fills the dealer's form and reads the receipt by what a
// dealer sees (the form's fields and its button, the reference code), not
// by the pages' markup.
func engineDealer(t *testing.T, k engine.Kind, b engine.Browser) {
	ts := newTestServer(t)
	ctx := engineCtx(t)
	must := func(err error) { t.Helper(); mustEngine(t, b, err) }
	_, plain, _ := dealerProducts(t)
	must(b.Open(ctx, ts.URL+"/dealer?lang=en&product="+plain.Key))
	// The form is the one with the most fields; the page is ready once no
	// part of it waits for the wasm.
	const form = `[...document.forms].sort((a, b) => b.elements.length - a.elements.length)[0]`
	must(waitEval(ctx, b, `!!`+form+` && !!`+form+`.querySelector("[type=submit]") && !document.querySelector('[data-wasm="off"]')`))
	engineAxe(ctx, t, b, "dealer form")
	must(b.Eval(ctx, `const f = `+form+`;
		for (const i of f.querySelectorAll("input")) {
			if (i.type === "hidden" || i.type === "radio" || i.disabled || i.readOnly) continue;
			if (i.type === "checkbox") { if (!i.checked) i.click(); continue; }
			if (i.value) continue;
			i.value = i.type === "email" ? "dana@dealer.example" : "Dana Example";
			i.dispatchEvent(new Event("input", {bubbles: true}));
			i.dispatchEvent(new Event("change", {bubbles: true}));
		}
		const s = [...f.querySelectorAll("[type=submit]")].pop(); setTimeout(() => s.click()); return null`, nil))
	must(waitEval(ctx, b, `/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}/.test(document.body.innerText)`))
	engineShot(ctx, t, k, b, "dealer-receipt")
	engineAxe(ctx, t, b, "dealer receipt")
	recs := ts.records(t)
	if len(recs) != 1 || recs[0].Role != eula.RoleDealer || recs[0].Product != plain.Key {
		t.Errorf("records after the dealer's form: %+v", recs)
	}
}

func engineOffline(t *testing.T, k engine.Kind, b engine.Browser) {
	ts := newTestServer(t)
	needWasm(t, ts)
	ctx := engineCtx(t)
	must := func(err error) { t.Helper(); mustEngine(t, b, err) }
	p := firstProduct(t)
	must(b.Open(ctx, ts.URL+"/?product="+p.Key))
	lang := otherLanguage(ctx, t, b, "en")
	page := ts.URL + "/?lang=" + lang + "&product=" + p.Key
	must(b.Open(ctx, page))
	must(waitEval(ctx, b, `document.querySelector('#eula-page[data-wasm="on"]') !== null`))
	var worker bool
	must(b.Eval(ctx, `return "serviceWorker" in navigator`, &worker))
	if !worker {
		t.Skipf("SKIPPING: %s has no service worker at %s", b.Name(), ts.URL)
	}
	if err := waitEval(ctx, b, `((await navigator.serviceWorker.getRegistration()) || {}).active?.state === "activated"`); err != nil {
		var st any
		_ = b.Eval(ctx, `const r = await navigator.serviceWorker.getRegistration(); return r ? [r.installing, r.waiting, r.active].map(w => w && w.state) : null`, &st)
		t.Logf("%s: the worker's registration (installing, waiting, active): %v", b.Name(), st)
		t.Skipf("SKIPPING: %s: the service worker did not start at %s: %v", b.Name(), ts.URL, err)
	}
	// The worker keeps a page it serves: load it again, through the worker.
	must(b.Open(ctx, page))
	must(waitEval(ctx, b, `document.querySelector('#eula-page[data-wasm="on"]') !== null`))
	if err := waitEval(ctx, b, `!!navigator.serviceWorker.controller`); err != nil {
		t.Skipf("SKIPPING: %s: the service worker does not control the page at %s: %v", b.Name(), ts.URL, err)
	}
	ts.CloseClientConnections()
	ts.Close() // nothing answers but the worker
	must(b.Open(ctx, page+"&mustread=1"))
	must(waitEval(ctx, b, `document.querySelector('#eula-page[data-wasm="on"]') !== null`))
	var got struct {
		Lang  string
		Text  bool
		Error bool
	}
	must(b.Eval(ctx, `return {lang: document.querySelector("#eula-page").lang,
		text: document.querySelector(".eula-document").textContent.trim() !== "",
		error: !!document.querySelector(".eula-error")}`, &got))
	if got.Lang != lang || !got.Text || got.Error {
		t.Errorf("offline: %+v, want the %s text", got, lang)
	}
	engineShot(ctx, t, k, b, "offline")
	engineAxe(ctx, t, b, "offline")
}

// waitEval polls cond (a JavaScript expression) until it is true, for 30
// seconds at most.
func waitEval(ctx context.Context, b engine.Browser, cond string) error {
	return waitIn(ctx, b.Eval, cond)
}

// waitIn is waitEval with eval (Browser.Eval or EvalFrame).
func waitIn(ctx context.Context, eval func(context.Context, string, any) error, cond string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var last error
	for {
		// An error may be passing (WebKitWebDriver answers "Could not parse
		// script result" while the wasm renders a language switch): try
		// again, and report the last one at the end.
		var ok bool
		last = eval(ctx, "return !!("+cond+")", &ok)
		if ok {
			return nil
		}
		if last != nil && strings.Contains(last.Error(), "invalid session id") {
			return last // the browser is gone
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (last error: %v)", cond, ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// engineAxe runs axe-core in the page at the WCAG 2.2 AA tags and reports
// each violation as a test error, naming the state of the page.
func engineAxe(ctx context.Context, t *testing.T, b engine.Browser, state string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed (make deps-test): %v", err)
	}
	var violations []string
	// axe's source is part of the script, not given to eval: a page's
	// Content-Security-Policy (the dealer's pages: script-src 'none')
	// forbids eval in WebKit.
	err = b.Eval(ctx, `if (typeof axe !== "object") {
`+string(src)+`
}
		const r = await axe.run(document, {runOnly: {type: "tag", values: `+axeTags+`}});
		return r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));`, &violations)
	if err != nil {
		t.Fatalf("axe-core in %s: %v", b.Name(), err)
	}
	for _, v := range violations {
		t.Errorf("axe, %s, %s: %s", b.Name(), state, v)
	}
}

// jsQuote makes s a JavaScript string literal.
func jsQuote(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == 0x2028 || r == 0x2029 || r < 0x20:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
