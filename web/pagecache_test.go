package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCRC32Combine(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"", ""},
		{"", "b"},
		{"a", ""},
		{"hello, ", "world"},
		{strings.Repeat("x", 1000), strings.Repeat("Лицензия ", 7777)},
	} {
		got := crc32Combine(crc32.ChecksumIEEE([]byte(tc.a)), crc32.ChecksumIEEE([]byte(tc.b)), len(tc.b))
		if want := crc32.ChecksumIEEE([]byte(tc.a + tc.b)); got != want {
			t.Errorf("combine(%d bytes, %d bytes) = %08x, want %08x", len(tc.a), len(tc.b), got, want)
		}
	}
}

// TestCachedPageWrite checks that a cached page is sent as one valid gzip
// stream (its CRC and length checked by the reader) holding the page with
// each request's values in the placeholders' places.
func TestCachedPageWrite(t *testing.T) {
	big := strings.Repeat("<p>Текст соглашения, абзац за абзацем.</p>\n", 3000)
	for _, tc := range []struct{ name, page string }{
		{"no placeholders", "<html>" + big + "</html>"},
		{"placeholders", `<input name="csrf" value="` + slotCSRF + `">` + big + `<input name="idem" value="` + slotIdem + `">` +
			`<script>{"csrf":"` + slotCSRF + `","idem":"` + slotIdem + `"}</script>`},
		{"placeholder first and last", slotCSRF + big + slotIdem},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{"Content-Type": {"text/html"}}
			c, err := newCachedPage(header, []byte(tc.page))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				csrf, idem := fmt.Sprintf("1700000000.token%d", i), fmt.Sprintf("idem%032d", i)
				rec := httptest.NewRecorder()
				c.write(rec, csrf, idem)
				if got := rec.Header().Get("Content-Length"); got != fmt.Sprint(rec.Body.Len()) {
					t.Errorf("Content-Length %s, body %d bytes", got, rec.Body.Len())
				}
				zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				zr.Multistream(false)
				got, err := io.ReadAll(zr)
				if err != nil {
					t.Fatalf("reading the answer: %v", err)
				}
				want := strings.NewReplacer(slotCSRF, csrf, slotIdem, idem).Replace(tc.page)
				if string(got) != want {
					t.Errorf("the page differs from the rendered one with the values in place (%d bytes, want %d)", len(got), len(want))
				}
			}
		})
	}
}

func TestPageCacheBounds(t *testing.T) {
	c := newPageCache(3, 250)
	builds := 0
	page := func(weight int) func() (*cachedPage, error) {
		return func() (*cachedPage, error) { builds++; return &cachedPage{weight: weight}, nil }
	}
	for _, k := range []string{"a", "b", "c", "a", "d"} { // d pushes out b, the least recently used
		if _, err := c.get(k, page(50)); err != nil {
			t.Fatal(err)
		}
	}
	if n, w := c.len(); n != 3 || w != 150 {
		t.Errorf("%d pages weighing %d, want 3 weighing 150", n, w)
	}
	builds = 0
	for _, k := range []string{"a", "c", "d"} {
		c.get(k, page(50))
	}
	if builds != 0 {
		t.Errorf("%d of the pages kept were made again", builds)
	}
	c.get("e", page(200)) // pushes out all but itself and at most one
	if _, w := c.len(); w > 250 {
		t.Errorf("the cache weighs %d, over its bound 250", w)
	}
	c.get("huge", page(1000))
	if _, w := c.len(); w > 250 {
		t.Errorf("a page over the bound was kept: the cache weighs %d", w)
	}
	if _, err := c.get("fails", func() (*cachedPage, error) { return nil, errUncacheable }); err != errUncacheable {
		t.Errorf("a failed page: %v", err)
	}
}
