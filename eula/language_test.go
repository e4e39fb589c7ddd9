package eula_test

import (
	"testing"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/eula"
)

func TestChooseLanguage(t *testing.T) {
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
		{name: "remembered unavailable falls through", remembered: "de", accepting: "hu-HU,en;q=0.5", want: "hu"},
		{name: "accept ru-RU", accepting: "ru-RU,ru;q=0.9,en;q=0.8", want: "ru"},
		{name: "accept pt-BR only", accepting: "pt-BR", want: "en", unavailable: "pt-BR"},
		{name: "accept pt-BR then ja", accepting: "pt-BR,ja;q=0.5", want: "ja", unavailable: "pt-BR"},
		{name: "accept en-GB", accepting: "en-GB", want: "en"},
		{name: "accept garbage", accepting: ";;;q=x", want: "en"},
	} {
		t.Run(test.name, func(t *testing.T) {
			c := eula.ChooseLanguage(avail, test.explicit, test.remembered, test.accepting)
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
		if got := eula.Direction(language.MustParse(tag)); got != want {
			t.Errorf("Direction(%s) = %s, want %s", tag, got, want)
		}
	}
}
