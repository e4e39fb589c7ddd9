package headless

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Paths where Debian's package installs Chromium.
var candidates = []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"}

// ExecPath returns the Chromium binary, or "" if none is installed.
func ExecPath() string {
	if p := os.Getenv("EULAGATE_CHROMIUM"); p != "" {
		return p
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Options change how the browser starts.
type Options struct {
	// Width and Height set the window size; 1280×900 if zero.
	Width, Height int
	// Timeout bounds the whole browser session; 2 minutes if zero.
	Timeout time.Duration
	// Flags are extra command-line switches (name to value; true for a
	// bare switch).
	Flags map[string]any
	// Env are extra environment variables for Chromium ("NAME=value"), for
	// example FONTCONFIG_FILE to choose the fonts it sees.
	Env []string
}

// New starts a headless Chromium with a fresh profile and returns a
// chromedp context for one tab; it is closed when the test ends.
func New(t testing.TB, opt Options) context.Context {
	t.Helper()
	path := ExecPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed: `make test` installs Debian's chromium package")
		}
		t.Skip("SKIPPING BROWSER TEST: Chromium is not installed (apt-get install chromium, or run `make test`)")
	}
	if opt.Width == 0 {
		opt.Width, opt.Height = 1280, 900
	}
	if opt.Timeout == 0 {
		opt.Timeout = 2 * time.Minute
	}
	// A fresh profile, removed when the test ends. Not t.TempDir: Chromium
	// may still be writing to it for a moment after it is told to quit.
	profile, err := os.MkdirTemp("", "eulagate-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	allocOpts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(opt.Width, opt.Height),
	}
	if len(opt.Env) > 0 {
		allocOpts = append(allocOpts, chromedp.Env(opt.Env...))
	}
	for k, v := range opt.Flags {
		allocOpts = append(allocOpts, chromedp.Flag(k, v))
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), opt.Timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocOpts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	if err := chromedp.Run(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
		for i := 0; i < 20; i++ {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return bctx
}
