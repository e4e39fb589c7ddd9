package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Browser is one tab of an engine.
type Browser interface {
	// Name is the engine and its version, as the engine reports them.
	Name() string
	// Open loads url and waits for its load event.
	Open(ctx context.Context, url string) error
	// Eval runs body as the body of a function (it returns a value with
	// return, and may return a promise) and decodes the value, passed
	// through JSON.stringify, into out (nil: discard it).
	Eval(ctx context.Context, body string, out any) error
	// EvalFrame is Eval in the page's first iframe (another origin's
	// page, as a host page embeds the viewer).
	EvalFrame(ctx context.Context, body string, out any) error
	// Screenshot returns a PNG of the window's viewport.
	Screenshot(ctx context.Context) ([]byte, error)
}

// Kind names an engine.
type Kind string

// The engines this package starts.
const (
	Firefox Kind = "firefox"
	WebKit  Kind = "webkit"
)

// Kinds lists the engines this package starts.
var Kinds = []Kind{Firefox, WebKit}

// ErrNotInstalled is returned by Start when an engine's binary is missing.
var ErrNotInstalled = errors.New("engine: not installed")

// Paths of Debian's packages.
const (
	firefoxPath    = "/usr/bin/firefox-esr"
	webkitDriver   = "/usr/bin/WebKitWebDriver"
	xvfbRun        = "/usr/bin/xvfb-run"
	miniBrowserDir = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
)

// Options change how an engine starts.
type Options struct {
	// Width and Height set the viewport; 800×600 if zero.
	Width, Height int
	// AcceptLanguage is the browser's language list (Firefox only); the
	// engine's default if empty.
	AcceptLanguage string
}

// New starts the engine k for the test t (closed when it ends). It skips
// the test when the engine is missing, or fails it where EULAGATE_ENGINES
// is set.
func New(t testing.TB, k Kind, opt Options) Browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, stop, err := Start(ctx, k, opt, t.TempDir())
	if errors.Is(err, ErrNotInstalled) {
		if os.Getenv("EULAGATE_ENGINES") != "" {
			t.Fatalf("%v: `make test-engines` installs Debian's firefox-esr, webkit2gtk-driver and xvfb", err)
		}
		t.Skipf("SKIPPING BROWSER TEST: %v (`make test-engines` installs it)", err)
	}
	if err != nil {
		t.Fatalf("starting %s: %v", k, err)
	}
	t.Cleanup(stop)
	return b
}

// Start starts the engine k with its profile in dir and returns its tab
// and the function that stops it.
func Start(ctx context.Context, k Kind, opt Options, dir string) (Browser, func(), error) {
	if opt.Width == 0 {
		opt.Width, opt.Height = 800, 600
	}
	switch k {
	case Firefox:
		return startFirefox(ctx, opt, dir)
	case WebKit:
		return startWebKit(ctx, opt)
	}
	return nil, nil, fmt.Errorf("engine: unknown engine %q", k)
}

// freePort returns a loopback port nothing listens on.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("engine: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startProcess starts cmd in its own process group and returns the
// function that ends the group.
func startProcess(cmd *exec.Cmd) (func(), error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("engine: start %s: %w", cmd.Path, err)
	}
	return func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}, nil
}

// wrap makes a function body whose value is returned as a JSON string.
func wrap(body string) string {
	return "return Promise.resolve((async () => {" + body + "\n})()).then(v => JSON.stringify(v === undefined ? null : v));"
}

// decode decodes the JSON text s into out.
func decode(s string, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(s), out); err != nil {
		return fmt.Errorf("engine: decode %.80q: %w", s, err)
	}
	return nil
}

// logTo returns where an engine's output goes: into out, for the errors
// that quote it, and to the standard error too with EULAGATE_ENGINE_LOG=1,
// to read the engine's own messages (crashes, console, driver) as a test
// runs.
func logTo(out *bytes.Buffer) io.Writer {
	if os.Getenv("EULAGATE_ENGINE_LOG") == "" {
		return out
	}
	return io.MultiWriter(out, os.Stderr)
}

// tail returns the last lines of b, for an error message.
func tail(b *bytes.Buffer) string {
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}

// untilStarted calls connect until it succeeds or ctx ends: the engine's
// port answers only once it has started.
func untilStarted(ctx context.Context, connect func() error) error {
	for {
		err := connect()
		if err == nil || ctx.Err() != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
