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
)

// BenchmarkStores prints the table of decisions per second and latency for
// each store at 1, 16 and 64 clients beside the bare insert loop, once,
// whatever b.N (run it with -benchtime 1x). It reports the decision rate
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
			b, err := bench.Bare(ctx, tg.db, tg.numbered, !tg.numbered, clients, d)
			if err != nil {
				t.Fatal(err)
			}
			b.Store = tg.name
			r, err := bench.Decisions(ctx, tg.store, clients, d)
			if err != nil {
				t.Fatal(err)
			}
			r.Store = tg.name
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
		}
	}
}
