package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/internal/testserver"
	"github.com/eulagate/eulagate/web"
)

const delegateToken = "delegate-test-token-0123456789"

// delegateServer starts a server over a fresh store and returns its URL and
// the store, and the log's verifier key.
func delegateServer(t *testing.T) (string, *sqlite.Store, string) {
	t.Helper()
	ts := testserver.New(t, func(c *web.Config) { c.AdminToken = delegateToken })
	return ts.URL, ts.Store, ts.VerifierKey
}

// accepted records an end user's own acceptance on machine.
func accepted(t *testing.T, store eula.Store, machine string) eula.Record {
	t.Helper()
	r := eula.Record{
		Installer: eula.Installer{Product: "xprotect-corporate", Version: "2025.1", MachineID: machine},
		Product:   "xprotect-corporate",
		Document:  eula.Shown{ID: "eula", Version: "20250212", Language: "en", Hash: "sha256:x", OriginalHash: "sha256:x"},
		Decision:  eula.Accepted, Role: eula.RoleEndUser, Channel: eula.ChannelInstaller,
	}
	stored, _, err := store.Append(context.Background(), r, "")
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

func TestDelegateCommand(t *testing.T) {
	url, store, verifier := delegateServer(t)
	direct := accepted(t, store, "srv-1")
	accepted(t, store, "srv-3")
	t.Setenv("EULAGATE_URL", "")
	t.Setenv("EULAGATE_SERVER", "")
	t.Setenv("EULAGATE_ADMIN_TOKEN", "")

	// The administrator accepts the Update Manager terms for srv-1 and srv-2.
	code, out, errOut := runCmd(t, "admin-accept", "--server", url, "--admin-token", delegateToken, "--name", "Ada Admin", "srv-1", "srv-2")
	if code != 0 || !strings.HasPrefix(out, "srv-1\taccepted\t") || !strings.Contains(out, "srv-2\taccepted\t") {
		t.Fatalf("admin-accept: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	adminID := strings.Fields(strings.SplitN(out, "\n", 2)[0])[2]
	if strings.Contains(errOut, "plain http") {
		t.Errorf("a server on this computer draws a warning: %q", errOut)
	}

	// The server is found through EULAGATE_URL, the token through the
	// environment.
	t.Setenv("EULAGATE_URL", url)
	t.Setenv("EULAGATE_ADMIN_TOKEN", delegateToken)
	code, out, errOut = runCmd(t, "delegate", "--product", "xprotect-corporate", "--version", "2025.2", "srv-1", "srv-2", "srv-3")
	if code != exitNotAll {
		t.Errorf("exit %d, want %d", code, exitNotAll)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 ||
		!strings.HasPrefix(lines[0], "srv-1\trecorded\t") || !strings.HasSuffix(lines[0], "from "+adminID+" "+direct.ID) ||
		!strings.HasPrefix(lines[1], "srv-2\tprompt-user\tfirst-install: ") ||
		!strings.HasPrefix(lines[2], "srv-3\tprompt-user\tno-administrator: ") {
		t.Errorf("report:\n%s", out)
	}
	if !strings.Contains(errOut, "2 of 3 computers have no delegated acceptance") {
		t.Errorf("stderr %q", errOut)
	}

	// verify checks every receipt of the delegated record's chain, and
	// fails when one of them is altered.
	delegated := strings.Fields(lines[0])[2]
	resp, err := http.Get(url + api.ChainPath(delegated))
	if err != nil {
		t.Fatal(err)
	}
	chain, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	chainFile := filepath.Join(t.TempDir(), "chain.json")
	os.WriteFile(chainFile, chain, 0o600)
	code, out, errOut = runCmd(t, "verify", "--key", verifier, chainFile)
	if code != 0 || strings.Count(out, "OK: record ") != 3 || !strings.Contains(out, "all 3 receipts in the chain verify") {
		t.Errorf("verify chain: exit %d, stdout %s, stderr %q", code, out, errOut)
	}
	os.WriteFile(chainFile, bytes.Replace(chain, []byte(`"srv-1"`), []byte(`"srv-9"`), 1), 0o600)
	code, out, errOut = runCmd(t, "verify", "--key", verifier, chainFile)
	if code != exitFailed || !strings.Contains(errOut, "1 of the 3 receipts in the chain do not verify") {
		t.Errorf("verify altered chain: exit %d, stdout %s, stderr %q", code, out, errOut)
	}

	// Again for srv-1 only: already recorded, exit 0.
	code, out, errOut = runCmd(t, "delegate", "--product", "xprotect-corporate", "--version", "2025.2", "--json", "srv-1")
	if code != 0 || !strings.Contains(out, `"result": "already-recorded"`) {
		t.Errorf("retry: exit %d, stdout %s, stderr %q", code, out, errOut)
	}

	for _, test := range []struct {
		name string
		args []string
		env  map[string]string
		code int
		err  string
	}{
		{"no computers", []string{"delegate", "--product", "xprotect-corporate", "--version", "1"}, nil, 2, "give the installation ids"},
		{"no product", []string{"delegate", "--version", "1", "srv-1"}, nil, 2, "--product and --version are required"},
		{"no token", []string{"delegate", "--product", "xprotect-corporate", "--version", "1", "srv-1"}, map[string]string{"EULAGATE_ADMIN_TOKEN": ""}, 2, "--admin-token (or EULAGATE_ADMIN_TOKEN) is required"},
		{"wrong token", []string{"delegate", "--admin-token", "wrong", "--product", "xprotect-corporate", "--version", "1", "srv-1"}, nil, exitUnauthorized, "the server refused the administrator token"},
		{"bad server", []string{"delegate", "--server", "ftp://x", "--product", "xprotect-corporate", "--version", "1", "srv-1"}, nil, 2, "not an http(s) URL"},
		{"server down", []string{"delegate", "--server", "http://127.0.0.1:1", "--product", "xprotect-corporate", "--version", "1", "srv-1"}, nil, exitServer, "no answer from the eulagate server"},
		{"unknown product", []string{"delegate", "--product", "xprotect-bogus", "--version", "1", "srv-1"}, nil, exitServer, "xprotect-bogus"},
		{"EULAGATE_SERVER wins", []string{"delegate", "--product", "xprotect-corporate", "--version", "1", "srv-1"}, map[string]string{"EULAGATE_SERVER": "http://127.0.0.1:1"}, exitServer, "127.0.0.1:1"},
		{"admin-accept nobody", []string{"admin-accept", "srv-1"}, nil, 2, "--name or --email is required"},
		{"plain http to another host warns", []string{"delegate", "--server", "http://eulagate.invalid:1", "--timeout", "5s", "--product", "xprotect-corporate", "--version", "1", "srv-1"}, nil, exitServer, "administrator token goes to eulagate.invalid:1 over plain http"},
	} {
		t.Run(test.name, func(t *testing.T) {
			for k, v := range test.env {
				t.Setenv(k, v)
			}
			code, _, errOut := runCmd(t, test.args...)
			if code != test.code || !strings.Contains(errOut, test.err) {
				t.Errorf("exit %d, stderr %q; want %d with %q", code, errOut, test.code, test.err)
			}
		})
	}
}
