package web_test

import (
	"html"
	"net/url"
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
		return api.Labels(cat.Labels(language.MustParse(lang))).Format(key, args...)
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

// The page shown after the plain form, for a decision that cannot be
// found, says so in the reader's language.
func TestOutcomeProblemInReadersLanguage(t *testing.T) {
	cat, err := uistrings.Load()
	if err != nil {
		t.Fatal(err)
	}
	outcome := regexp.MustCompile(`<div [^>]*id="eula-outcome"[^>]*>([^<]*)</div>`)
	ts := newTestServer(t)
	for _, lang := range bundledLanguages() {
		_, body := ts.get(t, "/?product=husky-m20&lang="+lang+"&decided=no-such-record")
		m := outcome.FindStringSubmatch(body)
		want := cat.Labels(language.MustParse(lang))["outcome.notfound"]
		if m == nil || html.UnescapeString(m[1]) != want {
			t.Errorf("%s: outcome %q, want %q", lang, m, want)
		}
	}
}

// A language asked for that is no tag is named in the notice as the
// reader typed it, even when it looks like one of the message's
// placeholders: "{2}" is not replaced by the language shown.
func TestLangNoticeShowsWhatWasAsked(t *testing.T) {
	notice := regexp.MustCompile(`<p [^>]*id="eula-lang-notice"[^>]*>([^<]*)</p>`)
	ts := newTestServer(t)
	for _, asked := range []string{"{1}", "{2}", "{2}{1}"} {
		_, body := ts.get(t, "/?product=husky-m20&lang="+url.QueryEscape(asked))
		m := notice.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("lang=%s: no notice that the language is unavailable", asked)
		}
		got := html.UnescapeString(m[1])
		if !strings.Contains(got, asked) || !strings.Contains(got, "English") {
			t.Errorf("lang=%s: notice %q, want it to name %q and English", asked, got, asked)
		}
	}
}

// The dealer pages' messages share the viewer's catalogs (a new language
// is one file for both) but not its View: the browser is sent only what
// the viewer shows.
func TestViewCarriesNoDealerStrings(t *testing.T) {
	ts := newTestServer(t)
	for _, lang := range bundledLanguages() {
		var v struct {
			Labels map[string]string `json:"labels"`
		}
		ts.getJSON(t, api.PathView+"?product=husky-m20&lang="+lang, &v)
		if len(v.Labels) == 0 {
			t.Fatalf("%s: the view has no labels", lang)
		}
		for key := range v.Labels {
			if strings.HasPrefix(key, "dealer.") || strings.HasPrefix(key, "console.") {
				t.Errorf("%s: the view carries %q", lang, key)
			}
		}
		_, page := ts.get(t, "/?product=husky-m20&lang="+lang)
		if strings.Contains(page, `"dealer.`) || strings.Contains(page, `"console.`) {
			t.Errorf("%s: the page's View carries dealer or console strings", lang)
		}
	}
}
