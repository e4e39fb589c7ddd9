package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
)

// bundled is the library of the embedded documents. Tests read versions,
// languages and products from it rather than a list, so that a publisher
// who adds a version, a language or a product as files keeps them passing.
var bundled = func() *eula.Library {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		panic(err)
	}
	return lib
}()

// currentEULA is the version of the EULA in force in bundled.
var currentEULA = bundled.Latest(eula.DocEULA)

// someProduct is a product of bundled's catalog, for tests where any
// product does.
var someProduct = bundled.Products()[0].Key

// runCmd runs the command line and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	code := exitCode(err, &stderr)
	return code, stdout.String(), stderr.String()
}

// expectRun runs the command line args and checks its exit code and that
// its standard output and error contain out and errOut.
func expectRun(t *testing.T, args []string, code int, out, errOut string) {
	t.Helper()
	gotCode, gotOut, gotErr := runCmd(t, args...)
	if gotCode != code {
		t.Errorf("exit code %d, want %d (stderr %q)", gotCode, code, gotErr)
	}
	if !strings.Contains(gotOut, out) {
		t.Errorf("stdout %q lacks %q", gotOut, out)
	}
	if !strings.Contains(gotErr, errOut) {
		t.Errorf("stderr %q lacks %q", gotErr, errOut)
	}
}

func TestUsage(t *testing.T) {
	for _, test := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{args: []string{"help"}, code: 0, out: "serve "},
		{args: []string{"help", "serve"}, code: 0, out: "EULAGATE_ADDR"},
		{args: []string{"serve", "-h"}, code: 0, err: "--data"},
		{args: []string{"verify", "-h"}, code: 0, err: "--key"},
		{args: nil, code: 2, err: "Commands:"},
		{args: []string{"bogus"}, code: 2, err: `unknown command "bogus"`},
		{args: []string{"help", "bogus"}, code: 2, err: `unknown command "bogus"`},
		{args: []string{"serve", "--bogus"}, code: 2, err: "flag provided but not defined: -bogus"},
		{args: []string{"serve", "extra"}, code: 2, err: "unexpected arguments"},
		{args: []string{"verify"}, code: 2, err: "give one receipt file"},
		{args: []string{"verify", "x.json"}, code: 2, err: "--key is required"},
		{args: []string{"export", "--since", "yesterday"}, code: 2, err: "is not a time"},
	} {
		t.Run(strings.Join(test.args, " "), func(t *testing.T) {
			expectRun(t, test.args, test.code, test.out, test.err)
		})
	}
}

func TestEnvironmentOverride(t *testing.T) {
	t.Setenv("EULAGATE_LOG", "yaml")
	code, _, errOut := runCmd(t, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir())
	if code != 2 || !strings.Contains(errOut, `--log must be text or json, not "yaml"`) {
		t.Errorf("EULAGATE_LOG=yaml: exit %d, stderr %q", code, errOut)
	}
}

func TestKeyStable(t *testing.T) {
	dir := t.TempDir()
	_, first, _ := runCmd(t, "key", "--data", dir)
	_, second, _ := runCmd(t, "key", "--data", dir)
	if first == "" || first != second || !strings.HasPrefix(first, "eulagate+") {
		t.Errorf("key printed %q then %q", first, second)
	}
	if _, err := os.Stat(filepath.Join(dir, "log.key")); err != nil {
		t.Error(err)
	}
}

// TestServeAndShutdown starts the server on a free loopback port, checks
// /healthz and that cancelling (as SIGINT/SIGTERM do) stops it cleanly.
func TestServeAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, pw, io.Discard)
		pw.Close()
	}()
	url, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL printed: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	url = strings.TrimSpace(url)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("serving on %q, want loopback", url)
	}
	resp, err := http.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s of the signal")
	}
}
