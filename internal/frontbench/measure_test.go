package frontbench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
)

// Selectors of what is measured, the same on the three pages: the first
// paragraph of the EULA text, the accept button, and the marker that the
// wasm has rendered the page.
const (
	selText   = ".eula-section-body p"
	selAccept = "#eula-accept"
	selWasm   = `[data-wasm="on"]`
)

// probe is injected into every document before its first script runs. On
// every animation frame, from the document's start, it checks what the
// reader can see and records in window.__frontbench the time (performance.now(),
// milliseconds since the navigation started) of the first frame in which:
//
//   - text: the first EULA paragraph has a box, is visible, and, where it
//     lies in the window, is the element at its own point (not covered, for
//     example by go-app's loading overlay);
//   - accept: the accept button is, likewise, present, enabled and not
//     covered;
//   - wasm: the wasm has rendered the page (data-wasm="on").
//
// The time is taken after the check, which forces style and layout, so a
// figure includes laying out the page but not painting it (the next step of
// the same frame). An element counts as covered while go-app's loader
// covers the whole window (checked apart, since elementFromPoint skips an
// overlay with pointer-events: none); elements below the window cannot be
// probed with elementFromPoint, so for them that is the only check.
const probe = `(() => {
  const m = window.__frontbench = {};
  const start = Date.now();
  function loaderCovers() {
    const l = document.getElementById("app-wasm-loader");
    if (!l) { return false; }
    const r = l.getBoundingClientRect(), cs = getComputedStyle(l);
    return cs.display !== "none" && cs.visibility === "visible" && cs.opacity !== "0" &&
      r.left <= 0 && r.top <= 0 && r.right >= innerWidth && r.bottom >= innerHeight;
  }
  function shown(e) {
    if (!e) { return false; }
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) { return false; }
    const cs = getComputedStyle(e);
    if (cs.visibility !== "visible" || cs.opacity === "0") { return false; }
    const x = r.left + Math.min(r.width / 2, 16), y = r.top + Math.min(r.height / 2, 8);
    if (loaderCovers()) { return false; }
    if (x >= 0 && y >= 0 && x < innerWidth && y < innerHeight) {
      const hit = document.elementFromPoint(x, y);
      return !!hit && (hit === e || e.contains(hit));
    }
    return true;
  }
  function check() {
    if (m.text === undefined && shown(document.querySelector(` + "`" + selText + "`" + `))) { m.text = performance.now(); }
    const a = document.querySelector(` + "`" + selAccept + "`" + `);
    if (m.accept === undefined && a && !a.disabled && shown(a)) { m.accept = performance.now(); }
    if (m.wasm === undefined && document.querySelector(` + "`" + selWasm + "`" + `)) { m.wasm = performance.now(); }
    if ((m.text === undefined || m.accept === undefined || m.wasm === undefined) && Date.now() - start < 60000) {
      requestAnimationFrame(check);
    }
  }
  requestAnimationFrame(check);
})();`

// goRunProbe times go.run, wasm_exec.js's start of the Go program, which
// runs on the main thread until the program waits for events (for go-app:
// the package inits and the first render), into window.__gorun. It wraps
// the Go class as wasm_exec.js defines it, and marks go.run's start and end
// on the performance timeline (markGoRun), for traces.
const goRunProbe = `(() => {
  let G;
  Object.defineProperty(globalThis, "Go", { configurable: true, get() { return G; }, set(v) {
    const run = v.prototype.run;
    v.prototype.run = function (instance) {
      performance.mark("` + markGoRun + `:start");
      const t0 = performance.now();
      const p = run.call(this, instance);
      window.__gorun = performance.now() - t0;
      performance.mark("` + markGoRun + `:end");
      return p;
    };
    G = v;
  } });
})();`

// sample is one page load's figures, in milliseconds since the navigation
// started (0 when not applicable), and the bytes the server sent. fetched
// is when app.wasm's response ended (resource timing), which splits wasm
// interactive into download and start-up.
type sample struct {
	text, accept, wasm, fetched float64
	// gorun is how long go.run (wasm_exec.js) held the main thread: the
	// Go program's start and the first render, until it waits for events.
	gorun float64
	bytes int64
}

// want says which figures a page has.
type want struct{ text, accept, wasm bool }

// ready is the JavaScript condition that a load is measured.
func (w want) ready() string {
	cond := "!!window.__frontbench"
	if w.text {
		cond += " && window.__frontbench.text !== undefined"
	}
	if w.accept {
		cond += " && window.__frontbench.accept !== undefined"
	}
	if w.wasm {
		cond += " && window.__frontbench.wasm !== undefined"
	}
	return cond
}

// scope lets headless.New be used for one browser session inside a
// benchmark: its cleanups run when the session ends rather than when the
// whole benchmark does.
type scope struct {
	testing.TB
	cleanups []func()
}

func (s *scope) Cleanup(f func()) { s.cleanups = append(s.cleanups, f) }

func (s *scope) close() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
}

// session is one fresh Chromium profile: a cold load of srv, then a warm
// one (a reload in the same profile), both at the CPU throttle rate; then,
// if switchJS is set, the time it takes to switch the language.
type session struct {
	srv  *server
	want want
	rate float64
	// switchJS, if set, switches the page's language (JavaScript
	// statements; see pickLanguage and swapFragment).
	switchJS string
}

// result is what a session measured.
type result struct {
	cold, warm sample
	// switchMs is the language switch; switchAPIMs, the part of it until
	// the view API's answer arrived.
	switchMs, switchAPIMs float64
}

func (s session) run(b *testing.B) (result, error) {
	sc := &scope{TB: b}
	defer sc.close()
	ctx := headless.New(sc, headless.Options{Timeout: 2 * time.Minute})
	var res result
	err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			if _, err := page.AddScriptToEvaluateOnNewDocument(probe + goRunProbe).Do(ctx); err != nil {
				return err
			}
			return emulation.SetCPUThrottlingRate(s.rate).Do(ctx)
		}),
		// A browser that has just started is still busy starting (on two
		// cores, that doubled the spread of cold loads); the profile and
		// its caches stay empty.
		chromedp.Navigate("about:blank"),
		chromedp.Sleep(time.Second),
	)
	if err != nil {
		return res, fmt.Errorf("set up: %w", err)
	}
	if res.cold, err = s.load(ctx, chromedp.Navigate(s.srv.url)); err != nil {
		return res, fmt.Errorf("cold load: %w", err)
	}
	if res.warm, err = s.load(ctx, chromedp.Reload()); err != nil {
		return res, fmt.Errorf("warm load: %w", err)
	}
	if s.switchJS != "" {
		if res.switchMs, res.switchAPIMs, err = switchLanguage(ctx, s.switchJS); err != nil {
			return res, fmt.Errorf("switch language: %w", err)
		}
	}
	return res, nil
}

// load navigates with nav, waits for the figures and for the network to go
// quiet, and returns them.
func (s session) load(ctx context.Context, nav chromedp.Action) (sample, error) {
	var out sample
	s.srv.counter.quiet(ctx, 200*time.Millisecond)
	s.srv.reset()
	var m struct{ Text, Accept, Wasm, Fetched, GoRun float64 }
	err := chromedp.Run(ctx,
		emulation.SetCPUThrottlingRate(s.rate),
		nav,
		headless.WaitJS(s.want.ready()),
		chromedp.Evaluate(`(() => {
  const f = window.__frontbench;
  const w = performance.getEntriesByType("resource").find(e => new URL(e.name).pathname.endsWith("/app.wasm"));
  return {Text: f.text || 0, Accept: f.accept || 0, Wasm: f.wasm || 0, Fetched: w ? w.responseEnd : 0, GoRun: window.__gorun || 0};
})()`, &m),
	)
	if err != nil {
		return out, err
	}
	// go-app's service worker installs (and fetches its resources) after
	// the page is up; those bytes belong to the load.
	s.srv.counter.quiet(ctx, 500*time.Millisecond)
	out = sample{text: m.Text, accept: m.Accept, wasm: m.Wasm, fetched: m.Fetched, gorun: m.GoRun, bytes: s.srv.bytes.Load()}
	return out, nil
}

// pickLanguage switches eulagate's viewer to lang as a reader does: it
// picks lang in the language picker.
func pickLanguage(lang string) string {
	return `const sel = document.getElementById("eula-lang-select");
  if (!sel) { throw new Error("no language picker"); }
  sel.value = ` + headless.JS(lang) + `;
  sel.dispatchEvent(new Event("change", {bubbles: true}));`
}

// swapFragment switches the static page to lang with the least a page can
// do: fetch the text rendered on the server (lang.html) and set it as the
// article's innerHTML. It is the floor for eulagate's language switch.
func swapFragment(lang string) string {
	return `fetch(` + headless.JS("/"+lang+".html") + `).then(r => r.text()).then(html => {
    const a = document.getElementById("eula-document");
    a.lang = ` + headless.JS(lang) + `;
    a.innerHTML = html;
  });`
}

// switchLanguage runs trigger (JavaScript statements) and returns the
// milliseconds until the first paragraph shows another text (measured as
// probe measures), and the milliseconds until the answer of the request the
// switch made had arrived (0 if none was seen).
func switchLanguage(ctx context.Context, trigger string) (total, api float64, err error) {
	js := `new Promise((resolve, reject) => {
  const first = () => document.querySelector(` + "`" + selText + "`" + `);
  if (!first()) { reject(new Error("no text")); return; }
  const before = first().textContent;
  const t0 = performance.now();
  try {
    ` + trigger + `
  } catch (err) { reject(err); return; }
  function check() {
    const e = first();
    if (e && e.textContent !== before) {
      const r = e.getBoundingClientRect();
      if (r.height > 0 && getComputedStyle(e).visibility === "visible") {
        const t = performance.now() - t0;
        const a = performance.getEntriesByType("resource").find(x => x.startTime >= t0);
        resolve([t, a ? a.responseEnd - t0 : 0]);
        return;
      }
    }
    if (performance.now() - t0 > 30000) { reject(new Error("the text did not change within 30 s")); return; }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})`
	var ms [2]float64
	err = chromedp.Run(ctx, chromedp.Evaluate(js, &ms, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}))
	return ms[0], ms[1], err
}
