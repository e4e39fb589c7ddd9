package web_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/api"
	uistrings "github.com/eulagate/eulagate/locales/ui"
	"github.com/eulagate/eulagate/web"
)

// TestFormTooLarge: a plain HTML form whose body is over the limit is
// answered 413, as the API answers, with the form's own page saying why in
// the reader's language, and nothing is recorded; a form that cannot be
// read is answered 400 the same way.
func TestFormTooLarge(t *testing.T) {
	cat, err := uistrings.Load()
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t)
	pad := strings.Repeat("a", web.MaxBodyBytes)
	for _, test := range []struct {
		name, path, body, lang string
		status                 int
		key                    string
	}{
		{"viewer", api.PathDecide, "decision=accepted&product=husky-m20&pad=" + pad, "hu", http.StatusRequestEntityTooLarge, "problem.too_large"},
		{"dealer", web.PathDealer, "customer_accepted=yes&product=husky-m20&pad=" + pad, "ja", http.StatusRequestEntityTooLarge, "dealer.err.too_large"},
		{"dealer confirmation", web.PathDealerConfirm, "decision=accepted&ref=7K3M-Q9TZ-4HR&pad=" + pad, "ru", http.StatusRequestEntityTooLarge, "problem.too_large"},
		{"viewer, unreadable", api.PathDecide, "decision=%zz", "ru", http.StatusBadRequest, "problem.invalid"},
		{"dealer, unreadable", web.PathDealer, "product=%zz", "en", http.StatusBadRequest, "dealer.err.expired"},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := len(ts.records(t))
			status, body := ts.do(t, http.MethodPost, test.path, test.body, "Content-Type", "application/x-www-form-urlencoded", "Accept-Language", test.lang)
			want := html.EscapeString(cat.Labels(language.MustParse(test.lang))[test.key])
			if want == "" {
				t.Fatalf("no message %s in %s", test.key, test.lang)
			}
			if status != test.status || !strings.Contains(body, "<html") || !strings.Contains(body, want) {
				t.Errorf("status %d, want %d with the page saying %q:\n%.2000s", status, test.status, want, body)
			}
			if after := len(ts.records(t)); after != before {
				t.Errorf("%d records written", after-before)
			}
		})
	}
}
