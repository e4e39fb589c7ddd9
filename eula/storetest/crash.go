package storetest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/note"
)

// Environment of the crash test's child process.
const (
	envCrashKeyDir = "EULAGATE_CRASH_KEYDIR"
	envCrashTarget = "EULAGATE_CRASH_TARGET"
)

// crashClients is the number of concurrent writers in the child.
const crashClients = 16

// TargetOpener opens the store at target (a file or DSN) signing with
// signer, for the crash test, which opens it in two processes.
type TargetOpener func(ctx context.Context, target string, signer note.Signer) (eula.Store, error)

// CrashChild is the writer of the crash test. When the test binary runs
// as Crash's child it appends decisions from several goroutines forever,
// printing "ack KEY ID INDEX" for each acknowledged one, until killed;
// otherwise it returns at once. Call it first in TestMain.
func CrashChild(open TargetOpener) {
	target := os.Getenv(envCrashTarget)
	if target == "" {
		return
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	signer, _, err := translog.LoadOrCreateKey(os.Getenv(envCrashKeyDir))
	if err != nil {
		fail(err)
	}
	s, err := open(context.Background(), target, signer)
	if err != nil {
		fail(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range crashClients {
		wg.Go(func() {
			for i := 0; ; i++ {
				key := crashKey(g, i)
				r, _, err := s.Append(context.Background(), crashRecord(g, i), key)
				if err != nil {
					fail(err)
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %s %s %d\n", key, r.ID, r.Index)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func crashKey(g, i int) string { return fmt.Sprintf("crash-%d-%d", g, i) }

func crashRecord(g, i int) eula.Record { return NewRecord(g*1_000_000 + i) }

// Crash is the crash test: it starts the test binary as a child running
// CrashChild against target, kills it with SIGKILL once acks decisions are
// acknowledged, then reopens the store and checks that every acknowledged
// decision is present exactly once (a retry with its idempotency key returns
// it), the log is one gap-free sequence and the audit is clean.
func Crash(t *testing.T, target string, open TargetOpener, acks int) {
	ctx := context.Background()
	keyDir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashKeyDir+"="+keyDir, envCrashTarget+"="+target)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type ack struct {
		id    string
		index int64
	}
	acked := map[string]ack{}
	sc := bufio.NewScanner(out)
	killed := false
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 4 || f[0] != "ack" {
			continue // A line cut by the kill was never acknowledged.
		}
		index, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			continue
		}
		acked[f[1]] = ack{f[2], index}
		if len(acked) >= acks && !killed {
			cmd.Process.Kill() // SIGKILL: no cleanup in the child.
			killed = true
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before %d acks (%d): %v\n%s", acks, len(acked), err, stderr.String())
	}
	t.Logf("killed the writer after %d acknowledged decisions", len(acked))

	signer, vkey, err := translog.LoadOrCreateKey(keyDir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := open(ctx, target, signer)
	if err != nil {
		t.Fatalf("reopen after crash: %v", err)
	}
	defer s.Close()
	count := map[string]int{}
	var n int64
	err = s.Records(ctx, eula.Filter{}, func(r eula.Record) error {
		if r.Index != n {
			return fmt.Errorf("record %s at index %d, want %d", r.ID, r.Index, n)
		}
		n++
		count[r.ID]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key, a := range acked {
		if count[a.id] != 1 {
			t.Errorf("acknowledged %s (%s) stored %d times", key, a.id, count[a.id])
		}
	}
	// Retrying every acknowledged request returns the first record.
	for g := range crashClients {
		for i := 0; ; i++ {
			a, ok := acked[crashKey(g, i)]
			if !ok {
				break
			}
			r, replayed, err := s.Append(ctx, crashRecord(g, i), crashKey(g, i))
			if err != nil || !replayed || r.ID != a.id || r.Index != a.index {
				t.Errorf("retry of %s = %s@%d replayed %v, %v; want %s@%d", crashKey(g, i), r.ID, r.Index, replayed, err, a.id, a.index)
			}
		}
	}
	rep, err := translog.Audit(ctx, s, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Clean() || rep.Records != n || rep.TreeSize != n {
		t.Errorf("audit after crash: %d records, tree %d, findings %v", rep.Records, rep.TreeSize, rep.Findings)
	}
	t.Logf("after restart: %d records (%d acknowledged), audit clean: %v", n, len(acked), rep.Clean())
}
