package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/storetest"
)

// TestCrashRecovery starts the real server, posts decisions from 32
// concurrent clients, kills the server with SIGKILL mid-stream, restarts it,
// and checks that every acknowledged decision is present exactly once (the
// clients retry with their idempotency keys, as installers do) and that
// `eulagate audit` is clean. It repeats with different kill points.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	data := t.TempDir()
	for round, killAfter := range []int64{40, 150, 400} {
		t.Run(fmt.Sprintf("kill after %d", killAfter), func(t *testing.T) {
			crashRound(t, data, round, killAfter)
		})
	}
}

// TestCrashRecoveryPostgres is TestCrashRecovery against PostgreSQL
// (EULAGATE_DB names a fresh schema of the test database), when
// EULAGATE_TEST_POSTGRES is set (scripts/pgtest.sh).
func TestCrashRecoveryPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dsn := os.Getenv("EULAGATE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("EULAGATE_TEST_POSTGRES is not set")
	}
	t.Setenv("EULAGATE_DB", storetest.PostgresSchema(t, dsn))
	data := t.TempDir() // The signing key.
	for round, killAfter := range []int64{40, 150, 400} {
		t.Run(fmt.Sprintf("kill after %d", killAfter), func(t *testing.T) {
			crashRound(t, data, round, killAfter)
		})
	}
}

func crashRound(t *testing.T, data string, round int, killAfter int64) {
	cmd := exec.Command(eulagateBinary(t), "serve", "--addr", "127.0.0.1:0", "--data", data)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	go io.Copy(io.Discard, stdout)
	base := strings.TrimSpace(line)

	type ack struct{ key, id string }
	var (
		mu     sync.Mutex
		acks   []ack
		sent   = map[string]bool{} // keys whose request may have reached the server
		n      atomic.Int64
		killed = make(chan struct{})
		once   sync.Once
		wg     sync.WaitGroup
	)
	clientOf := func(base string) *api.Client {
		u, err := apihttp.ParseBase(base)
		if err != nil {
			t.Fatal(err)
		}
		return api.NewClient(apihttp.New(u, apihttp.WithHTTPClient(&http.Client{Timeout: 10 * time.Second})))
	}
	client := clientOf(base)
	post := func(key string) (string, error) {
		out, err := client.Decide(context.Background(), api.DecisionRequest{
			Decision:  api.DecisionAccepted,
			Document:  api.DocumentRef{ID: "eula", Version: currentEULA, Language: "en"},
			Product:   "xprotect-corporate",
			Installer: api.InstallerRef{MachineID: key, Version: "1"},
		}, api.WithIdempotencyKey(key))
		return out.ID, err
	}
	for c := 0; c < 32; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-killed:
					return
				default:
				}
				key := fmt.Sprintf("crash-r%d-c%d-%d", round, c, i)
				mu.Lock()
				sent[key] = true
				mu.Unlock()
				id, err := post(key)
				if err != nil {
					return
				}
				mu.Lock()
				acks = append(acks, ack{key, id})
				mu.Unlock()
				if n.Add(1) == killAfter {
					once.Do(func() {
						cmd.Process.Kill() // SIGKILL: no shutdown, no flush
						close(killed)
					})
				}
			}
		}(c)
	}
	wg.Wait()
	once.Do(func() { cmd.Process.Kill(); close(killed) })
	cmd.Wait()
	t.Logf("killed after %d acknowledged decisions (%d sent)", len(acks), len(sent))

	// Restart; clients retry every request that may have reached the server.
	client = clientOf(startServer(t, data))
	for _, a := range acks {
		id, err := post(a.key)
		if err != nil {
			t.Fatalf("retry %s: %v", a.key, err)
		}
		if id != a.id {
			t.Errorf("acknowledged %s as %s, after the crash it is %s", a.key, a.id, id)
		}
	}
	// Every acknowledged decision is present exactly once.
	code, out, errOut := runCmd(t, "export", "--data", data, "--product", "xprotect-corporate")
	if code != 0 {
		t.Fatal(errOut)
	}
	count := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r eula.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		count[r.ID]++
	}
	for _, a := range acks {
		if count[a.id] != 1 {
			t.Errorf("acknowledged decision %s (%s) is present %d times", a.id, a.key, count[a.id])
		}
	}
	if code, out, errOut := runCmd(t, "audit", "--data", data); code != 0 {
		t.Errorf("audit after the crash: exit %d\n%s%s", code, out, errOut)
	}
}
