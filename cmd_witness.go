package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// maxNoteBytes bounds a checkpoint or proof read from a server.
const maxNoteBytes = 64 << 10

// witnessConfig is the configuration of `eulagate witness`.
type witnessConfig struct {
	server, key, keyFile, name, state string
	once                              bool
	interval                          time.Duration
	client                            *http.Client
	now                               func() time.Time
}

func init() {
	register(&command{
		name:  "witness",
		short: "watch a server's log, check it only grows, and cosign its checkpoints",
		long: "Witness polls a server's signed checkpoint, checks its signature with the log's key\n" +
			"and that the log extends the last checkpoint it saw (by the server's consistency\n" +
			"proof), and cosigns it with its own key in the C2SP tlog-cosignature format\n" +
			"(Ed25519 cosignature/v1). It keeps the cosigned checkpoint in the state file and\n" +
			"prints it. A log that shrank or was rewritten, even with its own key, is refused\n" +
			"loudly (exit 1 with --once), and the checkpoint refused is kept beside the state\n" +
			"as evidence. `eulagate audit --cosigned STATE --cosigner VKEY` then holds the\n" +
			"database to what the witness saw. The witness key is created on first use; its\n" +
			"verifier key is printed on standard error. Run it on another machine than the\n" +
			"server, by someone else than the server's operator.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			var cfg witnessConfig
			fs.StringVar(&cfg.server, "server", "", "the eulagate server's URL (required)")
			fs.StringVar(&cfg.key, "key", "", "the log's verifier key, as `eulagate key` prints it (required)")
			fs.StringVar(&cfg.keyFile, "witness-key", "", "the witness's own key file, created if missing (required)")
			fs.StringVar(&cfg.name, "name", "eulagate-witness", "the witness's name, for a key created now (no spaces or plus signs)")
			fs.StringVar(&cfg.state, "state", "", "the file keeping the latest cosigned checkpoint (default <witness-key>.checkpoint)")
			fs.BoolVar(&cfg.once, "once", false, "poll once and exit: 0 cosigned, 1 refused or failed")
			fs.DurationVar(&cfg.interval, "interval", time.Minute, "how often to poll")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				switch {
				case len(args) > 0:
					return usageErrorf("witness: unexpected arguments %q", args)
				case cfg.server == "" || cfg.key == "" || cfg.keyFile == "":
					return usageErrorf("witness: --server, --key and --witness-key are required")
				case cfg.interval <= 0:
					return usageErrorf("witness: --interval must be positive")
				}
				if cfg.state == "" {
					cfg.state = cfg.keyFile + ".checkpoint"
				}
				cfg.key = strings.TrimSpace(cfg.key)
				cfg.client = &http.Client{Timeout: 30 * time.Second}
				return runWitness(ctx, &cfg, stdout, stderr)
			}
		},
	})
}

// runWitness polls once, or every interval until ctx ends.
func runWitness(ctx context.Context, cfg *witnessConfig, stdout, stderr io.Writer) error {
	c, created, err := translog.LoadOrCreateCosigner(cfg.keyFile, cfg.name)
	if err != nil {
		return err
	}
	if cfg.now != nil {
		c.Now = cfg.now
	}
	if created {
		fmt.Fprintf(stderr, "witness: created the witness key %s; its verifier key (give it to auditors): %s\n", cfg.keyFile, c.VerifierKey())
	}
	last := ""
	for {
		cosigned, err := witnessOnce(ctx, cfg, c)
		switch {
		case cfg.once && err != nil:
			return err
		case cfg.once:
			_, err := stdout.Write(cosigned)
			return err
		case err != nil:
			fmt.Fprintln(stderr, "eulagate witness:", err)
		case string(cosignedBody(cosigned)) != last:
			last = string(cosignedBody(cosigned))
			stdout.Write(cosigned) // Printing is a courtesy; the state file keeps it.
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(cfg.interval):
		}
	}
}

// cosignedBody returns a signed note's text, without its signatures.
func cosignedBody(signed []byte) []byte {
	text, _, _ := strings.Cut(string(signed), "\n\n")
	return []byte(text)
}

// witnessOnce fetches the server's checkpoint, checks it against the last
// one cosigned, cosigns it and keeps it in the state file. A log that
// shrank or forked is refused with an exit error of code 1, the refused
// checkpoint kept beside the state.
func witnessOnce(ctx context.Context, cfg *witnessConfig, c *translog.Cosigner) ([]byte, error) {
	signed, err := fetch(ctx, cfg, api.PathLogCheckpoint)
	if err != nil {
		return nil, err
	}
	tree, err := eula.OpenCheckpoint(signed, cfg.key)
	if err != nil {
		return nil, fmt.Errorf("witness: the server's checkpoint: %w", err)
	}
	prev, err := os.ReadFile(cfg.state)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// The first checkpoint seen: trusted on first use.
	case err != nil:
		return nil, fmt.Errorf("witness: state: %w", err)
	default:
		last, err := eula.OpenCheckpoint(prev, cfg.key)
		if err != nil {
			return nil, fmt.Errorf("witness: state %s: %w", cfg.state, err)
		}
		if err := checkGrowth(ctx, cfg, last, tree); err != nil {
			evidence := cfg.state + ".refused"
			if serr := translog.SavePrivate(evidence, signed); serr != nil {
				err = errors.Join(err, serr)
			}
			return nil, &exitError{code: exitFailed, err: fmt.Errorf("witness: ALERT: %w; the checkpoint refused is kept in %s, the last one cosigned in %s", err, evidence, cfg.state)}
		}
	}
	cosigned, err := translog.Cosign(signed, cfg.key, c)
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	if err := translog.SavePrivate(cfg.state, cosigned); err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	return cosigned, nil
}

// checkGrowth checks that the tree now extends the tree last cosigned,
// asking the server for the consistency proof between them.
func checkGrowth(ctx context.Context, cfg *witnessConfig, last, now tlog.Tree) error {
	if now.N < last.N {
		return fmt.Errorf("the log shrank from %d to %d entries", last.N, now.N)
	}
	p := translog.ConsistencyProof{Old: last.N, New: now.N}
	if last.N > 0 && last.N < now.N {
		q := url.Values{"old": {strconv.FormatInt(last.N, 10)}, "new": {strconv.FormatInt(now.N, 10)}}
		b, err := fetch(ctx, cfg, api.PathLogConsistency+"?"+q.Encode())
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &p); err != nil {
			return fmt.Errorf("the server's consistency proof: %w", err)
		}
	}
	return translog.CheckConsistency(p, last, now)
}

// fetch GETs path from the server and returns the body of a 200 answer.
func fetch(ctx context.Context, cfg *witnessConfig, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(cfg.server, "/")+path, nil)
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	resp, err := cfg.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxNoteBytes))
	if err != nil {
		return nil, fmt.Errorf("witness: GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("witness: GET %s: %s: %.200s", path, resp.Status, b)
	}
	return b, nil
}
