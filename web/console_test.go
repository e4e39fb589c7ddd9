package web_test

import (
	"net/http"
	"strings"
	"testing"

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
