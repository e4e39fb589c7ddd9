package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/web"
)

// TestConsoleNeedsSession checks that nothing of the console answers
// without a session: pages send the browser to the sign-in page, calls and
// exports answer 401, and a made-up cookie is no session.
func TestConsoleNeedsSession(t *testing.T) {
	ts := newTestServer(t)
	for _, test := range []struct {
		method, path string
		status       int
	}{
		{"GET", web.PathConsole, http.StatusSeeOther},
		{"GET", web.PathConsoleSearch + "?machine=srv-1", http.StatusSeeOther},
		{"GET", web.PathConsoleInstallation + "?machine=srv-1&product=xprotect-corporate", http.StatusSeeOther},
		{"GET", web.PathConsolePrivacy, http.StatusSeeOther},
		{"POST", web.PathConsoleErase, http.StatusSeeOther},
		{"POST", web.PathConsoleAccess, http.StatusSeeOther},
		{"POST", web.PathConsoleSignOut, http.StatusSeeOther},
		{"GET", web.PathConsole + "/nothing", http.StatusSeeOther},
		{"GET", web.PathConsoleExport + "?format=csv", http.StatusUnauthorized},
		{"GET", web.PathConsoleOverviewJSON, http.StatusUnauthorized},
	} {
		for _, cookie := range []string{"", "eulagate_console=0123456789abcdef"} {
			req, _ := http.NewRequest(test.method, ts.URL+test.path, strings.NewReader("email=a@b.example"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if cookie != "" {
				req.Header.Set("Cookie", cookie)
			}
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != test.status {
				t.Errorf("%s %s (cookie %q): %d, want %d", test.method, test.path, cookie, resp.StatusCode, test.status)
			}
			if test.status == http.StatusSeeOther && !strings.HasPrefix(resp.Header.Get("Location"), web.PathConsoleSignIn) {
				t.Errorf("%s %s: sent to %q", test.method, test.path, resp.Header.Get("Location"))
			}
		}
	}
}

// TestConsoleSignInLimit checks that wrong administrator tokens from one
// client are refused with 429 and Retry-After once too many came, the
// right one included while the client waits, that the wait stays bounded,
// and that the right token signs in once the wait is over.
func TestConsoleSignInLimit(t *testing.T) {
	var skew atomic.Int64
	ts := newTestServer(t, func(c *web.Config) {
		c.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	signIn := func(token string) (*http.Response, string) {
		t.Helper()
		f := url.Values{"csrf": {ts.csrfToken(t, web.PathConsoleSignIn+"?lang=en")}, "token": {token}, "lang": {"en"}}
		return ts.postForm(t, web.PathConsoleSignIn, f)
	}
	wait := func(resp *http.Response, body string) time.Duration {
		t.Helper()
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429", resp.StatusCode)
		}
		secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
		if err != nil || secs < 1 {
			t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
		if want := fmt.Sprintf("Too many wrong tokens came from this computer. Wait %d seconds, then try again.", secs); !strings.Contains(body, want) {
			t.Errorf("the page does not say %q:\n%s", want, body)
		}
		return time.Duration(secs) * time.Second
	}
	for i := range 5 { // The first few wrong tokens are only refused.
		if resp, _ := signIn("wrong-token-0123456789"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: status %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp, _ := signIn("wrong-token-0123456789"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sixth wrong token: status %d, want 401", resp.StatusCode)
	}
	d := wait(signIn(testAdminToken)) // The right token waits too.
	var longest time.Duration
	for range 30 { // Each wrong token after a wait makes the next wait longer, up to a bound.
		skew.Add(int64(d))
		if resp, _ := signIn("wrong-token-0123456789"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong token after the wait: status %d, want 401", resp.StatusCode)
		}
		next := wait(signIn("wrong-token-0123456789"))
		if next < d && next < longest {
			t.Errorf("the wait shrank from %v to %v", d, next)
		}
		d, longest = next, max(longest, next)
	}
	if longest > 10*time.Minute {
		t.Errorf("a client waits %v: the right token is locked out too long", longest)
	}
	skew.Add(int64(d))
	resp, _ := signIn(testAdminToken)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != web.PathConsole {
		t.Fatalf("the right token after the wait: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := signIn("wrong-token-0123456789"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong token after signing in: status %d, want 401 (the count starts afresh)", resp.StatusCode)
	}
}

// TestAdminTokenLimit checks the API's administrator endpoints against
// guessing: after the free wrong tokens, a client is answered 429 with
// Retry-After and the code too_many_requests, the right token included,
// until the wait is over; then the right token works again.
func TestAdminTokenLimit(t *testing.T) {
	var skew atomic.Int64
	ts := newTestServer(t, func(c *web.Config) {
		c.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	export := func(token string) (int, http.Header, string) {
		t.Helper()
		req, err := http.NewRequest("GET", ts.URL+api.PathRecords, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	for i := range 6 {
		if status, _, _ := export("wrong-token-0123456789"); status != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: status %d, want 401", i+1, status)
		}
	}
	status, h, body := export(testAdminToken)
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(body, `"code":"too_many_requests"`) {
		t.Fatalf("right token after six wrong ones: %d, Retry-After %q, %s", status, h.Get("Retry-After"), body)
	}
	secs, _ := strconv.Atoi(h.Get("Retry-After"))
	skew.Store(int64(time.Duration(secs) * time.Second))
	if status, _, body := export(testAdminToken); status != http.StatusOK {
		t.Fatalf("right token once the wait is over: %d %s", status, body)
	}
}
