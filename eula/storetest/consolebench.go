package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
)

// EnvBenchRecords sets the number of records BenchConsole fills the
// database with; 1,000,000 if unset.
const EnvBenchRecords = "EULAGATE_BENCH_RECORDS"

// benchRecords returns the number of records of BenchConsole.
func benchRecords(b *testing.B) int {
	if s := os.Getenv(EnvBenchRecords); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("%s=%q: not a positive number", EnvBenchRecords, s)
		}
		return n
	}
	return 1_000_000
}

// Series are the SQL row generators of BenchConsole: i from 0 to n-1.
const (
	SeriesSQLite   = `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d - 1) SELECT i FROM s`
	SeriesPostgres = `SELECT generate_series(0, %d - 1) AS i`
)

// BenchConsole fills an empty store's tables with many records in SQL
// (their log hashes are not written: the console's queries do not read
// them) and measures the console's queries beside a bare SELECT count(*)
// on the same database, reporting each in ms. series generates the rows
// (SeriesSQLite or SeriesPostgres).
func BenchConsole(b *testing.B, s eula.Store, db *sql.DB, series string) {
	ctx := context.Background()
	cs, ok := s.(eula.ConsoleStore)
	if !ok {
		b.Fatalf("%T is not an eula.ConsoleStore", s)
	}
	n := benchRecords(b)
	gen := fmt.Sprintf(series, n)
	start := time.Now()
	_, err := db.ExecContext(ctx, `INSERT INTO records (log_index, id, time, installer_product, installer_version,
		machine_id, product, doc_id, doc_version, doc_language, shown_hash, original_hash, decision, role,
		channel, register_consent, licensee, reference, derived_from, personal_hash)
		SELECT i, 'rec-' || i, '2025-' || (10 + i % 3) || '-' || (10 + i % 18) || 'T12:00:00.' || (100000 + i % 899999) || 'Z',
		'xprotect-corporate', '24.1', 'machine-' || (i % (`+strconv.Itoa(n)+` / 3 + 1)),
		CASE WHEN i % 4 = 0 THEN 'xprotect-expert' ELSE 'xprotect-corporate' END, 'eula',
		CASE WHEN i % 5 = 0 THEN '20240101' ELSE '20250212' END,
		CASE i % 4 WHEN 0 THEN 'en' WHEN 1 THEN 'hu' WHEN 2 THEN 'ja' ELSE 'ru' END, 'h', 'o',
		CASE WHEN i % 9 = 0 THEN 'declined' ELSE 'accepted' END,
		CASE WHEN i % 10 = 0 THEN 'delegated' ELSE 'end-user' END,
		CASE WHEN i % 3 = 0 THEN 'browser' ELSE 'installer' END, 1, '',
		CASE WHEN i % 100 = 0 THEN 'ref-' || i ELSE '' END, '', 'p'
		FROM (`+gen+`) g`)
	if err != nil {
		b.Fatalf("fill records: %v", err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO personal (record_id, salt, actor_name, actor_email, actor_organization,
		bound, bound_name, bound_email, bound_organization, client_addr, user_agent, actor_email_key, bound_email_key)
		SELECT 'rec-' || i, '00', 'Person ' || i, 'p' || i || '@example.com', 'Org ' || (i % 5000), 0, '', '', '',
		'192.0.2.1', 'bench', 'p' || i || '@example.com', '' FROM (`+gen+`) g`)
	if err != nil {
		b.Fatalf("fill personal data: %v", err)
	}
	// Best effort, as a database kept in service would be: statistics
	// for the planner, and PostgreSQL's visibility map for index-only
	// scans (the VACUUM fails harmlessly on SQLite).
	for _, q := range []string{"ANALYZE", "VACUUM (ANALYZE) records", "VACUUM (ANALYZE) personal"} {
		db.ExecContext(ctx, q)
	}
	b.Logf("filled %d records in %v", n, time.Since(start).Round(time.Millisecond))
	for _, m := range []struct {
		name string
		fn   func() error
	}{
		{"bare-count", func() error {
			var c int64
			return db.QueryRowContext(ctx, "SELECT count(*) FROM records").Scan(&c)
		}},
		{"overview", func() error { _, err := cs.Counts(ctx); return err }},
		{"overview-again", func() error { _, err := cs.Counts(ctx); return err }},
		{"tallies", func() error {
			_, err := db.ExecContext(ctx, "SELECT doc_version, product, doc_language, role, channel, decision, count(*) FROM records GROUP BY doc_version, product, doc_language, role, channel, decision")
			return err
		}},
		{"installations", func() error {
			var c int64
			return db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT DISTINCT machine_id, product FROM records) i").Scan(&c)
		}},
		{"search-product-page", func() error {
			q := eula.Query{Filter: eula.Filter{Product: "xprotect-expert"}, Offset: 0, Limit: 50}
			if _, err := cs.Count(ctx, q); err != nil {
				return err
			}
			return cs.Search(ctx, q, func(eula.Record) error { return nil })
		}},
		{"search-installation", func() error {
			q := eula.Query{MachineID: "machine-42", Limit: 50}
			if _, err := cs.Count(ctx, q); err != nil {
				return err
			}
			return cs.Search(ctx, q, func(eula.Record) error { return nil })
		}},
		{"search-organisation", func() error {
			q := eula.Query{Organization: "Org 42", Limit: 50}
			if _, err := cs.Count(ctx, q); err != nil {
				return err
			}
			return cs.Search(ctx, q, func(eula.Record) error { return nil })
		}},
		{"search-time-range", func() error {
			q := eula.Query{Filter: eula.Filter{Since: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC)}, Limit: 50}
			if _, err := cs.Count(ctx, q); err != nil {
				return err
			}
			return cs.Search(ctx, q, func(eula.Record) error { return nil })
		}},
	} {
		b.Run(m.name, func(b *testing.B) {
			var total time.Duration
			runs := 0
			for b.Loop() {
				t := time.Now()
				if err := m.fn(); err != nil {
					b.Fatal(err)
				}
				total += time.Since(t)
				runs++
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(runs), "ms/query")
			b.ReportMetric(float64(n), "records")
		})
	}
}
