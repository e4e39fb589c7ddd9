package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/internal/testserver"
	"github.com/eulagate/eulagate/locales"
	"github.com/eulagate/eulagate/web"
)

// testServer is a running server over a fresh SQLite store.
type testServer struct {
	*httptest.Server
	store    *sqlite.Store
	verifier string
	// wasm counts the requests for app.wasm and delays them (slowWasm).
	wasm *wasmWatch
}

// testAdminToken is the administrator token of test servers.
const testAdminToken = "test-admin-token-0123456789"

// bundled is the library the test servers serve (locales.FS). Tests read
// its versions, languages and products from it rather than from a list, so
// that a publisher who adds a version, a language or a product as files
// keeps them passing.
var bundled = func() *eula.Library {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		panic(err)
	}
	return lib
}()

// currentEULA is the version of the EULA in force in bundled.
var currentEULA = bundled.Latest(eula.DocEULA)

// bundledLanguages returns the languages of the EULA in force, as tags
// written the way a URL names them.
func bundledLanguages() []string {
	var out []string
	for _, tag := range bundled.CurrentLanguages(eula.DocEULA, currentEULA) {
		out = append(out, tag.String())
	}
	return out
}

func newTestServer(t *testing.T, opts ...func(*web.Config)) *testServer {
	t.Helper()
	admin := func(c *web.Config) { c.AdminToken = testAdminToken }
	p := testserver.Build(t, bundled, append([]func(*web.Config){admin}, opts...)...)
	watch := &wasmWatch{next: p.Handler}
	ts := httptest.NewServer(watch)
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, store: p.Store, verifier: p.VerifierKey, wasm: watch}
}

// get fetches path and returns the response and its body.
func (ts *testServer) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// needWasm fails (or, outside `make test`, skips) when app.wasm was not
// built into the embedded assets.
func needWasm(t *testing.T, ts *testServer) {
	t.Helper()
	resp, _ := ts.get(t, "/web/app.wasm")
	if resp.StatusCode == http.StatusOK {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("web/static/app.wasm is missing: run `make wasm` before the tests")
	}
	t.Skip("SKIPPING: web/static/app.wasm is missing; `make test` builds it first")
}

func TestPrerenderedText(t *testing.T) {
	ts := newTestServer(t)
	for _, test := range []struct {
		name, query, acceptLanguage string
		wantLang, wantText          string
	}{
		{"english", "?product=husky-m20&lang=en", "", "en", "Milestone End-user License Agreement"},
		{"russian explicit", "?lang=ru", "", "ru", "Дочерние компании."},
		{"hungarian by header", "", "hu-HU,hu;q=0.9", "hu", "Magyar"},
		{"japanese by header", "", "ja", "ja", "エンドユーザー"},
		{"unavailable falls back to english", "", "pt-BR", "en", "Affiliated Companies."},
	} {
		t.Run(test.name, func(t *testing.T) {
			resp, body := ts.get(t, "/"+test.query, "Accept-Language", test.acceptLanguage)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(body, `<html lang="`+test.wantLang+`"`) {
				t.Errorf("page is not in %s: %.300s", test.wantLang, body)
			}
			if test.name != "hungarian by header" && !strings.Contains(body, test.wantText) {
				t.Errorf("prerendered page lacks %q", test.wantText)
			}
			if resp.Header.Get("ETag") != "" {
				t.Errorf("a page has an ETag (%s): go-app's shared ETag would serve it stale", resp.Header.Get("ETag"))
			}
		})
	}
}

func TestUnknownRouteIs404(t *testing.T) {
	ts := newTestServer(t)
	resp, _ := ts.get(t, "/no-such-page")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /no-such-page: status %d, want 404", resp.StatusCode)
	}
}

func TestHealthz(t *testing.T) {
	ts := newTestServer(t)
	resp, body := ts.get(t, "/healthz")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
}

func TestHostileQueryIsText(t *testing.T) {
	ts := newTestServer(t)
	_, body := ts.get(t, `/?product=husky-m20&installer=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E`)
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, `\"><script`) {
		t.Errorf("hostile installer id reached the page as markup")
	}
}

func TestAssetsPrecompressed(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	for _, enc := range []string{"br", "gzip", ""} {
		resp, body := ts.get(t, "/web/app.wasm", "Accept-Encoding", enc)
		if got := resp.Header.Get("Content-Encoding"); got != enc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", enc, got)
		}
		if resp.Header.Get("Content-Length") != "" && resp.ContentLength != int64(len(body)) {
			t.Errorf("Accept-Encoding %q: Content-Length %d, body %d", enc, resp.ContentLength, len(body))
		}
		if resp.Header.Get(web.WasmSizeHeader) == "" {
			t.Errorf("no %s header for go-app's progress", web.WasmSizeHeader)
		}
		etag := resp.Header.Get("ETag")
		again, _ := ts.get(t, "/web/app.wasm", "If-None-Match", etag, "Accept-Encoding", enc)
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match %s: status %d, want 304", etag, again.StatusCode)
		}
	}
}

// external matches what makes a browser fetch from another host: a src, a
// <link> href, a CSS url(), or any absolute URL in the manifest and the
// service worker's list. Links the reader may follow in the text are not
// fetched.
var external = regexp.MustCompile(`(?i)(src=["']?(https?:)?//|<link[^>]+href=["']?(https?:)?//|url\(["']?(https?:)?//)`)

func TestNoExternalResources(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/", "/?lang=ja&product=husky-m20", "/web/eulagate.css"} {
		_, body := ts.get(t, path)
		if loc := external.FindStringIndex(body); loc != nil {
			t.Errorf("%s loads an external resource: %q", path, body[loc[0]:min(len(body), loc[1]+80)])
		}
	}
	for _, path := range []string{"/manifest.webmanifest", "/app-worker.js"} {
		_, body := ts.get(t, path)
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("%s names an external resource: %s", path, body)
		}
	}
}

func TestAppJSPatched(t *testing.T) {
	ts := newTestServer(t)
	_, body := ts.get(t, "/app.js")
	for _, want := range []string{"eulagateWasmFailed(err)", "window.eulagateWasm", "eulagate.takeover()"} {
		if !strings.Contains(body, want) {
			t.Errorf("app.js lacks %q: go-app's app.js changed, update goappfix's appJSPatches", want)
		}
	}
}

func TestPageCompressed(t *testing.T) {
	ts := newTestServer(t)
	resp, body := ts.get(t, "/?lang=ru&product=husky-m20", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("page not compressed: %v", resp.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	html, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "Дочерние компании.") {
		t.Error("the compressed page lacks the text")
	}
	t.Logf("page: %d bytes, %d compressed", len(html), len(body))
	if plain, _ := ts.get(t, "/?lang=ru"); plain.Header.Get("Content-Encoding") != "" {
		t.Error("a client that does not accept gzip got it")
	}
}

// TestPageHead checks what a page's text waits for: the viewer's style
// sheet, linked in the head, and not its script, deferred ahead of go-app's
// scripts, each minified under a name that holds its hash, served
// compressed and cached for good, and kept by the service worker for
// offline use; app.wasm's download starts in the head (unless the page will
// not load it), the reader may zoom, and go-app's app.css is not linked.
func TestPageHead(t *testing.T) {
	ts := newTestServer(t)
	preload := `window.eulagateWasmFetch = fetch("/web/app.wasm")`
	sheet := regexp.MustCompile(`<link rel="stylesheet" href="(/web/eulagate\.[0-9a-f]{12}\.css)">`)
	script := regexp.MustCompile(`<script defer src="(/web/boot\.[0-9a-f]{12}\.js)"></script><script`)
	_, worker := ts.get(t, "/app-worker.js")
	for _, test := range []struct {
		path, agent string
		preload     bool
	}{
		{path: "/?lang=en", preload: true},
		{path: "/?lang=en&wasm=false"},
		{path: "/?lang=en", agent: "Mozilla/5.0 (compatible; Googlebot/2.1)"},
	} {
		_, page := ts.get(t, test.path, "User-Agent", test.agent)
		head, body, ok := strings.Cut(page, "</head>")
		if !ok {
			t.Fatal("no </head>")
		}
		if strings.Contains(head, "app.css") {
			t.Error("the page links go-app's app.css")
		}
		if !strings.Contains(head, `<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">`) {
			t.Errorf("%s: the head lacks the viewport", test.path)
		}
		if strings.Contains(page, "user-scalable") {
			t.Errorf("%s: the page forbids zooming", test.path)
		}
		if got := strings.Contains(head, preload); got != test.preload {
			t.Errorf("%s, agent %q: preload of app.wasm in the head %v, want %v", test.path, test.agent, got, test.preload)
		}
		css := sheet.FindStringSubmatch(head)
		boot := script.FindStringSubmatch(head)
		if css == nil || boot == nil || !strings.Contains(body, `id="eula-accept"`) {
			t.Fatalf("%s: the head does not link the style sheet or boot.js ahead of go-app's scripts, or the body has no decision form", test.path)
		}
		for _, test := range []struct{ path, want string }{
			{css[1], "content-visibility"},
			{boot[1], "compileStreaming"},
		} {
			if !strings.Contains(worker, `"`+test.path+`"`) {
				t.Errorf("the service worker does not keep %s", test.path)
			}
			resp, got := ts.get(t, test.path)
			if resp.StatusCode != http.StatusOK || !strings.Contains(got, test.want) || strings.Contains(got, "\n  ") {
				t.Errorf("%s: status %d, %d bytes, want %q, minified", test.path, resp.StatusCode, len(got), test.want)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("%s: Cache-Control %q, want immutable", test.path, cc)
			}
			if resp, _ := ts.get(t, test.path, "Accept-Encoding", "br"); resp.Header.Get("Content-Encoding") != "br" {
				t.Errorf("%s: not sent with brotli", test.path)
			}
		}
	}
}
