package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// formFields is a filled-in dealer form.
func formFields() url.Values {
	return url.Values{
		"lang": {"en"}, "role": {"dealer"}, "product": {"husky-m20"},
		"dealer.organization": {"Dealer Ltd"}, "dealer.name": {"Dana"}, "dealer.email": {"dana@dealer.example"},
		"customer.organization": {"Kunde GmbH"}, "customer.name": {"Karl"}, "customer.email": {"karl@kunde.example"},
		"customer_accepted": {"yes"}, "return_right_understood": {"yes"}, "idem": {"dealer-test-1"},
	}
}

// postForm posts the form f to path, with the header fields given as
// name, value pairs, without following the redirect.
func (ts *testServer) postForm(t *testing.T, path string, f url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+path, strings.NewReader(f.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestDealerFormValidation(t *testing.T) {
	ts := newTestServer(t)
	for _, test := range []struct {
		name   string
		edit   func(f url.Values)
		errors map[string]string // element id of the message -> text
	}{
		{"everything missing", func(f url.Values) {
			for _, k := range []string{"dealer.organization", "dealer.name", "dealer.email", "customer.organization", "customer.name", "customer.email", "product", "customer_accepted", "return_right_understood"} {
				f.Del(k)
			}
		}, map[string]string{
			"e-f-dealer-organization": "Fill in this field.", "e-f-dealer-name": "Fill in this field.", "e-f-dealer-email": "Fill in this field.",
			"e-f-customer-organization": "Fill in this field.", "e-f-customer-name": "Fill in this field.", "e-f-customer-email": "Fill in this field.",
			"e-f-product": "Choose the product.", "e-f-customer_accepted": "customer&#39;s acceptance", "e-f-return_right_understood": "return right ends",
		}},
		{"in Hungarian", func(f url.Values) { f.Set("lang", "hu"); f.Del("customer.email") }, map[string]string{"e-f-customer-email": "Töltse ki ezt a mezőt."}},
		{"in Japanese", func(f url.Values) { f.Set("lang", "ja"); f.Set("dealer.email", "dana") }, map[string]string{"e-f-dealer-email": "メールアドレスを入力してください"}},
		{"in Russian", func(f url.Values) { f.Set("lang", "ru"); f.Set("customer.name", strings.Repeat("я", 201)) }, map[string]string{"e-f-customer-name": "Слишком длинно."}},
		{"control character", func(f url.Values) { f.Set("customer.organization", "Kunde\u202eGmbH") }, map[string]string{"e-f-customer-organization": "not allowed"}},
		{"unknown product", func(f url.Values) { f.Set("product", "husky-q") }, map[string]string{"e-f-product": "Choose the product."}},
	} {
		t.Run(test.name, func(t *testing.T) {
			f := formFields()
			test.edit(f)
			resp, body := ts.postForm(t, "/dealer", f)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", resp.StatusCode)
			}
			for id, want := range test.errors {
				// The element's start tag, whatever the order of the
				// attributes go-app writes, then its text.
				m := regexp.MustCompile(`<[a-z][a-z0-9]*\b[^>]*\sid="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], want) {
					t.Errorf("message %s: %q, want %q", id, m, want)
				}
			}
			if n := len(regexp.MustCompile(`class="err[ "]`).FindAllString(body, -1)); n != len(test.errors) {
				t.Errorf("%d messages, want %d", n, len(test.errors))
			}
			if !strings.Contains(body, `role="alert"`) {
				t.Error("no summary for screen readers")
			}
		})
	}
	if n := len(ts.records(t)); n != 0 {
		t.Errorf("invalid forms recorded %d records", n)
	}
}

func TestDealerFormHostileText(t *testing.T) {
	ts := newTestServer(t)
	f := formFields()
	hostile := `"><img src=x onerror=alert(1)>`
	f.Set("dealer.organization", "Dealer "+hostile)
	f.Set("customer.organization", "Kunde {2} </script><script>alert(2)</script>")
	f.Del("customer.email") // shown again with the values
	_, body := ts.postForm(t, "/dealer", f)
	if strings.Contains(body, "<img src=x") || strings.Contains(body, "<script>alert") {
		t.Errorf("hostile text rendered as markup:\n%s", body)
	}
	if !strings.Contains(body, `value="Dealer &#34;&#62;&#60;img src=x onerror=alert(1)&#62;"`) {
		t.Errorf("the value is not kept, escaped:\n%s", body)
	}

	f.Set("customer.email", "karl@kunde.example")
	resp, _ := ts.postForm(t, "/dealer", f)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/dealer/receipt?") {
		t.Fatalf("status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A second click sends the same form again: still one record.
	again, _ := ts.postForm(t, "/dealer", f)
	if again.Header.Get("Location") != resp.Header.Get("Location") || len(ts.records(t)) != 1 {
		t.Errorf("second submission: %q, %d records", again.Header.Get("Location"), len(ts.records(t)))
	}
	r, page := ts.get(t, resp.Header.Get("Location"))
	if r.StatusCode != 200 {
		t.Fatalf("receipt page: %d", r.StatusCode)
	}
	if strings.Contains(page, "<img src=x") || strings.Contains(page, "<script>alert") || !strings.Contains(page, "Kunde {2} &lt;/script&gt;") {
		t.Errorf("receipt page:\n%s", page)
	}
	// Only the app's own scripts run: no inline script but those named by
	// their hashes.
	csp := r.Header.Get("Content-Security-Policy")
	_, scripts, _ := strings.Cut(csp, "script-src ")
	scripts, _, _ = strings.Cut(scripts, ";")
	if !strings.Contains(scripts, "'sha256-") || strings.Contains(scripts, "unsafe-inline") || strings.Contains(scripts, "*") {
		t.Errorf("CSP %q", r.Header.Get("Content-Security-Policy"))
	}
	if r, _ := ts.get(t, "/dealer/receipt?ref=0000-0000-000"); r.StatusCode != 404 {
		t.Errorf("unknown reference: %d", r.StatusCode)
	}
}

func TestDealerPrivacyPage(t *testing.T) {
	ts := newTestServer(t)
	for _, lang := range []string{"en", "hu", "ja", "xx"} {
		resp, body := ts.get(t, "/dealer/privacy?lang="+lang)
		if resp.StatusCode != 200 || !strings.Contains(body, "<h") || !strings.Contains(strings.ToLower(body), "personal data") {
			t.Errorf("lang %s: %d %.300s", lang, resp.StatusCode, body)
		}
	}
	resp, body := ts.get(t, "/dealer?lang=ja")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/dealer/privacy?lang=ja"`) || !strings.Contains(body, `<html lang="ja">`) {
		t.Errorf("form: %d", resp.StatusCode)
	}
}

func TestDealerConfirmPage(t *testing.T) {
	ts := newTestServer(t)
	var dealer struct{ ID, Reference string }
	ts.postJSON(t, api.PathDealerAcceptances, dealerJSON, 201, &dealer)
	page := func(q url.Values) string { return "/dealer/confirm?" + q.Encode() }
	q := url.Values{"ref": {dealer.Reference}, "installer": {"nvr-7"}, "product": {"husky-m20"}, "lang": {"hu"}}

	resp, body := ts.get(t, page(q))
	if resp.StatusCode != 200 || !strings.Contains(body, "Elfogadta: Dealer &lt;b&gt;Ltd&lt;/b&gt;, Kunde GmbH nevében") ||
		!strings.Contains(body, `id="eula-accept"`) || !strings.Contains(body, `lang="hu"`) {
		t.Fatalf("page: %d %.2000s", resp.StatusCode, body)
	}
	for _, test := range []struct {
		name   string
		edit   func(q url.Values)
		status int
		want   string
	}{
		{"no installer", func(q url.Values) { q.Del("installer") }, 400, "Nyissa meg újra a készülékről"},
		{"unknown product", func(q url.Values) { q.Set("product", "husky-q") }, 400, "Nyissa meg újra"},
		{"unknown reference", func(q url.Values) { q.Set("ref", "0000-0000-000") }, 404, "nem tartozik elfogadás"},
		{"malformed reference", func(q url.Values) { q.Set("ref", `"><script>`) }, 404, "nem tartozik elfogadás"},
	} {
		t.Run(test.name, func(t *testing.T) {
			q2 := url.Values{}
			for k, v := range q {
				q2[k] = v
			}
			test.edit(q2)
			resp, body := ts.get(t, page(q2))
			if resp.StatusCode != test.status || !strings.Contains(body, test.want) || strings.Contains(body, `"><script>`) {
				t.Errorf("%d %.500s", resp.StatusCode, body)
			}
		})
	}

	// Another product than the dealer's: refused, nothing recorded.
	form := url.Values{"ref": {dealer.Reference}, "installer": {"nvr-8"}, "product": {"husky-x2"}, "lang": {"en"}, "decision": {"accepted"}}
	post := func(f url.Values) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", ts.URL+"/dealer/confirm", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := post(form); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "another product") {
		t.Errorf("other product: %d %.500s", resp.StatusCode, body)
	}
	// The end user of nvr-8 (an M50) declines: recorded, linked, status declined.
	form.Set("product", "husky-m50")
	form.Set("decision", "declined")
	resp, _ = post(form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline: %d", resp.StatusCode)
	}
	_, body = ts.get(t, resp.Header.Get("Location"))
	if !strings.Contains(body, `data-decision="declined"`) {
		t.Errorf("outcome page: %.1000s", body)
	}
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=nvr-8&product=husky-m50", &st)
	if st.State != eula.StateDeclined {
		t.Errorf("status %+v", st)
	}
	ids, _ := ts.checkChain(t, st.RecordID)
	if len(ids) != 2 || ids[1] != dealer.ID {
		t.Errorf("chain %v", ids)
	}
}

// TestDealerConfirmMustRead opens the confirmation as the gate does
// (kiosk, must-read, a session): "I have read it and confirm" waits until
// the reader has said, through the server, that they read to the end; the
// server then sends them back to the same confirmation, where it is
// offered, and the decision ends the gate's wait.
func TestDealerConfirmMustRead(t *testing.T) {
	ts := newTestServer(t)
	var dealer struct{ ID, Reference string }
	ts.postJSON(t, api.PathDealerAcceptances, dealerJSON, 201, &dealer)
	q := url.Values{"ref": {dealer.Reference}, "installer": {"nvr-9"}, "product": {"husky-m20"}, "lang": {"en"},
		"kiosk": {"1"}, "mustread": {"1"}, "session": {"gate-session-0123456789abcdef"}}
	page := api.PathDealerConfirm + "?" + q.Encode()
	_, body := ts.get(t, page)
	// go-app writes an element's attributes in any order.
	tag := func(body, name, id string) string {
		for _, t := range regexp.MustCompile(`<`+name+`\b[^>]*>`).FindAllString(body, -1) {
			if strings.Contains(t, `id="`+id+`"`) {
				return t
			}
		}
		return ""
	}
	acceptOff := func(body string) bool { return strings.Contains(tag(body, "button", "eula-accept"), " disabled") }
	if !acceptOff(body) || !strings.Contains(body, `id="eula-read-end"`) || !strings.Contains(body, `id="confirm-summary"`) {
		t.Fatalf("must-read confirmation: accept not disabled, or no read-to-end step:\n%.3000s", body)
	}
	f := url.Values{"csrf": {ts.csrfToken(t, page)}}
	for k, v := range q {
		f[k] = v
	}
	resp, _ := ts.postForm(t, api.PathReadToEnd, f)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Path != api.PathDealerConfirm || loc.Query().Get("ref") != dealer.Reference || loc.Query().Get("session") == "" {
		t.Fatalf("read to the end: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = ts.get(t, loc.String())
	if acceptOff(body) || !strings.Contains(body, `id="eula-accept"`) || strings.Contains(body, `id="eula-read-end"`) {
		t.Fatalf("after reading to the end, accept is not offered:\n%.3000s", body)
	}
	// The plain form posts to the confirmation, with the code.
	if !strings.Contains(tag(body, "form", "eula-decision"), `action="/dealer/confirm"`) ||
		!strings.Contains(body, `name="ref" value="`+dealer.Reference+`"`) {
		t.Errorf("the decision form does not post the confirmation")
	}
}
