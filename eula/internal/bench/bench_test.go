package bench_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/internal/bench"
	"github.com/eulagate/eulagate/eula/postgres"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/eulagate/eulagate/internal/benchsummary"
)

// BenchmarkStores prints the table of decisions per second and latency for
// each store at 1, 16 and 64 clients beside the bare insert loop, once,
// whatever b.N (run it with -benchtime 1x). The two take turns, in three
// slices each, so that the machine's other work falls on both alike. It reports the decision rate
// and its ratio to the bare loop at 64 clients as metrics.
func BenchmarkStores(b *testing.B) {
	for b.Loop() {
		if !reported {
			reported = true
			report(b)
		}
	}
}

// reported is set once the report ran: the benchmark framework calls
// BenchmarkStores again with larger b.N, which must not repeat it.
var reported bool

// turns is how many slices the bare loop and the store take turns in.
const turns = 3

func report(t *testing.B) {
	t.StopTimer()
	defer t.StartTimer()
	d := 3 * time.Second
	if v, err := time.ParseDuration(os.Getenv("EULAGATE_BENCH_TIME")); err == nil {
		d = v
	}
	ctx := context.Background()
	signer, vkey := storetest.Key(t)
	type target struct {
		name     string
		store    eula.Store
		db       *sql.DB
		numbered bool
	}
	var targets []target
	sq, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), sqlite.FileName), sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	targets = append(targets, target{"sqlite", sq, sq.DB(), false})
	if dsn := os.Getenv("EULAGATE_TEST_POSTGRES"); dsn != "" {
		pg, err := postgres.Open(ctx, storetest.PostgresSchema(t, dsn), postgres.Options{Signer: signer})
		if err != nil {
			t.Fatal(err)
		}
		defer pg.Close()
		targets = append(targets, target{"postgres", pg, pg.DB(), true})
	} else {
		t.Log("EULAGATE_TEST_POSTGRES not set: PostgreSQL not measured")
	}
	var results []bench.Result
	for _, tg := range targets {
		for _, clients := range []int{1, 16, 64} {
			var b, r bench.Result
			for range turns {
				bs, err := bench.Bare(ctx, tg.db, tg.numbered, !tg.numbered, clients, d/turns)
				if err != nil {
					t.Fatal(err)
				}
				rs, err := bench.Decisions(ctx, tg.store, clients, d/turns)
				if err != nil {
					t.Fatal(err)
				}
				b, r = b.Merge(bs), r.Merge(rs)
			}
			b.Store, r.Store = tg.name, tg.name
			results = append(results, b, r)
		}
		rep, err := translog.Audit(ctx, tg.store, vkey)
		if err != nil || !rep.Clean() {
			t.Errorf("%s: audit after the benchmark: %v %v", tg.name, err, rep.Findings)
		}
	}
	fmt.Println()
	bench.Print(os.Stdout, results)
	bare := map[string]float64{}
	for _, r := range results {
		if r.Clients == 64 && r.What == "bare insert" {
			bare[r.Store] = r.Rate()
		}
	}
	for _, r := range results {
		if r.Clients == 64 && r.What == "decisions" {
			t.ReportMetric(r.Rate(), r.Store+"-decisions/s")
			t.ReportMetric(r.Rate()/bare[r.Store], r.Store+"-vs-bare")
			ratio := r.Rate() / bare[r.Store]
			err := benchsummary.Add(benchsummary.Row{Key: r.Store, Value: fmt.Sprintf("%.0f /s (batch %.1f)", r.Rate(), r.Batch),
				Baseline: fmt.Sprintf("%.0f /s", bare[r.Store]), Ratio: fmt.Sprintf("%.2f×", ratio), Met: ratio >= 1})
			if err != nil {
				t.Error(err)
			}
		}
	}
}
