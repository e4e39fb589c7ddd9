package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPreinstallScript runs examples/preinstall.sh for real: it installs
// (here: creates a marker file) after an acceptance, and stops, installing
// nothing, after a decline.
func TestPreinstallScript(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no POSIX shell")
	}
	data := t.TempDir()
	base := startServer(t, data)
	for _, test := range []struct {
		machine, decision string
		code              int
		installed         bool
	}{
		{"box-sh-1", "accepted", 0, true},
		{"box-sh-2", "declined", gateDeclined, false},
	} {
		t.Run(test.decision, func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "installed")
			cmd := exec.Command("sh", "examples/preinstall.sh", "husky-m20", "touch", marker)
			cmd.Env = append(os.Environ(),
				"EULAGATE="+eulagateBinary(t),
				"EULAGATE_TIMEOUT=60s",
				"EULAGATE_RECEIPT="+filepath.Join(t.TempDir(), "receipt.json"),
				"EULAGATE_GATE_FLAGS=--server "+base+" --data "+data+" --installer "+test.machine,
			)
			var out lockedBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			deadline := time.Now().Add(30 * time.Second)
			kiosk := ""
			for kiosk == "" && time.Now().Before(deadline) {
				for _, line := range strings.Split(out.String(), "\n") {
					if strings.HasPrefix(line, "http://") && strings.Contains(line, "kiosk=1") {
						kiosk = strings.TrimSpace(line)
					}
				}
				time.Sleep(50 * time.Millisecond)
			}
			decideAt(t, kiosk, test.decision) // the reader, at the kiosk URL
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("script still running:\n%s", out.String())
			}
			if code := cmd.ProcessState.ExitCode(); code != test.code {
				t.Errorf("exit %d, want %d:\n%s", code, test.code, out.String())
			}
			_, err := os.Stat(marker)
			if installed := err == nil; installed != test.installed {
				t.Errorf("installed = %v, want %v:\n%s", installed, test.installed, out.String())
			}
		})
	}
}
