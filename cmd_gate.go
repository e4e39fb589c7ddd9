package main

import (
	"bytes"
	"context"
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
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/internal/machineid"
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
			"The gate opens only on an acceptance whose receipt verifies against the log's key\n" +
			"and names this machine, this product and the version in force. The installation\n" +
			"id is --installer, else the id provisioned in <data>/installer-id (written by\n" +
			"--provision), else one derived from the operating system's machine id.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			var cfg gateConfig
			fs.StringVar(&cfg.product, "product", "", "product key from the catalog (required)")
			fs.StringVar(&cfg.installer, "installer", "", "installation id (default: provisioned, else derived from the machine)")
			fs.BoolVar(&cfg.provision, "provision", false, "store --installer in the data directory as this machine's id, then gate")
			fs.DurationVar(&cfg.timeout, "timeout", 0, "give up after this long (0: wait until decided or interrupted)")
			fs.StringVar(&cfg.server, "server", "http://"+defaultAddr, "the eulagate server (started here if it is on loopback and not running)")
			fs.StringVar(&cfg.data, "data", defaultData, "data directory of the local server: its database and the log's key")
			fs.StringVar(&cfg.key, "key", "", "the log's verifier key (default: read from the data directory)")
			fs.StringVar(&cfg.lang, "lang", "", "language to show (default: the reader's)")
			fs.StringVar(&cfg.reference, "reference", "", "a dealer's reference code: the first-boot page shows who accepted before purchase, and the end user confirms")
			fs.StringVar(&cfg.locales, "locales", "", "documents directory for a server started here (default: the embedded documents)")
			fs.BoolVar(&cfg.open, "open", false, "open the kiosk URL in the default browser")
			fs.BoolVar(&cfg.noStart, "no-start", false, "never start a server: fail if none answers")
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
				return gate(ctx, cfg, stdout, stderr)
			}
		},
	})
}

type gateConfig struct {
	product, installer, server, data, key, lang, locales, reference string
	timeout                                                         time.Duration
	open, noStart, provision                                        bool
}

// gateExit returns an error that exits with code.
func gateExit(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf("gate: "+format, args...)}
}

func gate(ctx context.Context, cfg gateConfig, stdout, stderr io.Writer) error {
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
		if _, key, err = translog.LoadOrCreateKey(cfg.data); err != nil {
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
			apihttp.WithMaxAnswer(eula.MaxReceiptBytes))),
		key: key, installer: id, product: cfg.product,
	}
	if err := c.ensureServer(ctx, cfg, stderr); err != nil {
		return err
	}
	st, err := c.status(ctx)
	if err != nil {
		return gateExit(gateError, "%v", err)
	}
	if st.State == api.StateAccepted {
		rc, err := c.verified(ctx, st)
		if err == nil {
			return printReceipt(stdout, rc)
		}
		fmt.Fprintf(stderr, "eulagate gate: WARNING: the recorded acceptance does not verify, asking again: %v\n", err)
	}
	kiosk := c.kioskURL(cfg.lang, cfg.reference)
	fmt.Fprintf(stderr, "eulagate gate: %s on %s has not accepted the EULA %s; waiting for a decision at\n%s\n", cfg.product, id, st.CurrentVersion, kiosk)
	if cfg.open {
		if err := openBrowser(kiosk); err != nil {
			fmt.Fprintf(stderr, "eulagate gate: could not open a browser (%v); open the URL above\n", err)
		}
	}
	seen := st.RecordID
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
		st, err := c.status(ctx)
		if err != nil {
			if ctx.Err() != nil {
				continue // the select above reports why
			}
			fmt.Fprintf(stderr, "eulagate gate: %v (retrying)\n", err)
			continue
		}
		if st.RecordID == seen {
			continue
		}
		seen = st.RecordID
		switch st.State {
		case api.StateDeclined:
			return gateExit(gateDeclined, "the EULA was declined: the installation must not proceed")
		case api.StateAccepted:
			rc, err := c.verified(ctx, st)
			if err == nil {
				return printReceipt(stdout, rc)
			}
			if errors.Is(err, errFetch) {
				seen = "" // ask for it again
				fmt.Fprintf(stderr, "eulagate gate: %v (retrying)\n", err)
				continue
			}
			fmt.Fprintf(stderr, "eulagate gate: WARNING: the acceptance does not verify, still waiting: %v\n", err)
		}
	}
}

// installationID returns the id the gate asks about: --installer, else the
// provisioned id, else the derived machine id. With --provision it first
// stores --installer as the provisioned id.
func installationID(cfg gateConfig) (string, error) {
	path := filepath.Join(cfg.data, installerIDFile)
	if cfg.provision {
		if cfg.installer == "" {
			return "", errors.New("--provision needs --installer")
		}
		if err := os.MkdirAll(cfg.data, 0o700); err != nil {
			return "", err
		}
		if err := os.WriteFile(path, []byte(cfg.installer+"\n"), 0o600); err != nil {
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

// errFetch reports that a receipt could not be fetched (as opposed to not
// verifying): the gate asks for it again.
var errFetch = errors.New("fetch receipt")

// gateClient asks the server about one installation and product, through
// the API's client.
type gateClient struct {
	base               *url.URL
	api                *api.Client
	key                string
	installer, product string
}

func (c *gateClient) url(path string, q url.Values) string {
	u := c.base.JoinPath(path) // escapes each element once
	u.RawQuery = q.Encode()
	return u.String()
}

// kioskURL is the page the end user decides on: the viewer in kiosk mode,
// or, with a dealer's reference code, the confirmation page that shows who
// accepted before purchase (the end user still confirms: partner terms).
func (c *gateClient) kioskURL(lang, reference string) string {
	q := api.Query{Product: c.product, Installer: c.installer, Kiosk: true, MustRead: true, Lang: lang}.Values()
	if reference != "" {
		q.Set("ref", reference)
		return c.url(api.PathDealerConfirm, q)
	}
	return c.url(api.PathViewer, q)
}

func (c *gateClient) status(ctx context.Context) (api.Status, error) {
	return c.api.Status(ctx, api.StatusQuery{Installer: c.installer, Product: c.product})
}

// verified fetches the receipt of the deciding record and checks it: the
// signature, the inclusion proof, and that it accepts the version in force
// for this machine and this product.
func (c *gateClient) verified(ctx context.Context, st api.Status) (eula.Receipt, error) {
	raw, err := c.api.Receipt(ctx, st.RecordID)
	if err != nil {
		return eula.Receipt{}, fmt.Errorf("%w: %v", errFetch, err)
	}
	rc, err := eula.DecodeReceipt(bytes.NewReader(raw))
	if err != nil {
		return rc, err
	}
	if err := eula.VerifyReceipt(rc, c.key); err != nil {
		return rc, err
	}
	r := rc.Record
	switch {
	case r.ID != st.RecordID:
		return rc, fmt.Errorf("the receipt is for record %s, not %s", r.ID, st.RecordID)
	case r.Installer.MachineID != c.installer:
		return rc, fmt.Errorf("the receipt is for installation %q, not this one (%q)", r.Installer.MachineID, c.installer)
	case r.Product != c.product:
		return rc, fmt.Errorf("the receipt is for product %q, not %q", r.Product, c.product)
	case r.Decision != eula.Accepted:
		return rc, fmt.Errorf("the receipt records %q, not an acceptance", r.Decision)
	case r.Document.ID != eula.DocEULA || r.Document.Version != st.Version:
		return rc, fmt.Errorf("the receipt is for %s %s, not the acceptance the server reports (%s)", r.Document.ID, r.Document.Version, st.Version)
	}
	return rc, nil
}

func printReceipt(w io.Writer, rc eula.Receipt) error { return jsonEncoder(w).Encode(rc) }

// ensureServer checks that the server answers, starting a local one on
// loopback when it does not.
func (c *gateClient) ensureServer(ctx context.Context, cfg gateConfig, stderr io.Writer) error {
	if c.healthy(ctx) {
		return nil
	}
	host, port, err := net.SplitHostPort(c.base.Host)
	if err != nil {
		host, port = c.base.Hostname(), "80"
	}
	if cfg.noStart || !isLoopback(host) {
		return gateExit(gateError, "no eulagate server answers at %s: the installation must not proceed", c.base)
	}
	exe, err := os.Executable()
	if err != nil {
		return gateExit(gateError, "cannot start the server: %v", err)
	}
	args := []string{"serve", "--addr", net.JoinHostPort(host, port), "--data", cfg.data}
	if cfg.locales != "" {
		args = append(args, "--locales", cfg.locales)
	}
	logf, err := os.OpenFile(filepath.Join(cfg.data, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return gateExit(gateError, "cannot start the server: %v", err)
	}
	defer logf.Close()
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return gateExit(gateError, "cannot start the server: %v", err)
	}
	fmt.Fprintf(stderr, "eulagate gate: started the server (pid %d) at %s, logging to %s\n", cmd.Process.Pid, c.base, logf.Name())
	go cmd.Wait() // reap it if it exits while the gate runs
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c.healthy(ctx) {
			return nil
		}
		select {
		case <-ctx.Done():
			return gateExit(gateUndecided, "interrupted while starting the server")
		case <-time.After(100 * time.Millisecond):
		}
	}
	return gateExit(gateError, "the server started but does not answer at %s; see %s", c.base, logf.Name())
}

func (c *gateClient) healthy(ctx context.Context) bool {
	h, err := c.api.Health(ctx)
	return err == nil && h.Status == "ok"
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
