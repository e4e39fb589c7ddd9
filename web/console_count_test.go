package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	uicat "github.com/eulagate/eulagate/locales/ui"
	"github.com/eulagate/eulagate/web"
)

// TestConsoleSearchMoreThan checks what a search matching more records
// than the console counts says: "more than" the bound, in each language of
// the catalogs, with a link to the next page.
func TestConsoleSearchMoreThan(t *testing.T) {
	ts := newTestServer(t)
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	product := lib.Products()[0].Key
	// More records than a search counts, written directly: the search
	// reads the records table only.
	_, err = ts.store.DB().ExecContext(context.Background(), fmt.Sprintf(`INSERT INTO records (log_index, id, time,
		installer_product, installer_version, machine_id, product, doc_id, doc_version, doc_language, shown_hash,
		original_hash, decision, role, channel, register_consent, licensee, reference, derived_from, personal_hash)
		WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d)
		SELECT i, 'rec-' || i, '2025-06-01T12:00:00.000000Z', 'x', '1', 'machine-' || i, ?, 'eula', '20250212', 'en',
		'h', 'o', 'accepted', 'end-user', 'installer', 1, '', '', '', 'p' FROM s`, eula.MaxSearchCount), product)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := uicat.Load()
	if err != nil {
		t.Fatal(err)
	}
	cookie := consoleSignIn(t, ts)
	for _, tag := range cat.Languages() {
		_, body := ts.get(t, web.PathConsoleSearch+"?"+url.Values{"product": {product}, "lang": {tag.String()}}.Encode(), "Cookie", cookie)
		body = html.UnescapeString(body)
		want := strings.ReplaceAll(cat.Labels(tag)["console.search.count.more"], "{1}", fmt.Sprint(eula.MaxSearchCount))
		if !strings.Contains(body, want) {
			t.Errorf("%s: the search page does not say %q", tag, want)
		}
		if !strings.Contains(body, `rel="next"`) {
			t.Errorf("%s: no link to the next page", tag)
		}
	}
}

// consoleSignIn signs in to the console with the administrator token and
// returns the session cookie.
func consoleSignIn(t *testing.T, ts *testServer) string {
	t.Helper()
	_, form := ts.get(t, web.PathConsoleSignIn)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	resp, err := http.DefaultTransport.RoundTrip(mustPost(t, ts.URL+web.PathConsoleSignIn,
		url.Values{"csrf": {m[1]}, "token": {testAdminToken}, "lang": {"en"}}))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		return c.Name + "=" + c.Value
	}
	t.Fatalf("sign-in answered %d without a session cookie", resp.StatusCode)
	return ""
}

// mustPost returns a form POST request.
func mustPost(t *testing.T, u string, v url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
