package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/internal/sqlstore"
	"github.com/eulagate/eulagate/eula/storetest"
)

// Result is one measurement.
type Result struct {
	Store   string
	What    string // "decisions" or "bare insert"
	Clients int
	Ops     int
	Elapsed time.Duration
	P50     time.Duration
	P99     time.Duration
	// Batch is the mean number of decisions per transaction, if known.
	Batch float64
	// lat are the latencies, sorted, and batches the transactions, if
	// known, kept for Merge.
	lat     []time.Duration
	batches float64
}

// Merge returns the measurement of r and o together, as if one run: their
// operations and times added, the percentiles over both.
func (r Result) Merge(o Result) Result {
	if r.Ops == 0 {
		return o
	}
	m := r
	m.Ops += o.Ops
	m.Elapsed += o.Elapsed
	m.lat = append(slices.Clone(r.lat), o.lat...)
	slices.Sort(m.lat)
	m.P50, m.P99 = percentile(m.lat, 0.50), percentile(m.lat, 0.99)
	m.batches += o.batches
	m.Batch = 0
	if m.batches > 0 {
		m.Batch = float64(m.Ops) / m.batches
	}
	return m
}

// percentile returns the p-th fraction of the sorted latencies lat.
func percentile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[min(len(lat)-1, int(float64(len(lat))*p))]
}

// Rate is operations per second.
func (r Result) Rate() float64 { return float64(r.Ops) / r.Elapsed.Seconds() }

// measure runs op from clients goroutines for d and collects latencies.
func measure(clients int, d time.Duration, op func(client, i int) error) (Result, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	stop := start.Add(d)
	for c := range clients {
		wg.Go(func() {
			var mine []time.Duration
			for i := 0; time.Now().Before(stop); i++ {
				t0 := time.Now()
				if err := op(c, i); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return Result{}, firstErr
	}
	slices.Sort(lat)
	return Result{Clients: clients, Ops: len(lat), Elapsed: elapsed, P50: percentile(lat, 0.50), P99: percentile(lat, 0.99), lat: lat}, nil
}

// statser is a store that counts its group commits.
type statser interface{ Stats() sqlstore.Stats }

// Decisions measures s.Append with idempotency keys.
func Decisions(ctx context.Context, s eula.Store, clients int, d time.Duration) (Result, error) {
	var before sqlstore.Stats
	if st, ok := s.(statser); ok {
		before = st.Stats()
	}
	run := time.Now().UnixNano()
	r, err := measure(clients, d, func(c, i int) error {
		_, _, err := s.Append(ctx, storetest.NewRecord(c*1_000_000+i), fmt.Sprintf("bench-%d-%d-%d", run, c, i))
		return err
	})
	r.What = "decisions"
	if st, ok := s.(statser); ok {
		after := st.Stats()
		if b := after.Batches - before.Batches; b > 0 {
			r.Batch = float64(after.Records-before.Records) / float64(b)
			r.batches = float64(r.Ops) / r.Batch
		}
	}
	return r, err
}

// Bare measures single-row durable inserts (one transaction each, as
// autocommit) of a record-sized row into a table of its own on db, with the
// same number of clients: the database's durable commit rate. With
// serialize, clients take turns through a mutex, as SQLite's single writer
// would, without its busy-wait back-off (which would understate the rate).
func Bare(ctx context.Context, db *sql.DB, numbered, serialize bool, clients int, d time.Duration) (Result, error) {
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS bench_bare (k TEXT PRIMARY KEY, payload TEXT NOT NULL)"); err != nil {
		return Result{}, fmt.Errorf("bare table: %w", err)
	}
	q := "INSERT INTO bench_bare (k, payload) VALUES (?, ?)"
	if numbered {
		q = "INSERT INTO bench_bare (k, payload) VALUES ($1, $2)"
	}
	payload := strings.Repeat("x", 600)
	run := time.Now().UnixNano()
	var turn sync.Mutex
	r, err := measure(clients, d, func(c, i int) error {
		if serialize {
			turn.Lock()
			defer turn.Unlock()
		}
		_, err := db.ExecContext(ctx, q, fmt.Sprintf("%d-%d-%d", run, c, i), payload)
		return err
	})
	r.What = "bare insert"
	return r, err
}

// Print writes results as a table, each store's decisions beside its bare
// loop at the same number of clients.
func Print(w io.Writer, results []Result) {
	fmt.Fprintf(w, "%-9s %-12s %7s %10s %10s %10s %8s %6s\n", "store", "what", "clients", "ops/s", "p50", "p99", "vs bare", "batch")
	bare := map[string]float64{}
	for _, r := range results {
		if r.What == "bare insert" {
			bare[fmt.Sprint(r.Store, r.Clients)] = r.Rate()
		}
	}
	for _, r := range results {
		ratio := ""
		if b := bare[fmt.Sprint(r.Store, r.Clients)]; r.What == "decisions" && b > 0 {
			ratio = fmt.Sprintf("%.2fx", r.Rate()/b)
		}
		batch := ""
		if r.Batch > 0 {
			batch = fmt.Sprintf("%.1f", r.Batch)
		}
		fmt.Fprintf(w, "%-9s %-12s %7d %10.0f %10s %10s %8s %6s\n", r.Store, r.What, r.Clients, r.Rate(),
			r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), ratio, batch)
	}
}
