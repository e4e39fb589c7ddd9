package goappfix

import (
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
)

// testIcon is an icon of the server's own.
var testIcon = app.Icon{Default: "/web/i.png", Large: "/web/l.png", SVG: "/web/i.svg", AppleTouch: "/web/i.png"}

// goappJS returns go-app's own app.js, as its handler serves it.
func goappJS(t *testing.T) string {
	t.Helper()
	h := &app.Handler{Icon: testIcon, Resources: resources{}}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/app.js", nil))
	b, err := io.ReadAll(w.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Each patch replaces a statement that go-app's app.js holds exactly once:
// when go-app changes it, the patch would silently do nothing.
func TestAppJSPatches(t *testing.T) {
	js := goappJS(t)
	for _, p := range appJSPatches {
		if n := strings.Count(js, p.old); n != 1 {
			t.Errorf("go-app's app.js holds %d times (want 1):\n%s\nredo the patch, or drop it if go-app now does the same", n, p.old)
		}
	}
	patched := string(patchAppJS([]byte(js)))
	for _, p := range appJSPatches {
		if !strings.Contains(patched, p.new) {
			t.Errorf("the patched app.js lacks:\n%s", p.new)
		}
	}
}

// An icon left to go-app's default is fetched from the internet: offline,
// the service worker would not install.
func TestNewRefusesDefaultIcons(t *testing.T) {
	for _, test := range []struct {
		name string
		icon app.Icon
		ok   bool
	}{
		{"all local", testIcon, true},
		{"none", app.Icon{}, false},
		{"no SVG", app.Icon{Default: "/web/i.png", Large: "/web/l.png", AppleTouch: "/web/i.png"}, false},
		{"remote", app.Icon{Default: "https://example.com/i.png", Large: "/web/l.png", SVG: "/web/i.svg", AppleTouch: "/web/i.png"}, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := New(&app.Handler{Icon: test.icon}, "v1", nil)
			if (err == nil) != test.ok {
				t.Errorf("New: %v, want ok %v", err, test.ok)
			}
		})
	}
}

// The rewrite drops go-app's app.css link and its viewport, preloads
// app.wasm only when app.js will load it, and puts boot ahead of go-app's
// scripts.
func TestPageRewrite(t *testing.T) {
	page := "<html><head>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, maximum-scale=1, user-scalable=0, viewport-fit=cover\">\n" +
		"<link type=\"text/css\" rel=\"stylesheet\" href=\"/app.css\">\n<script defer src=\"/app.js\"></script>\n</head><body><p>text</p></body></html>"
	h := &Handler{boot: []byte(`<script defer src="/boot.js"></script>`)}
	for _, test := range []struct {
		url, agent string
		preload    bool
	}{
		{url: "/?lang=en", preload: true},
		{url: "/?wasm=false"},
		{url: "/", agent: "Mozilla/5.0 (compatible; Googlebot/2.1)"},
	} {
		r := httptest.NewRequest("GET", test.url, nil)
		r.Header.Set("User-Agent", test.agent)
		got := string(h.pageRewrite(r)([]byte(page)))
		if strings.Contains(got, "app.css") || strings.Contains(got, "user-scalable") {
			t.Errorf("%s: app.css or the zoom lock left:\n%s", test.url, got)
		}
		if !strings.Contains(got, string(viewport)) {
			t.Errorf("%s: no viewport:\n%s", test.url, got)
		}
		if strings.Contains(got, string(preloadWasm)) != test.preload {
			t.Errorf("%s, agent %q: preload %v, want %v", test.url, test.agent, !test.preload, test.preload)
		}
		if !strings.Contains(got, `<script defer src="/boot.js"></script><script defer src="/app.js">`) {
			t.Errorf("%s: boot is not ahead of go-app's scripts:\n%s", test.url, got)
		}
	}
}

// A page shows the View it was given, even to a request that carries
// go-app's shared ETag, and is answered without it.
func TestServePage(t *testing.T) {
	ui.RegisterRoutes()
	h, err := New(&app.Handler{Icon: testIcon}, "v1", []byte(`<script defer src="/boot.js"></script>`))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"hu", "ja"} {
		r := httptest.NewRequest("GET", "/?lang="+lang, nil)
		r.Header.Set("If-None-Match", `"v1"`)
		w := httptest.NewRecorder()
		h.ServePage(w, r, ui.View{Lang: lang, Title: "title in " + lang, Error: "error in " + lang})
		resp := w.Result()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", lang, resp.StatusCode)
		}
		if etag := resp.Header.Get("ETag"); etag != "" {
			t.Errorf("%s: the page has go-app's ETag %s", lang, etag)
		}
		for _, want := range []string{`<html lang="` + lang + `"`, "<title>title in " + lang + "</title>", "error in " + lang, `<script defer src="/boot.js"></script><script`} {
			if !strings.Contains(string(body), want) {
				t.Errorf("%s: the page lacks %q", lang, want)
			}
		}
		if n, _ := strconv.Atoi(resp.Header.Get("Content-Length")); n != len(body) {
			t.Errorf("%s: Content-Length %d, body %d", lang, n, len(body))
		}
	}
}

// TestLoaderIconAlt checks that go-app's loading spinner gets an empty alt
// whatever the order of its attributes.
func TestLoaderIconAlt(t *testing.T) {
	for _, in := range []string{
		`<img id="app-wasm-loader-icon" class="goapp-logo goapp-spin" src="/web/icon-192.png">`,
		`<img class="goapp-logo goapp-spin" src="/web/icon-192.png" id="app-wasm-loader-icon">`,
	} {
		got := string(loaderIcon.ReplaceAll([]byte(in), loaderIconAlt))
		if !strings.HasPrefix(got, `<img alt="" `) || strings.Count(got, "alt=") != 1 {
			t.Errorf("%s\nbecomes %s", in, got)
		}
	}
}
