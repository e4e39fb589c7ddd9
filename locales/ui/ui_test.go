package ui_test

import (
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	"github.com/eulagate/eulagate/locales/ui"
)

// TestComplete fails when a language lacks a key that English has, has a
// key English lacks, or refers to other arguments than English does.
func TestComplete(t *testing.T) {
	msgs, err := ui.Messages()
	if err != nil {
		t.Fatal(err)
	}
	en := msgs[ui.Source]
	for tag, m := range msgs {
		for key, want := range en {
			got, ok := m[key]
			if !ok || strings.TrimSpace(got) == "" {
				t.Errorf("%s lacks %q", tag, key)
				continue
			}
			for _, arg := range []string{"%[1]s", "%[2]s"} {
				if strings.Contains(want, arg) != strings.Contains(got, arg) {
					t.Errorf("%s %q: argument %s differs from English", tag, key, arg)
				}
			}
		}
		for key := range m {
			if _, ok := en[key]; !ok {
				t.Errorf("%s has %q, which English lacks", tag, key)
			}
		}
	}
	// A language is its documents and its catalog: every language the
	// documents are in has one.
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range lib.DocIDs() {
		for _, want := range lib.AllLanguages(id) {
			if _, ok := msgs[want]; !ok {
				t.Errorf("%s is in %s but has no ui/%s.json", id, want, want)
			}
		}
	}
}

func TestLabels(t *testing.T) {
	c, err := ui.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		lang, key, want string
	}{
		{"en", "accept", "I accept"},
		{"ru", "accept", "Я принимаю"},
		{"ru-RU", "accept", "Я принимаю"},
		{"hu", "version", "Verzió: {1}"},
		{"ja", "find.count", "{2} 件中 {1} 件目"},
		{"x-unknown", "decline", "I decline"}, // a language no catalog has falls back to English
	} {
		got := c.Labels(language.MustParse(test.lang))[test.key]
		if got != test.want {
			t.Errorf("%s %s: got %q, want %q", test.lang, test.key, got, test.want)
		}
	}
}
