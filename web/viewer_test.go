package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestViewerPrerender checks the first HTML response, before any wasm: the
// document in the chosen language, its interface strings, the picker with
// every language in its own name, a translation's link to its English
// original at each section (the original itself is left out of the first
// response), and no boolean attribute written as ="false".
func TestViewerPrerender(t *testing.T) {
	ts := newTestServer(t)
	for _, test := range []struct {
		name    string
		path    string
		header  []string
		lang    string
		want    []string
		notWant []string
	}{
		{name: "en", path: "/?lang=en&product=husky-m20", lang: "en",
			want:    []string{"Affiliated Companies", "I accept", "Go to the terms for Milestone Husky™ M20", `href="#products/husky-m-series"`},
			notWant: []string{"eula-original-body", "eula-prevails"}},
		{name: "ru", path: "/?lang=ru", lang: "ru",
			want:    []string{"Дочерние компании", "Я принимаю", "Это перевод.", `class="eula-tool eula-original-link"`, `href="?lang=en#general/affiliated-companies"`, `id="eula-prevails-link"`},
			notWant: []string{"eula-original-body", "Affiliated Companies", `id="eula-original-heading-general/affiliated-companies"`}},
		{name: "hu", path: "/?lang=hu", lang: "hu",
			want: []string{"Társult Vállalkozások", "Elfogadom", "az angol nyelvű eredeti az irányadó"}},
		{name: "ja", path: "/?lang=ja&mustread=1", lang: "ja",
			want: []string{"関係会社", "同意する", "英語の原文が優先します", "最後までお読みになると", `id="eula-mustread"`}},
		{name: "Accept-Language ru-RU", path: "/", header: []string{"Accept-Language", "ru-RU,ru;q=0.9"}, lang: "ru",
			notWant: []string{`id="eula-lang-notice"`}},
		{name: "Accept-Language pt-BR", path: "/", header: []string{"Accept-Language", "pt-BR"}, lang: "en",
			want: []string{`id="eula-lang-notice"`, "Brazilian Portuguese"}},
		{name: "remembered", path: "/", header: []string{"Cookie", "eulagate_lang=hu", "Accept-Language", "ja"}, lang: "hu"},
		{name: "explicit beats remembered", path: "/?lang=ja", header: []string{"Cookie", "eulagate_lang=hu"}, lang: "ja"},
	} {
		t.Run(test.name, func(t *testing.T) {
			resp, body := ts.get(t, test.path, test.header...)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			tag := regexp.MustCompile(`<div [^>]*id="eula-page"[^>]*>`).FindString(body)
			if m := regexp.MustCompile(` lang="([^"]*)"`).FindStringSubmatch(tag); m == nil || m[1] != test.lang {
				t.Errorf("page lang %v, want %q", m, test.lang)
			}
			if m := regexp.MustCompile(`(disabled|hidden|selected|checked|required|open)="false"`).FindString(body); m != "" {
				t.Errorf("boolean attribute %s (a browser reads it as true)", m)
			}
			for _, w := range append(test.want, "English", "Magyar", "日本語", "Русский", `dir="ltr"`) {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range test.notWant {
				if strings.Contains(pageBody(body), w) {
					t.Errorf("has %q", w)
				}
			}
			// Works with no internet: nothing loaded from elsewhere.
			for _, m := range regexp.MustCompile(`<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="((?:https?:)?//[^"]*)"`).FindAllStringSubmatch(body, -1) {
				t.Errorf("loads %s from elsewhere", m[1])
			}
			if n := strings.Count(body, `id="products/husky-m-series"`); n != 1 {
				t.Errorf("section id appears %d times, want once", n)
			}
		})
	}
}

// TestViewerEager checks that the page marks the first and the last
// sections, a few screens of text in every language, to be laid out at once
// (the text shows at once; the End key and must-read land on the real end),
// and only those.
func TestViewerEager(t *testing.T) {
	ts := newTestServer(t)
	// go-app writes attributes in any order.
	section := regexp.MustCompile(`<section [^>]*class="([^"]*)"`)
	for _, lang := range bundledLanguages() {
		_, body := ts.get(t, "/?lang="+lang)
		classes := section.FindAllStringSubmatch(body, -1)
		if len(classes) < 10 {
			t.Fatalf("%s: %d sections", lang, len(classes))
		}
		var marks []byte
		for _, c := range classes {
			if strings.Contains(c[1], "eula-section-eager") {
				marks = append(marks, 'E')
			} else {
				marks = append(marks, '.')
			}
		}
		// One run at the start, one at the end, lazy sections between.
		if !regexp.MustCompile(`^E+\.{10,}E+$`).Match(marks) {
			t.Errorf("%s: eager sections %s", lang, marks)
		}
	}
}

// pageBody returns the page's markup after the head, without its scripts
// (boot.js, at the end of the body, names every class it works on).
func pageBody(page string) string {
	if i := strings.Index(page, "</head>"); i >= 0 {
		page = page[i:]
	}
	return scriptElement.ReplaceAllString(page, "")
}

// scriptElement matches a script element and its content.
var scriptElement = regexp.MustCompile(`(?s)<script\b[^>]*>.*?</script>`)
