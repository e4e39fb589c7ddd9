package web_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	uistrings "github.com/eulagate/eulagate/locales/ui"
)

// errorPara finds the page's error message; pageLang and langAttr, the
// page's language.
var (
	errorPara = regexp.MustCompile(`<p [^>]*class="eula-error"[^>]*>([^<]*)</p>`)
	pageLang  = regexp.MustCompile(`<div [^>]*id="eula-page"[^>]*>`)
	langAttr  = regexp.MustCompile(` lang="([^"]*)"`)
)

// A reader whose page cannot be made, or whose plain-form decision was not
// recorded, reads why in their own language: the one asked for, else the
// browser's, else English.
func TestPageMessagesInReadersLanguage(t *testing.T) {
	cat, err := uistrings.Load()
	if err != nil {
		t.Fatal(err)
	}
	label := func(lang, key string, args ...string) string {
		l := cat.Labels(language.MustParse(lang))
		s := l[key]
		for i, a := range args {
			s = strings.ReplaceAll(s, fmt.Sprintf("{%d}", i+1), a)
		}
		return s
	}
	ts := newTestServer(t)
	for _, tc := range []struct {
		name, path, accept string
		wantLang, want     string // want "" means no error shown
	}{
		{"unknown product, asked in Hungarian", "/?product=nope&lang=hu", "",
			"hu", label("hu", "page.unknown", `product "nope": not found`)},
		{"unknown product, browser in Japanese", "/?product=nope", "ja-JP,ja;q=0.9,en;q=0.5",
			"ja", label("ja", "page.unknown", `product "nope": not found`)},
		{"unknown product, unknown language", "/?product=nope&lang=xx", "",
			"en", label("en", "page.unknown", `product "nope": not found`)},
		{"expired plain form, in Russian", "/?product=husky-m20&lang=ru&problem=expired", "",
			"ru", label("ru", "problem.expired")},
		{"conflict, in Japanese", "/?product=husky-m20&lang=ja&problem=conflict", "",
			"ja", label("ja", "problem.conflict")},
		{"a problem code not ours shows nothing", "/?product=husky-m20&lang=hu&problem=%3Cb%3Ehi", "",
			"hu", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.accept != "" {
				header = []string{"Accept-Language", tc.accept}
			}
			_, body := ts.get(t, tc.path, header...)
			got := ""
			if m := errorPara.FindStringSubmatch(body); m != nil {
				got = html.UnescapeString(m[1])
			}
			if got != tc.want {
				t.Errorf("message %q\nwant %q", got, tc.want)
			}
			lang := ""
			if m := langAttr.FindStringSubmatch(pageLang.FindString(body)); m != nil {
				lang = m[1]
			}
			if lang != tc.wantLang {
				t.Errorf("page language %q, want %q", lang, tc.wantLang)
			}
		})
	}
}

// The dealer pages' messages share the viewer's catalogs (a new language
// is one file for both) but not its View: the browser is sent only what
// the viewer shows.
func TestViewCarriesNoDealerStrings(t *testing.T) {
	ts := newTestServer(t)
	for _, lang := range []string{"en", "hu", "ja", "ru"} {
		var v struct {
			Labels map[string]string `json:"labels"`
		}
		ts.getJSON(t, api.PathView+"?product=husky-m20&lang="+lang, &v)
		if len(v.Labels) == 0 {
			t.Fatalf("%s: the view has no labels", lang)
		}
		for key := range v.Labels {
			if strings.HasPrefix(key, "dealer.") {
				t.Errorf("%s: the view carries %q", lang, key)
			}
		}
		_, page := ts.get(t, "/?product=husky-m20&lang="+lang)
		if strings.Contains(page, `"dealer.`) {
			t.Errorf("%s: the page's View carries dealer strings", lang)
		}
	}
}
