package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
)

// Exit codes of delegate and admin-accept, beyond 0 (all done) and 2
// (usage).
const (
	// exitNotAll: the request was answered, but at least one computer got no
	// delegated acceptance (its user must be prompted, or its id is
	// invalid); the report says which and why.
	exitNotAll = 1
	// exitServer: the server could not be reached, refused the request as
	// a whole, or failed.
	exitServer = 3
	// exitUnauthorized: the server refused the administrator credential.
	exitUnauthorized = 4
)

// envURL is the environment variable that client subcommands read for the
// server's address when --server (or EULAGATE_SERVER) is not given.
const envURL = "EULAGATE_URL"

func init() {
	register(&command{
		name:  "delegate",
		args:  "<installer ids...>",
		short: "record delegated acceptances for an unattended Update Manager update",
		long: "Delegate is what XProtect Update Manager's scripts call when they install or\n" +
			"update a product unattended on remote computers. For each computer (installation\n" +
			"id) the server records a delegated acceptance of the EULA in force, linked to the\n" +
			"system administrator's acceptance of the Update Manager terms (eulagate\n" +
			"admin-accept) and to the computer's earlier direct acceptance, which assigned\n" +
			"acceptance of later versions to the administrator. Without either, or on a first\n" +
			"installation, nothing is recorded and the computer's user must be prompted.\n" +
			"It prints one line per computer: id, result (recorded, already-recorded,\n" +
			"prompt-user, invalid), then the record id or the reason.\n" +
			"The server is --server, else $" + envURL + ", else http://" + defaultAddr + ".\n" +
			"Exit status: 0 every computer has its delegated acceptance; 1 some have not\n" +
			"(see the report); 2 usage; 3 server unreachable, request refused or failed;\n" +
			"4 administrator token refused.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			c := clientFlags(fs)
			product := fs.String("product", "", "key of the product installed or updated, such as xprotect-corporate (required)")
			version := fs.String("version", "", "version of the product installed (required)")
			docVersion := fs.String("document-version", "", "EULA version accepted on the users' behalf (default: the version in force)")
			asJSON := fs.Bool("json", false, "print the server's answer as JSON")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) == 0 {
					return usageErrorf("delegate: give the installation ids of the computers updated")
				}
				if *product == "" || *version == "" {
					return usageErrorf("delegate: --product and --version are required")
				}
				cl, err := c.client("delegate", stderr)
				if err != nil {
					return err
				}
				out, err := cl.api.Delegate(ctx, api.DelegationRequest{
					Product: *product, Version: *version, Document: api.DocumentRef{Version: *docVersion}, Computers: args,
				})
				if err != nil {
					return cl.fail(err)
				}
				if *asJSON {
					if err := writeJSONTo(stdout, out); err != nil {
						return err
					}
				} else {
					printDelegation(stdout, out)
				}
				missing := 0
				for _, r := range out.Results {
					if r.Result != api.ResultRecorded && r.Result != api.ResultAlreadyRecorded {
						missing++
					}
				}
				if missing > 0 {
					return &exitError{code: exitNotAll, err: fmt.Errorf("delegate: %d of %d computers have no delegated acceptance: prompt their users", missing, len(out.Results))}
				}
				return nil
			}
		},
	})
	register(&command{
		name:  "admin-accept",
		args:  "<installer ids...>",
		short: "accept the Update Manager terms as system administrator of remote computers",
		long: "Admin-accept records that the system administrator, named by --name and\n" +
			"--email, accepts the XProtect Update Manager terms for the remote computers\n" +
			"given (installation ids): clause 3 makes whoever installs or updates them with\n" +
			"Update Manager their system administrator, responsible for their users'\n" +
			"acceptance. It prints one line per computer with the record id.\n" +
			"The server is --server, else $" + envURL + ", else http://" + defaultAddr + ".\n" +
			"Exit status: 0 recorded; 2 usage; 3 server unreachable, request refused or\n" +
			"failed; 4 administrator token refused.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			c := clientFlags(fs)
			name := fs.String("name", "", "name of the system administrator who accepts")
			email := fs.String("email", "", "e-mail address of the system administrator")
			org := fs.String("organization", "", "the administrator's organisation")
			lang := fs.String("language", "en", "language of the EULA the administrator read")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) == 0 {
					return usageErrorf("admin-accept: give the installation ids of the computers you administer")
				}
				if *name == "" && *email == "" {
					return usageErrorf("admin-accept: --name or --email is required: say who accepts")
				}
				cl, err := c.client("admin-accept", stderr)
				if err != nil {
					return err
				}
				out, err := cl.api.AdminAccept(ctx, api.AdminAcceptanceRequest{
					Administrator: api.Person{Name: *name, Email: *email, Organization: *org},
					Document:      api.DocumentRef{Language: *lang},
					Computers:     args,
				})
				if err != nil {
					return cl.fail(err)
				}
				for _, a := range out.Acceptances {
					fmt.Fprintf(stdout, "%s\taccepted\t%s\n", a.Computer, a.ID)
				}
				return nil
			}
		},
	})
}

// clientConfig holds the flags every client subcommand of the
// administrator API shares.
type clientConfig struct {
	server, token *string
	timeout       *time.Duration
}

func clientFlags(fs *flag.FlagSet) clientConfig {
	return clientConfig{
		server:  fs.String("server", "", "the eulagate server's URL (default $"+envURL+", else http://"+defaultAddr+")"),
		token:   fs.String("admin-token", "", "the server's administrator token (required; prefer the environment variable to the command line)"),
		timeout: fs.Duration("timeout", 60*time.Second, "how long to wait for the server"),
	}
}

// client checks the flags and returns the client they describe. It warns
// on stderr when the token would cross the network in clear: plain http to
// a host other than this computer.
func (c clientConfig) client(cmd string, stderr io.Writer) (*adminClient, error) {
	server := *c.server
	if server == "" {
		server = os.Getenv(envURL)
	}
	if server == "" {
		server = "http://" + defaultAddr
	}
	base, err := apihttp.ParseBase(server)
	if err != nil {
		return nil, usageErrorf("%s: --server %v", cmd, err)
	}
	if *c.token == "" {
		return nil, usageErrorf("%s: --admin-token (or %s) is required: the server accepts this only from its administrator", cmd, envName("admin-token"))
	}
	if base.Scheme == "http" && !isLoopback(base.Hostname()) {
		fmt.Fprintf(stderr, "%s: warning: the administrator token goes to %s over plain http, readable by anyone on the network path; use https (a TLS proxy in front of eulagate) or run this on the server\n", cmd, base.Host)
	}
	d := apihttp.New(base, apihttp.WithHTTPClient(&http.Client{Timeout: *c.timeout}))
	return &adminClient{cmd: cmd, base: base, api: api.NewClient(d, api.WithAdminToken(*c.token))}, nil
}

// adminClient calls the administrator API through the API's client.
type adminClient struct {
	cmd  string
	base *url.URL
	api  *api.Client
}

// fail returns the error of a failed call with its exit code:
// exitUnauthorized when the server refused the token, else exitServer, and
// the server's message.
func (c *adminClient) fail(err error) error {
	if e, ok := api.AsError(err); ok {
		code, msg := exitServer, e.Message
		if e.Status == http.StatusUnauthorized {
			code = exitUnauthorized
			msg = "the server refused the administrator token: " + msg
		}
		return &exitError{code: code, err: fmt.Errorf("%s: %d %s: %s", c.cmd, e.Status, http.StatusText(e.Status), msg)}
	}
	if errors.Is(err, api.ErrUnexpectedAnswer) {
		return &exitError{code: exitServer, err: fmt.Errorf("%s: %w", c.cmd, err)}
	}
	return &exitError{code: exitServer, err: fmt.Errorf("%s: no answer from the eulagate server at %s: %v", c.cmd, c.base, err)}
}

// printDelegation prints one line per computer: id, result, then the record
// id and what it derives from, or why not.
func printDelegation(w io.Writer, out api.DelegationResponse) {
	for _, r := range out.Results {
		switch r.Result {
		case api.ResultRecorded, api.ResultAlreadyRecorded:
			fmt.Fprintf(w, "%s\t%s\t%s\tfrom %s\n", r.Computer, r.Result, r.ID, strings.Join(r.DerivedFrom, " "))
		case api.ResultInvalid:
			fmt.Fprintf(w, "%q\t%s\t%s: %q\n", r.Computer, r.Result, r.Reason, r.Message)
		default:
			fmt.Fprintf(w, "%s\t%s\t%s: %s\n", r.Computer, r.Result, r.Reason, r.Message)
		}
	}
}
