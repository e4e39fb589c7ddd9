package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"

	_ "modernc.org/sqlite"
)

// binary is the eulagate binary built once for the tests that run it.
var binary struct {
	once sync.Once
	path string
	err  error
}

func eulagateBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "eulagate-bin-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "eulagate")
		out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// lockedBuffer is a bytes.Buffer safe for a process to write while the
// test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer runs `eulagate serve` on a free loopback port and returns its
// base URL (with a trailing slash).
func startServer(t *testing.T, data string, extra ...string) string {
	t.Helper()
	cmd := exec.Command(eulagateBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, extra...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
		}
	}
	t.Cleanup(stop)
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		t.Fatalf("server did not start: %v\n%s", err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	return strings.TrimSpace(url)
}

// gateRun is a running `eulagate gate`.
type gateRun struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	done           chan int
}

func startGate(t *testing.T, args ...string) *gateRun {
	t.Helper()
	g := &gateRun{done: make(chan int, 1)}
	g.cmd = exec.Command(eulagateBinary(t), append([]string{"gate"}, args...)...)
	g.cmd.Stdout, g.cmd.Stderr = &g.stdout, &g.stderr
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		g.cmd.Wait()
		g.done <- g.cmd.ProcessState.ExitCode()
	}()
	t.Cleanup(func() { g.cmd.Process.Kill() })
	return g
}

// wait returns the gate's exit code, failing the test after limit.
func (g *gateRun) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case code := <-g.done:
		return code
	case <-time.After(limit):
		t.Fatalf("gate still running after %s; stderr:\n%s", limit, g.stderr.String())
		return -1
	}
}

// waitKiosk waits until the gate prints the kiosk URL and returns it.
func (g *gateRun) waitKiosk(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(g.stderr.String(), "\n") {
			if strings.HasPrefix(line, "http://") && strings.Contains(line, "kiosk=1") {
				return strings.TrimSpace(line)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("gate printed no kiosk URL; stderr:\n%s", g.stderr.String())
	return ""
}

// apiClient returns a client of the server at base.
func apiClient(t *testing.T, base string) *api.Client {
	t.Helper()
	u, err := apihttp.ParseBase(base)
	if err != nil {
		t.Fatal(err)
	}
	return api.NewClient(apihttp.New(u))
}

// decideVersion records a decision on a version of the EULA through the
// API, as an installer would, and returns the record.
func decideVersion(t *testing.T, base, machine, product, decision, version string) eula.Record {
	t.Helper()
	out, err := apiClient(t, base).Decide(context.Background(), api.DecisionRequest{
		Decision:  decision,
		Document:  api.DocumentRef{ID: eula.DocEULA, Version: version, Language: "en"},
		Product:   product,
		Installer: api.InstallerRef{MachineID: machine, Version: "1.0"},
	})
	if err != nil {
		t.Fatalf("decide %s: %v", version, err)
	}
	rc, err := eula.DecodeReceipt(bytes.NewReader(out.Receipt))
	if err != nil {
		t.Fatal(err)
	}
	return rc.Record
}

// decideAt records a decision as the reader at the gate's kiosk URL does:
// with the URL's installation, product and one-time session token.
func decideAt(t *testing.T, kiosk, decision string) eula.Record {
	t.Helper()
	u, err := url.Parse(kiosk)
	if err != nil {
		t.Fatal(err)
	}
	q := api.ParseQuery(u)
	if q.Session == "" {
		t.Fatalf("the kiosk URL %s carries no session token", kiosk)
	}
	out, err := apiClient(t, u.Scheme+"://"+u.Host+"/").Decide(context.Background(), api.DecisionRequest{
		Decision:  decision,
		Document:  api.DocumentRef{ID: eula.DocEULA, Version: "20250212", Language: "en"},
		Product:   q.Product,
		Installer: api.InstallerRef{MachineID: q.Installer, Version: "1.0"},
		Channel:   string(eula.ChannelFirstBoot),
		Session:   q.Session,
	})
	if err != nil {
		t.Fatalf("decide at the kiosk: %v", err)
	}
	rc, err := eula.DecodeReceipt(bytes.NewReader(out.Receipt))
	if err != nil {
		t.Fatal(err)
	}
	return rc.Record
}

// decide records a decision on the 20250212 EULA.
func decide(t *testing.T, base, machine, product, decision string) eula.Record {
	t.Helper()
	return decideVersion(t, base, machine, product, decision, "20250212")
}

func keyOf(t *testing.T, data string) string {
	t.Helper()
	code, out, errOut := runCmd(t, "key", "--data", data)
	if code != 0 {
		t.Fatal(errOut)
	}
	return strings.TrimSpace(out)
}

func TestGateAcceptInBrowser(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	g := startGate(t, "--product", "husky-m20", "--installer", "box-1", "--server", base, "--data", data, "--timeout", "90s")
	kiosk := g.waitKiosk(t)
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 768})
	err := chromedp.Run(ctx,
		chromedp.Navigate(kiosk),
		headless.WaitFor(`#eula-page[data-wasm="on"]`),
		headless.ScrollToEnd(),
		headless.WaitJS(`!document.querySelector("#eula-accept").disabled`),
		headless.Click("#eula-accept"),
		headless.WaitFor(`#eula-outcome[data-decision="accepted"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if code := g.wait(t, 30*time.Second); code != gateAccepted {
		t.Fatalf("gate exit %d, want 0; stderr:\n%s", code, g.stderr.String())
	}
	rc, err := eula.DecodeReceipt(strings.NewReader(g.stdout.String()))
	if err != nil {
		t.Fatalf("gate printed no receipt: %v\n%s", err, g.stdout.String())
	}
	if err := eula.VerifyReceipt(rc, keyOf(t, data)); err != nil {
		t.Errorf("printed receipt does not verify: %v", err)
	}
	if rc.Record.Installer.MachineID != "box-1" || rc.Record.Product != "husky-m20" {
		t.Errorf("receipt for %s/%s", rc.Record.Installer.MachineID, rc.Record.Product)
	}
	// Accepted now: the next boot's gate opens at once.
	again := startGate(t, "--product", "husky-m20", "--installer", "box-1", "--server", base, "--data", data, "--timeout", "5s")
	if code := again.wait(t, 10*time.Second); code != gateAccepted {
		t.Errorf("second gate exit %d, want 0 at once", code)
	}
}

func TestGateDeclineAndTimeout(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	g := startGate(t, "--product", "husky-m20", "--installer", "box-2", "--server", base, "--data", data, "--timeout", "60s")
	decideAt(t, g.waitKiosk(t), "declined")
	if code := g.wait(t, 30*time.Second); code != gateDeclined {
		t.Fatalf("gate exit %d after decline, want %d; stderr:\n%s", code, gateDeclined, g.stderr.String())
	}
	// A decline is remembered, and asked again on the next boot.
	next := startGate(t, "--product", "husky-m20", "--installer", "box-2", "--server", base, "--data", data, "--timeout", "1s")
	if code := next.wait(t, 20*time.Second); code != gateUndecided {
		t.Fatalf("gate after an earlier decline: exit %d, want %d (ask again, then time out)", code, gateUndecided)
	}
	if !strings.Contains(next.stderr.String(), "kiosk=1") {
		t.Errorf("the gate did not ask again: %s", next.stderr.String())
	}
}

func TestGateOtherProductOrMachine(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	decide(t, base, "box-3", "husky-m20", "accepted")
	for _, args := range [][]string{
		{"--product", "husky-x2", "--installer", "box-3"},  // another product
		{"--product", "husky-m20", "--installer", "box-4"}, // another machine
	} {
		g := startGate(t, append(args, "--server", base, "--data", data, "--timeout", "1s")...)
		if code := g.wait(t, 20*time.Second); code != gateUndecided {
			t.Errorf("gate %v: exit %d, want %d", args, code, gateUndecided)
		}
	}
}

// TestGateTamperedStore: a decline edited into an acceptance directly in
// the database does not open the gate.
func TestGateTamperedStore(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	rec := decide(t, base, "box-5", "husky-m20", "declined")
	db, err := sql.Open("sqlite", filepath.Join(data, "eulagate.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE records SET decision = 'accepted' WHERE id = ?`, rec.ID); err != nil {
		t.Fatal(err)
	}
	g := startGate(t, "--product", "husky-m20", "--installer", "box-5", "--server", base, "--data", data, "--timeout", "2s")
	if code := g.wait(t, 20*time.Second); code != gateError || !strings.Contains(g.stderr.String(), "does not verify") {
		t.Errorf("gate exit %d, want %d saying the answer does not verify: %s", code, gateError, g.stderr.String())
	}
}

// TestGateReceiptForAnotherMachine: a server that answers with a genuine
// receipt of another machine does not open the gate.
func TestGateReceiptForAnotherMachine(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	rec := decide(t, base, "box-6", "husky-m20", "accepted")
	real := strings.TrimSuffix(base, "/")
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == api.PathAttestation {
			// Claim that box-7 accepted, answering with box-6's statement.
			q := r.URL.Query()
			q.Set("installer", "box-6")
			resp, err := http.Get(real + api.WithQuery(api.PathAttestation, q))
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer resp.Body.Close()
			io.Copy(w, resp.Body)
			return
		}
		resp, err := http.Get(real + r.URL.RequestURI())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer liar.Close()
	g := startGate(t, "--product", "husky-m20", "--installer", "box-7", "--server", liar.URL, "--data", data, "--timeout", "2s", "--no-start")
	if code := g.wait(t, 20*time.Second); code == gateAccepted {
		t.Fatalf("a receipt of another machine (%s) opened the gate", rec.ID)
	}
	if !strings.Contains(g.stderr.String(), `not box-7`) {
		t.Errorf("gate did not name the machine mismatch: %s", g.stderr.String())
	}
}

func TestGateStoppedServer(t *testing.T) {
	g := startGate(t, "--product", "husky-m20", "--installer", "box-8", "--server", "http://127.0.0.1:1", "--data", t.TempDir(), "--no-start")
	if code := g.wait(t, 20*time.Second); code != gateError {
		t.Fatalf("gate with no server: exit %d, want %d", code, gateError)
	}
}

// TestGateStartsServer: with no server running, the gate starts one on
// loopback, and an acceptance through it opens the gate.
func TestGateStartsServer(t *testing.T) {
	data := t.TempDir()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr + "/"
	g := startGate(t, "--product", "husky-ivo-350t", "--installer", "box-9", "--server", base, "--data", data, "--timeout", "60s")
	kiosk := g.waitKiosk(t)
	t.Cleanup(func() { stopStartedServer(t, g.stderr.String()) })
	decideAt(t, kiosk, "accepted")
	if code := g.wait(t, 30*time.Second); code != gateAccepted {
		t.Fatalf("gate exit %d, want 0; stderr:\n%s", code, g.stderr.String())
	}
	// The gate stops the server it started once it is done.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := http.Get(base + "healthz"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server the gate started still answers after the gate ended; stderr:\n%s", g.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stopStartedServer stops the server a gate started, by the pid it printed.
func stopStartedServer(t *testing.T, stderr string) {
	var pid int
	for _, line := range strings.Split(stderr, "\n") {
		if _, err := fmt.Sscanf(line, "eulagate gate: started the server (pid %d)", &pid); err == nil {
			if p, err := os.FindProcess(pid); err == nil {
				p.Signal(os.Interrupt)
			}
			return
		}
	}
}

// copyVersions copies the given versions of the test document set
// (eula/testdata/versions) into a new locales directory.
func copyVersions(t *testing.T, versions ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range versions {
		src := filepath.Join("eula", "testdata", "versions", "eula", v)
		dst := filepath.Join(dir, "eula", v)
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(src, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestGateNewVersion: an acceptance of 20250212 opens the gate until a
// material version (20260101) is published; then the gate asks again. An
// acceptance of 20260101 still counts after the editorial 20260301.
func TestGateNewVersion(t *testing.T) {
	data := t.TempDir()
	// The gate knows the version in force from its own documents, not
	// from the server: it is given the same ones.
	gateArgs := func(base, locales, timeout string) []string {
		return []string{"--product", "husky-m20", "--installer", "box-v", "--server", base, "--data", data, "--timeout", timeout, "--no-start", "--locales", locales}
	}
	run := func(locales string, accept string, want int) {
		t.Helper()
		base := startServer(t, data, "--locales", locales)
		if accept != "" {
			decideVersion(t, base, "box-v", "husky-m20", api.DecisionAccepted, accept)
		}
		g := startGate(t, gateArgs(base, locales, "1s")...)
		if code := g.wait(t, 20*time.Second); code != want {
			t.Fatalf("locales %s, accepted %q: gate exit %d, want %d\n%s", locales, accept, code, want, g.stderr.String())
		}
	}
	run(copyVersions(t, "20250212"), "20250212", gateAccepted)
	run(copyVersions(t, "20250212", "20260101"), "", gateUndecided) // material: asks again
	run(copyVersions(t, "20250212", "20260101"), "20260101", gateAccepted)
	run(copyVersions(t, "20250212", "20260101", "20260301"), "", gateAccepted) // editorial: still counts
}

// TestGateDealerReference: an appliance sold with a dealer's prior
// acceptance boots; the gate, given the reference code, shows the
// confirmation page ("accepted by … for …"), the end user confirms, and the
// gate opens on the linked acceptance.
func TestGateDealerReference(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	c := apiClient(t, base)
	out, err := c.DealerAccept(context.Background(), api.DealerAcceptanceRequest{
		Dealer:   api.Person{Organization: "Dealer Ltd", Name: "Dana Dealer", Email: "dana@dealer.example"},
		Customer: api.Person{Organization: "Kunde GmbH", Name: "Karl Kunde", Email: "karl@kunde.example"},
		Product:  "husky-m", Document: api.DocumentRef{Language: "en"}, CustomerAccepted: true, ReturnRightUnderstood: true,
	})
	if err != nil || out.Reference == "" {
		t.Fatalf("dealer acceptance: %v", err)
	}
	g := startGate(t, "--product", "husky-m20", "--installer", "nvr-9", "--reference", out.Reference, "--server", base, "--data", data, "--timeout", "60s")
	deadline := time.Now().Add(30 * time.Second)
	var page string
	for page == "" && time.Now().Before(deadline) {
		for _, line := range strings.Split(g.stderr.String(), "\n") {
			if strings.Contains(line, "/dealer/confirm?") {
				page = strings.TrimSpace(line)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(page, "ref="+out.Reference) {
		t.Fatalf("gate did not point to the confirmation page:\n%s", g.stderr.String())
	}
	r, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(body), "Dealer Ltd") || !strings.Contains(string(body), "Kunde GmbH") {
		t.Errorf("the confirmation page does not say who accepted for whom")
	}
	pageURL, err := url.Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Confirm(context.Background(), out.Reference, api.ConfirmationRequest{
		Product: "husky-m20", Installer: api.ConfirmationInstaller{MachineID: "nvr-9", Version: "1.0"}, Document: api.DocumentRef{Language: "en"},
		Session: pageURL.Query().Get("session"),
	}); err != nil {
		t.Fatal(err)
	}
	if code := g.wait(t, 30*time.Second); code != gateAccepted {
		t.Fatalf("gate exit %d after the end user confirmed; stderr:\n%s", code, g.stderr.String())
	}
	rc, err := eula.DecodeReceipt(strings.NewReader(g.stdout.String()))
	if err != nil {
		t.Fatal(err)
	}
	if rc.Record.Reference == "" || strings.Contains(rc.Record.Reference, strings.ReplaceAll(out.Reference, "-", "")) || strings.Contains(g.stdout.String(), out.Reference) || len(rc.Record.DerivedFrom) == 0 || rc.Record.DerivedFrom[0] != out.ID {
		t.Errorf("the end user's record is not linked to the dealer's: %+v", rc.Record)
	}
}

// TestGateLyingServer: a process answering at --server that is not this
// machine's eulagate, or that replays genuine but stale answers, never
// opens the gate (issue 16, attack 1).
func TestGateLyingServer(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	real := strings.TrimSuffix(base, "/")
	decide(t, base, "box-l", "husky-m20", "accepted")
	// A genuine answer while box-l had accepted, for a nonce of the past.
	stale, err := apiClient(t, base).Attest(context.Background(), api.AttestationQuery{Installer: "box-l", Product: "husky-m20", Nonce: "nonce-of-the-past-0000"})
	if err != nil {
		t.Fatal(err)
	}
	oldReceipt, _ := http.Get(real + api.WithQuery(api.PathStatus, api.StatusQuery{Installer: "box-l", Product: "husky-m20"}.Values()))
	oldStatus, _ := io.ReadAll(oldReceipt.Body)
	oldReceipt.Body.Close()
	decide(t, base, "box-l", "husky-m20", "declined") // the reader changed their mind
	proxy := func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get(real + r.URL.RequestURI())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}
	for _, test := range []struct {
		name    string
		handler http.HandlerFunc
		want    int
	}{
		{"squatter answering only healthz", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == api.PathHealth {
				io.WriteString(w, `{"status":"ok"}`)
				return
			}
			http.NotFound(w, r)
		}, gateError},
		{"squatter claiming an acceptance", func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case api.PathHealth:
				io.WriteString(w, `{"status":"ok"}`)
			case api.PathStatus:
				w.Write(oldStatus)
			case api.PathAttestation:
				json.NewEncoder(w).Encode(api.Attestation{Statement: "eulagate status v1\n", Receipt: stale.Receipt})
			default:
				proxy(w, r)
			}
		}, gateError},
		{"replay of a genuine acceptance after a refusal", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == api.PathAttestation {
				json.NewEncoder(w).Encode(stale)
				return
			}
			proxy(w, r)
		}, gateError},
		{"old status and receipt, genuine statement", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == api.PathStatus {
				w.Write(oldStatus)
				return
			}
			proxy(w, r)
		}, gateUndecided},
	} {
		t.Run(test.name, func(t *testing.T) {
			liar := httptest.NewServer(test.handler)
			defer liar.Close()
			g := startGate(t, "--product", "husky-m20", "--installer", "box-l", "--server", liar.URL, "--data", data, "--timeout", "2s", "--no-start")
			if code := g.wait(t, 20*time.Second); code != test.want {
				t.Fatalf("gate exit %d, want %d; stderr:\n%s", code, test.want, g.stderr.String())
			}
			if test.want == gateError && !strings.Contains(g.stderr.String(), "not this machine's eulagate") {
				t.Errorf("the gate does not say why it refuses the server: %s", g.stderr.String())
			}
		})
	}
}

// TestGateSessionOnly: while the gate waits, only a decision made through
// its kiosk URL (with the one-time session token) ends the wait; one
// posted by any other local process is recorded but does not.
func TestGateSessionOnly(t *testing.T) {
	data := t.TempDir()
	base := startServer(t, data)
	g := startGate(t, "--product", "husky-m20", "--installer", "box-s", "--server", base, "--data", data, "--timeout", "60s")
	kiosk := g.waitKiosk(t)
	decide(t, base, "box-s", "husky-m20", "accepted") // no session token
	select {
	case code := <-g.done:
		t.Fatalf("an acceptance without the kiosk's token ended the wait (exit %d); stderr:\n%s", code, g.stderr.String())
	case <-time.After(3 * time.Second):
	}
	decideAt(t, kiosk, "accepted")
	if code := g.wait(t, 30*time.Second); code != gateAccepted {
		t.Fatalf("gate exit %d after the kiosk's acceptance, want 0; stderr:\n%s", code, g.stderr.String())
	}
	// On a later boot, the recorded acceptance opens the gate at once.
	next := startGate(t, "--product", "husky-m20", "--installer", "box-s", "--server", base, "--data", data, "--timeout", "10s")
	if code := next.wait(t, 20*time.Second); code != gateAccepted {
		t.Fatalf("next boot: gate exit %d, want 0; stderr:\n%s", code, next.stderr.String())
	}
}
