package i18n_test

import (
	"fmt"
	"slices"
	"testing"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/i18n"
)

func TestMatch(t *testing.T) {
	avail := []language.Tag{language.English, language.Russian, language.Hungarian, language.Japanese}
	for _, test := range []struct {
		name   string
		want   []string
		index  int
		served bool
	}{
		{"nothing asked", nil, 0, false},
		{"exact", []string{"hu"}, 2, true},
		{"region", []string{"ru-RU"}, 1, true},
		// language.Matcher returns en-u-rg-gbzzzz here: the index is en's.
		{"English of Britain", []string{"en-GB"}, 0, true},
		{"first served wins", []string{"x-unknown", "ja", "ru"}, 3, true},
		{"none served", []string{"x-unknown", "pt-BR"}, 0, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			var want []language.Tag
			for _, s := range test.want {
				want = append(want, language.MustParse(s))
			}
			i, ok := i18n.NewMatcher(avail).Match(want...)
			if i != test.index || ok != test.served {
				t.Errorf("Match(%v) = %d, %v; want %d, %v", test.want, i, ok, test.index, test.served)
			}
		})
	}
	if i, ok := i18n.NewMatcher(nil).Match(language.English); i != -1 || ok {
		t.Errorf("Match over nothing = %d, %v; want -1, false", i, ok)
	}
}

func TestPreferences(t *testing.T) {
	long := "de"
	for len(long) < 2*i18n.MaxPreferencesLen {
		long += ",de"
	}
	for _, test := range []struct {
		name, named, accept string
		want                []string
	}{
		{"nothing", "", "", nil},
		{"named first", "hu", "ja-JP,ja;q=0.9,en;q=0.5", []string{"hu", "ja-JP", "ja", "en"}},
		{"named not a tag", "!!", "ru", []string{"ru"}},
		{"header unparsable", "ja", ";;;q=x", []string{"ja"}},
		{"header cut", "", long, nil}, // checked by length below
	} {
		t.Run(test.name, func(t *testing.T) {
			var got []string
			for _, tag := range i18n.Preferences(test.named, test.accept) {
				got = append(got, tag.String())
			}
			if test.accept == long {
				if len(got) == 0 || len(got) > i18n.MaxPreferencesLen/3+1 {
					t.Errorf("a %d-byte header gave %d languages", len(long), len(got))
				}
				return
			}
			if !slices.Equal(got, test.want) {
				t.Errorf("Preferences(%q, %q) = %q, want %q", test.named, test.accept, got, test.want)
			}
		})
	}
}

func TestChoose(t *testing.T) {
	avail := []language.Tag{language.English, language.Russian, language.Hungarian, language.Japanese}
	for _, test := range []struct {
		name                            string
		explicit, remembered, accepting string
		want                            string
		unavailable                     string
	}{
		{name: "nothing", want: "en"},
		{name: "explicit wins", explicit: "hu", remembered: "ja", accepting: "ru", want: "hu"},
		{name: "explicit region", explicit: "ru-RU", want: "ru"},
		{name: "explicit unavailable", explicit: "pt-BR", remembered: "ja", want: "en", unavailable: "pt-BR"},
		{name: "explicit malformed", explicit: "!!", want: "en", unavailable: "!!"},
		{name: "remembered", remembered: "ja", accepting: "ru", want: "ja"},
		{name: "remembered unavailable falls through", remembered: "x-unknown", accepting: "hu-HU,en;q=0.5", want: "hu"},
		{name: "accept ru-RU", accepting: "ru-RU,ru;q=0.9,en;q=0.8", want: "ru"},
		{name: "accept pt-BR only", accepting: "pt-BR", want: "en", unavailable: "pt-BR"},
		{name: "accept pt-BR then ja", accepting: "pt-BR,ja;q=0.5", want: "ja", unavailable: "pt-BR"},
		{name: "accept en-GB", accepting: "en-GB", want: "en"},
		{name: "accept garbage", accepting: ";;;q=x", want: "en"},
	} {
		t.Run(test.name, func(t *testing.T) {
			c := i18n.Choose(avail, test.explicit, test.remembered, test.accepting)
			if got := avail[c.Index].String(); got != test.want {
				t.Errorf("language = %s, want %s", got, test.want)
			}
			if got := c.Unavailable; got != test.unavailable {
				t.Errorf("unavailable = %q, want %q", got, test.unavailable)
			}
		})
	}
}

func TestDirection(t *testing.T) {
	for tag, want := range map[string]string{"ar": "rtl", "he": "rtl", "fa": "rtl", "en": "ltr", "ja": "ltr", "ru": "ltr"} {
		if got := i18n.Direction(language.MustParse(tag)); got != want {
			t.Errorf("Direction(%s) = %s, want %s", tag, got, want)
		}
	}
}

func ExampleMatcher_Match() {
	available := []language.Tag{language.English, language.Hungarian, language.Japanese, language.Russian}
	// The reader's browser asks for Russian of Russia, then English.
	want := i18n.Preferences("", "ru-RU,ru;q=0.9,en;q=0.8")
	i, ok := i18n.NewMatcher(available).Match(want...)
	fmt.Println(available[i], ok)
	// Output:
	// ru true
}
