package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/machineid"
	"github.com/eulagate/eulagate/internal/privfile"
)

// Exit codes of `eulagate gate`, documented in the README and stable.
const (
	// gateAccepted: a verified acceptance of the version in force exists.
	gateAccepted = 0
	// gateError: the gate could not do its job (server unreachable, bad
	// key...); the installation must not proceed.
	gateError = 1
	// gateDeclined: the reader declined; the installation must stop.
	gateDeclined = 3
	// gateUndecided: no decision before the timeout, or the gate was
	// interrupted; the installation must not proceed.
	gateUndecided = 4
)

// installerIDFile, in the data directory, holds an installation id set
// once at provisioning; it takes precedence over the derived machine id.
const installerIDFile = "installer-id"

// gatePoll is how often the gate asks the server for a decision.
const gatePoll = 300 * time.Millisecond

func init() {
	register(&command{
		name:  "gate",
		short: "block until this machine has accepted the EULA (for pre-install and first-boot scripts)",
		long: "Gate finds this machine's decision for the EULA version in force. If a verified\n" +
			"acceptance exists it prints the receipt (JSON) and exits 0 at once. Otherwise it\n" +
			"makes sure the local server runs (starting it on loopback if needed), prints the\n" +
			"kiosk URL on standard error (and opens it with --open), and waits for a decision.\n\n" +
			"Exit codes: 0 accepted (receipt on standard output), 3 declined, 4 no decision\n" +
			"(timeout or interrupted), 1 error, 2 usage. Only 0 lets an installation proceed.\n\n" +
			"The gate decides for itself. It knows the version in force and its re-acceptance\n" +
			"rule from the documents it embeds (or --locales), not from the server. It asks\n" +
			"with a fresh nonce and believes only a status statement signed with the log's key\n" +
			"that binds the nonce, this machine, the product, the latest decision and a\n" +
			"checkpoint that includes it, with that decision's receipt: a server that cannot\n" +
			"sign (a process squatting on the port) is refused with exit 1. While it waits,\n" +
			"the kiosk URL carries a one-time session token, and only a decision made through\n" +
			"that URL ends the wait. A server the gate started is stopped when the gate ends,\n" +
			"unless --keep-server. The installation\n" +
			"id is --installer, else the id provisioned in <data>/installer-id (written by\n" +
			"--provision), else one derived from the operating system's machine id.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			var cfg gateConfig
			fs.StringVar(&cfg.product, "product", "", "product key from the catalog (required)")
			fs.StringVar(&cfg.installer, "installer", "", "installation id (default: provisioned, else derived from the machine)")
			fs.BoolVar(&cfg.provision, "provision", false, "store --installer in the data directory as this machine's id, then gate")
			fs.DurationVar(&cfg.timeout, "timeout", 0, "give up after this long (0: wait until decided or interrupted)")
			fs.StringVar(&cfg.server, "server", "http://"+defaultAddr, "the eulagate server (started here if it is on loopback and not running)")
			fs.StringVar(&cfg.key, "key", "", "the log's verifier key (default: read from the signing key)")
			cfg.data = addDataFlags(fs, "data directory of the local server: its database and the log's key")
			fs.StringVar(&cfg.lang, "lang", "", "language to show (default: the reader's)")
			fs.StringVar(&cfg.reference, "reference", "", "a dealer's reference code: the first-boot page shows who accepted before purchase, and the end user confirms")
			fs.StringVar(&cfg.locales, "locales", "", "documents directory for a server started here (default: the embedded documents)")
			fs.BoolVar(&cfg.open, "open", false, "open the kiosk URL in the default browser")
			fs.BoolVar(&cfg.noStart, "no-start", false, "never start a server: fail if none answers")
			fs.BoolVar(&cfg.keepServer, "keep-server", false, "leave a server that the gate started running when it ends")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) > 0 {
					return usageErrorf("gate: unexpected arguments %q", args)
				}
				if cfg.product == "" {
					return usageErrorf("gate: --product is required")
				}
				lib, err := loadLibrary("gate: --locales", cfg.locales)
				if err != nil {
					return err
				}
				if _, err := lib.Product(cfg.product); err != nil {
					return usageErrorf("gate: %v", err)
				}
				cfg.current, cfg.still = lib.Latest(eula.DocEULA), lib.StillValid(eula.DocEULA)
				return gate(ctx, cfg, stdout, stderr)
			}
		},
	})
}

type gateConfig struct {
	product, installer, server, key, lang, locales, reference string
	data                                                      *dataFlags
	timeout                                                   time.Duration
	open, noStart, provision, keepServer                      bool
	// current is the EULA version in force and still its re-acceptance
	// rule, from the gate's own documents.
	current string
	still   eula.StillValid
}

// gateExit returns an error that exits with code.
func gateExit(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf("gate: "+format, args...)}
}

func gate(ctx context.Context, cfg gateConfig, stdout, stderr io.Writer) (err error) {
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	id, err := installationID(cfg)
	if err != nil {
		return gateExit(gateError, "%v", err)
	}
	key := cfg.key
	if key == "" {
		if key, err = cfg.data.verifierKey(noticeTo(stderr)); err != nil {
			return gateExit(gateError, "log key: %v", err)
		}
	}
	base, err := apihttp.ParseBase(cfg.server)
	if err != nil {
		return usageErrorf("gate: --server %v", err)
	}
	c := &gateClient{
		base: base,
		api: api.NewClient(apihttp.New(base, apihttp.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
			apihttp.WithMaxAnswer(2*eula.MaxReceiptBytes))),
		key: key, installer: id, product: cfg.product, current: cfg.current, still: cfg.still,
	}
	started, err := c.ensureServer(ctx, cfg, stderr)
	if started != nil && !cfg.keepServer {
		defer stopServer(started, stderr)
	}
	if err != nil {
		return err
	}
	// The server proves itself: only the log's key signs a statement
	// bound to the gate's nonce.
	v, err := c.ask(ctx, "")
	if err != nil {
		return gateExit(gateError, "the answer of the server at %s does not verify against this machine's log key, so the installation must not proceed: it is not this machine's eulagate (another program may be listening there) or its records were altered: %v", c.base, err)
	}
	if v.state == eula.StateAccepted {
		return printReceipt(stdout, *v.receipt)
	}
	session := newSessionToken()
	kiosk := c.kioskURL(cfg.lang, cfg.reference, session)
	fmt.Fprintf(stderr, "eulagate gate: %s on %s has not accepted the EULA %s; waiting for a decision at\n%s\n", cfg.product, id, cfg.current, kiosk)
	if cfg.open {
		if err := openBrowser(kiosk); err != nil {
			fmt.Fprintf(stderr, "eulagate gate: could not open a browser (%v); open the URL above\n", err)
		}
	}
	tick := time.NewTicker(gatePoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return gateExit(gateUndecided, "no decision within %s: the installation must not proceed", cfg.timeout)
			}
			return gateExit(gateUndecided, "interrupted before a decision: the installation must not proceed")
		case <-tick.C:
		}
		v, err := c.ask(ctx, session)
		if err != nil {
			if ctx.Err() != nil {
				continue // the select above reports why
			}
			fmt.Fprintf(stderr, "eulagate gate: %v (still waiting)\n", err)
			continue
		}
		// Only the decision made through this gate's kiosk URL, and still
		// the latest, ends the wait.
		if v.statement.Session == "" || v.statement.Session != v.statement.Record {
			continue
		}
		switch v.state {
		case eula.StateDeclined:
			return gateExit(gateDeclined, "the EULA was declined: the installation must not proceed")
		case eula.StateAccepted:
			return printReceipt(stdout, *v.receipt)
		}
	}
}

// newSessionToken returns a one-time token for the kiosk URL.
func newSessionToken() string {
	var b [24]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// installationID returns the id the gate asks about: --installer, else the
// provisioned id, else the derived machine id. With --provision it first
// stores --installer as the provisioned id.
func installationID(cfg gateConfig) (string, error) {
	path := filepath.Join(cfg.data.dir, installerIDFile)
	if cfg.provision {
		if cfg.installer == "" {
			return "", errors.New("--provision needs --installer")
		}
		if err := privfile.Dir(cfg.data.dir); err != nil {
			return "", err
		}
		if err := privfile.WriteFile(path, []byte(cfg.installer+"\n")); err != nil {
			return "", fmt.Errorf("provision installation id: %w", err)
		}
	}
	if cfg.installer != "" {
		return cfg.installer, nil
	}
	if b, err := os.ReadFile(path); err == nil && strings.TrimSpace(string(b)) != "" {
		return strings.TrimSpace(string(b)), nil
	}
	return machineid.ID()
}

// gateClient asks the server about one installation and product, through
// the API's client, and decides with the gate's own rule.
type gateClient struct {
	base               *url.URL
	api                *api.Client
	key                string
	installer, product string
	current            string
	still              eula.StillValid
}

func (c *gateClient) url(path string, q url.Values) string {
	u := c.base.JoinPath(path) // escapes each element once
	u.RawQuery = q.Encode()
	return u.String()
}

// kioskURL is the page the end user decides on: the viewer in kiosk mode,
// or, with a dealer's reference code, the confirmation page that shows who
// accepted before purchase (the end user still confirms: partner terms).
// It carries the gate's session token.
func (c *gateClient) kioskURL(lang, reference, session string) string {
	q := api.Query{Product: c.product, Installer: c.installer, Kiosk: true, MustRead: true, Lang: lang, Session: session}.Values()
	if reference != "" {
		q.Set("ref", reference)
		return c.url(api.PathDealerConfirm, q)
	}
	return c.url(api.PathViewer, q)
}

// verdict is what a verified statement says under the gate's rule.
type verdict struct {
	statement eula.Statement
	state     eula.State
	// receipt is the latest decision's receipt, if any.
	receipt *eula.Receipt
}

// ask asks the server for a signed statement bound to a fresh nonce (and
// the kiosk session, if any), verifies it with the log's key and applies
// the gate's rule with the gate's own version in force.
func (c *gateClient) ask(ctx context.Context, session string) (verdict, error) {
	var b [24]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	a, err := c.api.Attest(ctx, api.AttestationQuery{Installer: c.installer, Product: c.product, Nonce: nonce, Session: session})
	if err != nil {
		return verdict{}, err
	}
	att := eula.Attestation{Statement: a.Statement}
	if len(a.Receipt) > 0 {
		rc, err := eula.DecodeReceipt(bytes.NewReader(a.Receipt))
		if err != nil {
			return verdict{}, err
		}
		att.Receipt = &rc
	}
	st, rec, err := eula.VerifyAttestation(att, c.key, nonce, c.installer, c.product)
	if err != nil {
		return verdict{}, err
	}
	v := verdict{statement: st, state: eula.StateNone, receipt: att.Receipt}
	if rec != nil {
		v.state = eula.StatusOf([]eula.Record{*rec}, c.current, c.still).State
	}
	return v, nil
}

func printReceipt(w io.Writer, rc eula.Receipt) error { return jsonEncoder(w).Encode(rc) }

// ensureServer checks that the server answers, starting a local one on
// loopback when it does not. It returns the server it started, if any.
func (c *gateClient) ensureServer(ctx context.Context, cfg gateConfig, stderr io.Writer) (*exec.Cmd, error) {
	if c.healthy(ctx) {
		return nil, nil
	}
	host, port, err := net.SplitHostPort(c.base.Host)
	if err != nil {
		host, port = c.base.Hostname(), "80"
	}
	if cfg.noStart || !isLoopback(host) {
		return nil, gateExit(gateError, "no eulagate server answers at %s: the installation must not proceed", c.base)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, gateExit(gateError, "cannot start the server: %v", err)
	}
	args := []string{"serve", "--addr", net.JoinHostPort(host, port), "--data", cfg.data.dir}
	if cfg.locales != "" {
		args = append(args, "--locales", cfg.locales)
	}
	if cfg.data.signingKey != "" {
		args = append(args, "--signing-key", cfg.data.signingKey)
	}
	if err := privfile.Dir(cfg.data.dir); err != nil {
		return nil, gateExit(gateError, "cannot start the server: %v", err)
	}
	logf, err := os.OpenFile(filepath.Join(cfg.data.dir, serverLog), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, gateExit(gateError, "cannot start the server: %v", err)
	}
	defer logf.Close()
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return nil, gateExit(gateError, "cannot start the server: %v", err)
	}
	fmt.Fprintf(stderr, "eulagate gate: started the server (pid %d) at %s, logging to %s\n", cmd.Process.Pid, c.base, logf.Name())
	go cmd.Wait() // reap it if it exits while the gate runs
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c.healthy(ctx) {
			return cmd, nil
		}
		select {
		case <-ctx.Done():
			return cmd, gateExit(gateUndecided, "interrupted while starting the server")
		case <-time.After(100 * time.Millisecond):
		}
	}
	return cmd, gateExit(gateError, "the server started but does not answer at %s; see %s", c.base, logf.Name())
}

func (c *gateClient) healthy(ctx context.Context) bool {
	h, err := c.api.Health(ctx)
	return err == nil && h.Status == "ok"
}

// stopServer stops a server the gate started: gracefully where the
// system can signal it, else at once.
func stopServer(cmd *exec.Cmd, stderr io.Writer) {
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		cmd.Process.Kill() // Windows cannot signal: stop it at once
	}
	fmt.Fprintf(stderr, "eulagate gate: stopped the server it started (pid %d)\n", cmd.Process.Pid)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// openBrowser opens u in the default browser.
func openBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	case "darwin":
		cmd = exec.Command("open", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	return cmd.Start()
}
