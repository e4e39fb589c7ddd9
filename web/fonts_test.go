package web_test

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/locales/fonts"
)

// TestFontsServed: every page, and the style sheet that pages link,
// declares the shipped faces, each with its unicode-range, and the server sends each face as it is (WOFF2 is
// compressed already), with a content ETag.
func TestFontsServed(t *testing.T) {
	ts := newTestServer(t)
	faces, err := fonts.Faces()
	if err != nil {
		t.Fatal(err)
	}
	// The viewer's pages link the style sheet by its hash.
	linked := regexp.MustCompile(`<link rel="stylesheet" href="(/web/eulagate\.[0-9a-f]+\.css)">`)
	for _, path := range []string{"/?product=husky-m20&lang=en", "/?product=husky-m20&lang=ja", "/web/eulagate.css"} {
		_, page := ts.get(t, path)
		if m := linked.FindStringSubmatch(page); m != nil {
			_, page = ts.get(t, m[1])
		}
		for _, f := range faces {
			want := `src:url("/web/fonts/` + f.File + `") format("woff2");unicode-range:` + f.UnicodeRange() + `}`
			if !strings.Contains(page, want) {
				t.Errorf("%s does not declare %s", path, want)
			}
		}
	}
	for _, f := range faces {
		want, err := fonts.FS.ReadFile(f.File)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := ts.get(t, "/web/fonts/"+f.File, "Accept-Encoding", "br, gzip")
		if resp.StatusCode != http.StatusOK || body != string(want) {
			t.Errorf("%s: status %d, %d bytes, want the %d bytes of the face", f.File, resp.StatusCode, len(body), len(want))
		}
		if ct, enc := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"); ct != "font/woff2" || enc != "" {
			t.Errorf("%s: Content-Type %q, Content-Encoding %q; want font/woff2, sent as it is", f.File, ct, enc)
		}
		etag := resp.Header.Get("ETag")
		if resp, _ := ts.get(t, "/web/fonts/"+f.File, "If-None-Match", etag); etag == "" || resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s: ETag %q, revalidated with %d", f.File, etag, resp.StatusCode)
		}
	}
}

// TestFontsFirstInStack: the style sheet names the shipped family first,
// so that its faces draw the characters they have (their unicode-ranges
// leave the rest to the system's fonts).
func TestFontsFirstInStack(t *testing.T) {
	b, err := os.ReadFile("static/eulagate.css")
	if err != nil {
		t.Fatal(err)
	}
	stacks := regexp.MustCompile(`font-family:\s*([^;]+);`).FindAllStringSubmatch(string(b), -1)
	if len(stacks) == 0 {
		t.Fatal("eulagate.css names no font family")
	}
	for _, s := range stacks {
		if !strings.HasPrefix(s[1], `"`+fonts.Family+`",`) {
			t.Errorf("font-family: %s; does not start with %q", s[1], fonts.Family)
		}
	}
}
