package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
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

// BenchSQL is what BenchConsole's filling of the tables differs in
// between databases.
type BenchSQL struct {
	// Series generates the rows: i from 0 to %d - 1.
	Series string
	// Time is the record time (eula.TimeLayout) of row i: the epoch
	// second %s.
	Time string
	// DropTrigger drops the trigger that keeps the console's tables, for
	// the bulk load; the store's RebuildConsoleTables restores and fills
	// them after it.
	DropTrigger string
}

// The BenchSQL of SQLite and of PostgreSQL.
var (
	BenchSQLite = BenchSQL{
		Series:      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d - 1) SELECT i FROM s`,
		Time:        `strftime('%%Y-%%m-%%dT%%H:%%M:%%S', %s, 'unixepoch') || '.000000Z'`,
		DropTrigger: `DROP TRIGGER console_on_append`,
	}
	BenchPostgres = BenchSQL{
		Series:      `SELECT generate_series(0, %d - 1) AS i`,
		Time:        `to_char(timestamp '1970-01-01' + (%s) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS') || '.000000Z'`,
		DropTrigger: `DROP TRIGGER console_on_append ON records`,
	}
)

// benchRuns is how often BenchConsole runs each search: it reports the
// median and the slowest.
const benchRuns = 5

// benchStart and benchStep place the bench's records in time: one every
// benchStep seconds from benchStart on, in log order, as appends are.
const (
	benchStart = 1735689600 // 2025-01-01T00:00:00Z
	benchStep  = 8
)

// benchTime is the time of the bench's record i.
func benchTime(i int) time.Time { return time.Unix(benchStart+int64(i)*benchStep, 0).UTC() }

// BenchConsole fills an empty store's tables with many records in SQL
// (their log hashes are not written: the console's queries do not read
// them; the store's triggers keep the overview's tables as appends do) and
// measures the console's queries beside a bare SELECT count(*) on the same
// database, reporting each in ms with the bare count's ms beside it.
func BenchConsole(b *testing.B, s eula.Store, db *sql.DB, dialect BenchSQL) {
	ctx := context.Background()
	cs, ok := s.(eula.ConsoleStore)
	if !ok {
		b.Fatalf("%T is not an eula.ConsoleStore", s)
	}
	rs, ok := s.(interface{ RebuildConsoleTables(context.Context) error })
	if !ok {
		b.Fatalf("%T cannot rebuild its console tables", s)
	}
	n := benchRecords(b)
	gen := fmt.Sprintf(dialect.Series, n)
	at := fmt.Sprintf(dialect.Time, fmt.Sprintf("%d + i * %d", benchStart, benchStep))
	start := time.Now()
	if _, err := db.ExecContext(ctx, dialect.DropTrigger); err != nil {
		b.Fatal(err)
	}
	_, err := db.ExecContext(ctx, `INSERT INTO records (log_index, id, time, installer_product, installer_version,
		machine_id, product, doc_id, doc_version, doc_language, shown_hash, original_hash, decision, role,
		channel, register_consent, licensee, reference, derived_from, personal_hash)
		SELECT i, 'rec-' || i, `+at+`,
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
	if err := rs.RebuildConsoleTables(ctx); err != nil {
		b.Fatal(err)
	}
	// Best effort, as a database kept in service would be: statistics
	// for the planner, and PostgreSQL's visibility map for index-only
	// scans (the VACUUM fails harmlessly on SQLite).
	for _, q := range []string{"ANALYZE", "VACUUM (ANALYZE) records", "VACUUM (ANALYZE) personal"} {
		db.ExecContext(ctx, q)
	}
	b.Logf("filled %d records in %v", n, time.Since(start).Round(time.Millisecond))
	search := func(q eula.Query) func() error {
		q.CountUpTo = eula.MaxSearchCount // As the Registrar's Search.
		return func() error {
			if _, err := cs.Count(ctx, q); err != nil {
				return err
			}
			return cs.Search(ctx, q, func(eula.Record) error { return nil })
		}
	}
	day := benchTime(n / 2).Truncate(24 * time.Hour)
	var bare float64 // The bare count's ms, reported beside each row.
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
		{"search-installation", search(eula.Query{MachineID: "machine-42", Limit: 50})},
		{"search-product", search(eula.Query{Filter: eula.Filter{Product: "xprotect-expert"}, Limit: 50})},
		{"search-version", search(eula.Query{Filter: eula.Filter{Version: "20240101"}, Limit: 50})},
		{"search-reference", search(eula.Query{ReferenceCommitments: []string{fmt.Sprintf("ref-%d", n/200*100)}, Limit: 50})},
		{"search-organisation", search(eula.Query{Organization: "Org 42", Limit: 50})},
		{"search-time-range", search(eula.Query{Filter: eula.Filter{Since: day, Until: day.Add(24 * time.Hour)}, Limit: 50})},
		{"search-time-month", search(eula.Query{Filter: eula.Filter{Since: day, Until: day.Add(30 * 24 * time.Hour)}, Limit: 50})},
		{"search-combined-page", search(eula.Query{Filter: eula.Filter{Product: "xprotect-corporate", Version: "20250212",
			Decision: eula.Accepted, Since: day, Until: day.Add(7 * 24 * time.Hour)}, Offset: 1000, Limit: 50})},
	} {
		b.Run(m.name, func(b *testing.B) {
			// The overview's first answer is not cached; it and the
			// bare count run once, each search benchRuns times.
			runs := benchRuns
			if m.name == "bare-count" || m.name == "overview" {
				runs = 1
			}
			var took []float64
			for b.Loop() {
				for range runs {
					t := time.Now()
					if err := m.fn(); err != nil {
						b.Fatal(err)
					}
					took = append(took, float64(time.Since(t).Microseconds())/1000)
				}
			}
			slices.Sort(took)
			ms := took[len(took)/2]
			if m.name == "bare-count" {
				bare = ms
			}
			b.ReportMetric(ms, "ms/query")
			b.ReportMetric(took[len(took)-1], "max-ms")
			b.ReportMetric(bare, "bare-count-ms")
			b.ReportMetric(float64(n), "records")
		})
	}
}
