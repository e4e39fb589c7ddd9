package web_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/web"
)

var csrfRE = regexp.MustCompile(`<input[^>]*name="csrf"[^>]*>`)
var valueRE = regexp.MustCompile(`value="([^"]+)"`)

// csrfToken returns the CSRF token of the form on the page at path (as the
// browser reads it: go-app writes "." as "&#46;").
func (ts *testServer) csrfToken(t *testing.T, path string) string {
	t.Helper()
	_, body := ts.get(t, path)
	m := valueRE.FindStringSubmatch(csrfRE.FindString(body))
	if m == nil {
		t.Fatalf("no csrf token on %s", path)
	}
	return strings.ReplaceAll(m[1], "&#46;", ".")
}

// Regression (security review) R1: the CSRF token is not bound to anything and the only cross-site check
// is Sec-Fetch-Site: a cross-origin form post from a browser that sends
// Origin but not Sec-Fetch-* (Safari < 16.4, older Firefox/Chrome, many
// webviews) with a token the attacker fetched himself is recorded.
func TestSecurityCrossOriginFormRefused(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.csrfToken(t, "/?product=xprotect-corporate")
	f := url.Values{"csrf": {tok}, "decision": {"accepted"}, "document": {"eula"}, "version": {currentEULA}, "lang": {"en"}, "product": {"xprotect-corporate"}}
	resp, _ := ts.postForm(t, "/decide", f, "Origin", "https://evil.example", "Cookie", "x=1")
	loc := resp.Header.Get("Location")
	if strings.Contains(loc, "decided=") {
		t.Errorf("cross-origin POST (Origin: https://evil.example) recorded a decision: %d %s", resp.StatusCode, loc)
	}
}

// Regression (security review) R2: anyone can record, without the administrator token, the
// "administrator accepted the Update Manager terms for this computer"
// record that delegation requires.
func TestSecurityNoForgedAdministrator(t *testing.T) {
	ts := newTestServer(t)
	auth := []string{"Authorization", "Bearer " + testAdminToken}
	ts.postJSON(t, api.PathDecisions, userDecision("srv-9"), 201, nil)
	forged := `{"decision":"accepted","document":{"id":"eula","version":"` + currentEULA + `","language":"en"},"product":"update-manager","installer":{"machine_id":"srv-9"},"role":"administrator","channel":"api","actor":{"name":"Mallory"}}`
	ts.postJSON(t, api.PathDecisions, forged, 403, nil) // no token: refused
	var out api.DelegationResponse
	ts.postJSON(t, api.PathDelegations, `{"product":"xprotect-corporate","version":"2025.2","computers":["srv-9"]}`, 200, &out, auth...)
	if r := out.Results[0]; r.Result == api.ResultRecorded {
		t.Errorf("delegation recorded on an administrator acceptance posted without the administrator token: %+v", r)
	}
}

// Regression (security review) R3: a decision on another document (the privacy policy) counts as the
// EULA decision of the installation.
func TestSecurityOnlyEULADecidesStatus(t *testing.T) {
	ts := newTestServer(t)
	ts.postJSON(t, api.PathDecisions, `{"decision":"accepted","document":{"id":"eula","version":"`+currentEULA+`","language":"en"},"product":"xprotect-corporate","installer":{"machine_id":"m1"}}`, 201, nil)
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=m1&product=xprotect-corporate", &st)
	if st.State != eula.StateAccepted {
		t.Fatalf("before: %+v", st)
	}
	ts.postJSON(t, api.PathDecisions, `{"decision":"declined","document":{"id":"privacy","version":"20240228","language":"en"},"product":"xprotect-corporate","installer":{"machine_id":"m1"}}`, 400, nil)
	ts.getJSON(t, api.PathStatus+"?installer=m1&product=xprotect-corporate", &st)
	if st.State != eula.StateAccepted {
		t.Errorf("declining the privacy policy changed the EULA status to %+v", st)
	}
}

// Regression (security review) R4: a lagging translation ("translation-of" an older version), which the
// viewer never shows, can be recorded as shown, with its hash.
func TestSecurityLaggingTranslationNotRecordable(t *testing.T) {
	lib := laggingJALibrary(t)
	ts := newTestServer(t, func(c *web.Config) { c.Library = lib })
	_, page := ts.get(t, "/?product=xprotect-corporate&lang=ja")
	if !strings.Contains(page, `<html lang="en"`) {
		t.Fatalf("viewer shows the lagging ja text")
	}
	var out struct {
		Receipt eula.Receipt `json:"receipt"`
	}
	body := `{"decision":"accepted","document":{"id":"eula","version":"20260301","language":"ja"},"product":"xprotect-corporate","installer":{"machine_id":"m2"}}`
	status, got := ts.do(t, "POST", api.PathDecisions, body, "Content-Type", "application/json")
	if status == 201 {
		json.Unmarshal([]byte(got), &out)
		t.Errorf("recorded acceptance of the never-shown lagging ja text of 20260301: language %s hash %s", out.Receipt.Record.Document.Language, out.Receipt.Record.Document.Hash)
	}
}

// Regression (security review) R5: the viewer page (whose form records a decision with one click) can be
// framed by any site: no frame-ancestors, no X-Frame-Options.
func TestSecurityViewerFrameAncestors(t *testing.T) {
	ts := newTestServer(t, func(c *web.Config) { c.AllowedOrigins = []string{"https://host.example"} })
	resp, _ := ts.get(t, "/?product=xprotect-corporate&installer=m1")
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors") && resp.Header.Get("X-Frame-Options") == "" {
		t.Errorf("viewer page framable by any origin: CSP %q, X-Frame-Options %q", csp, resp.Header.Get("X-Frame-Options"))
	}
}

// Regression (security review) R1b: the dealer form likewise accepts a cross-origin post.
func TestSecurityDealerCrossOriginRefused(t *testing.T) {
	ts := newTestServer(t)
	f := formFields()
	f.Set("csrf", ts.csrfToken(t, "/dealer"))
	resp, _ := ts.postForm(t, "/dealer", f, "Origin", "https://evil.example")
	if resp.StatusCode == http.StatusSeeOther {
		t.Errorf("cross-origin dealer post recorded: %s", resp.Header.Get("Location"))
	}
}

func laggingJALibrary(t *testing.T) *eula.Library {
	files := fstest.MapFS{}
	fsys := os.DirFS(filepath.Join("..", "eula", "testdata", "versions"))
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(fsys, p)
		files[p] = &fstest.MapFile{Data: b}
		return nil
	})
	// privacy policy needed by nothing here
	ja := files["eula/20260301/ja.md"].Data
	files["eula/20260301/ja.md"] = &fstest.MapFile{Data: bytes.Replace(ja, []byte("prevails: en\n"), []byte("prevails: en\ntranslation-of: \"20260101\"\n"), 1)}
	lib, err := eula.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// Regression (security review) R4b: the first-boot confirmation page shows (and records) a lagging
// translation, which the viewer never shows.
func TestSecurityConfirmNoLaggingText(t *testing.T) {
	ts := newTestServer(t, func(c *web.Config) { c.Library = laggingJALibrary(t) })
	resp, _ := ts.postForm(t, "/dealer", formFields())
	loc := resp.Header.Get("Location")
	u, _ := url.Parse(loc)
	ref := u.Query().Get("ref")
	if ref == "" {
		t.Fatalf("dealer form: %d %s", resp.StatusCode, loc)
	}
	_, body := ts.get(t, "/dealer/confirm?"+url.Values{"ref": {ref}, "installer": {"m7"}, "product": {"husky-m20"}, "lang": {"ja"}}.Encode())
	v := pageView(t, body)
	if v.Lang == "ja" || len(v.Sections) == 0 || v.Confirmation == nil || v.Confirmation.Reference != ref {
		t.Errorf("confirmation page shows the lagging Japanese text of 20260301: language %q, %d sections, confirmation %+v", v.Lang, len(v.Sections), v.Confirmation)
	}
}

// pageView returns the View a prerendered page carries (app.ViewElementID).
func pageView(t *testing.T, body string) api.View {
	t.Helper()
	_, rest, ok := strings.Cut(body, `id="`+app.ViewElementID+`">`)
	data, _, ok2 := strings.Cut(rest, "</script>")
	var v api.View
	if !ok || !ok2 {
		t.Fatalf("the page carries no View: %.500s", body)
	}
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Fatalf("the page's View: %v", err)
	}
	return v
}

// Regression (security review) R6: an idempotent retry from another client address is refused as a
// conflict: the fingerprint includes the client's address and user agent.
func TestSecurityIdempotentRetryOtherAddress(t *testing.T) {
	var cfg web.Config
	newTestServer(t, func(c *web.Config) { cfg = *c })
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"decision":"accepted","document":{"id":"eula","version":"` + currentEULA + `","language":"en"},"product":"xprotect-corporate","installer":{"machine_id":"m9"}}`
	for i, addr := range []string{"192.0.2.1:1234", "[2001:db8::1]:1234"} {
		req := httptest.NewRequest("POST", api.PathDecisions, strings.NewReader(body))
		req.RemoteAddr = addr
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "install-42")
		rr := httptest.NewRecorder()
		srv.ServeHTTP(rr, req)
		if i == 1 && rr.Code != 200 {
			t.Errorf("retry with the same key and body from another address: %d %s", rr.Code, rr.Body.String())
		}
	}
}

// Regression (security review) R3b: a privacy-policy "acceptance" serves as the user's direct EULA
// acceptance that carries the assignment to the administrator.
func TestSecurityPrivacyIsNoDirectAcceptance(t *testing.T) {
	ts := newTestServer(t)
	auth := []string{"Authorization", "Bearer " + testAdminToken}
	ts.postJSON(t, api.PathDecisions, `{"decision":"accepted","document":{"id":"privacy","version":"20240228","language":"en"},"product":"xprotect-corporate","installer":{"machine_id":"srv-p"}}`, 400, nil)
	ts.postJSON(t, api.PathAdminAcceptances, `{"administrator":{"name":"Ada"},"computers":["srv-p"]}`, 201, nil, auth...)
	var out api.DelegationResponse
	ts.postJSON(t, api.PathDelegations, `{"product":"xprotect-corporate","version":"2025.2","computers":["srv-p"]}`, 200, &out, auth...)
	if r := out.Results[0]; r.Result == api.ResultRecorded {
		t.Errorf("delegated EULA acceptance recorded for a computer whose user never accepted the EULA (only the privacy policy): %+v", r)
	}
}

// Regression (security review) R8: an installation whose last acceptance is of a version the library no
// longer holds gets a page with no text and no way to decide.
func TestSecurityRetiredVersionPageWorks(t *testing.T) {
	var cfg web.Config
	ts := newTestServer(t, func(c *web.Config) { cfg = *c })
	ts.postJSON(t, api.PathDecisions, `{"decision":"accepted","document":{"id":"eula","version":"`+currentEULA+`","language":"en"},"product":"xprotect-corporate","installer":{"machine_id":"m1"}}`, 201, nil)
	files := fstest.MapFS{}
	fsys := os.DirFS(filepath.Join("..", "eula", "testdata", "versions"))
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(fsys, p)
		if strings.Contains(p, "20250212") {
			if path.Base(p) != eula.CatalogFile {
				return nil
			}
			p = strings.Replace(p, "20250212", "20260101", 1) // the catalog stays with the next version
		}
		files[p] = &fstest.MapFile{Data: b}
		return nil
	})
	lib, err := eula.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Library = lib
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s2 := httptest.NewServer(srv)
	defer s2.Close()
	ts2 := &testServer{Server: s2}
	_, page := ts2.get(t, "/?product=xprotect-corporate&installer=m1")
	if !strings.Contains(page, `id="eula-accept"`) || strings.Contains(pageBody(page), "eula-error") {
		t.Errorf("page for an installation that accepted a retired version has no decision bar or shows an error")
	}
	status, body := ts2.do(t, "GET", api.PathView+"?product=xprotect-corporate&installer=m1", "")
	if status != 200 {
		t.Errorf("view API: %d %s", status, body)
	}
}

// Regression (security review) R7: the dealer's reference code, the
// credential that shows who accepted for whom and lets the end user
// confirm, is not given out by the public status and receipt of the end
// user's confirmation: records hold only its commitment.
func TestSecurityReferenceNotInReceipts(t *testing.T) {
	ts := newTestServer(t)
	resp, _ := ts.postForm(t, "/dealer", formFields())
	u, _ := url.Parse(resp.Header.Get("Location"))
	ref := u.Query().Get("ref")
	if ref == "" {
		t.Fatalf("dealer form: %d", resp.StatusCode)
	}
	ts.postJSON(t, api.ConfirmationsPath(ref), `{"product":"husky-m20","installer":{"machine_id":"appliance-1"}}`, 201, nil)
	// An outsider knows only the installation id.
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=appliance-1&product=husky-m20", &st)
	_, body := ts.do(t, "GET", api.ChainPath(st.RecordID), "")
	if strings.Contains(body, ref) || strings.Contains(body, strings.ReplaceAll(ref, "-", "")) {
		t.Fatalf("the public chain of the confirmation gives out the reference code %s", ref)
	}
	var rc eula.Receipt
	ts.getJSON(t, api.ReceiptPath(st.RecordID), &rc)
	if status, _ := ts.do(t, "GET", api.ReferencePath(rc.Record.Reference), ""); status == http.StatusOK {
		t.Error("the commitment in the receipt works as a reference code")
	}
}
