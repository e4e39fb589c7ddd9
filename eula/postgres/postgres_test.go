package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/postgres"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"
)

// EnvDSN names the environment variable with the test database's DSN, as
// printed by scripts/pgtest.sh.
const EnvDSN = "EULAGATE_TEST_POSTGRES"

// testDSN returns the DSN of a new, empty schema of the test database,
// dropped when the test ends; it skips (or, under CI=true, fails) the test
// without a database.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		msg := "\n*** PostgreSQL tests SKIPPED: " + EnvDSN + " is not set.\n" +
			"*** Run them with: scripts/pgtest.sh run go test ./eula/postgres/\n"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return storetest.PostgresSchema(t, dsn)
}

func open(t testing.TB, dsn string, signer note.Signer) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn, postgres.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openTarget(ctx context.Context, dsn string, signer note.Signer) (eula.Store, error) {
	return postgres.Open(ctx, dsn, postgres.Options{Signer: signer})
}

func TestMain(m *testing.M) {
	storetest.CrashChild(openTarget)
	os.Exit(m.Run())
}

// TestCrash kills a writer with SIGKILL mid-stream and checks the store.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test in -short mode")
	}
	storetest.Crash(t, testDSN(t), openTarget, 300)
}

func TestConformance(t *testing.T) {
	testDSN(t) // Skip early without a database.
	storetest.Run(t, func(t *testing.T, signer note.Signer) eula.Store {
		return open(t, testDSN(t), signer)
	})
}

// TestSeveralServers appends through several stores (as several servers
// would) against one database and checks the log is one sequence.
func TestSeveralServers(t *testing.T) {
	dsn := testDSN(t)
	signer, vkey := storetest.Key(t)
	var stores []*postgres.Store
	for range 3 {
		stores = append(stores, open(t, dsn, signer))
	}
	// Each client sends its own decisions and retries of ten shared ones.
	const clients, each, shared = 12, 40, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[int64]string{}
	for i := range clients {
		s := stores[i%len(stores)]
		wg.Go(func() {
			for j := range each {
				r, key := storetest.NewRecord(j), fmt.Sprintf("c%d-%d", i, j)
				if j%2 == 0 {
					r, key = storetest.NewRecord(j/2%shared), fmt.Sprintf("shared-%d", j/2%shared)
				}
				got, _, err := s.Append(context.Background(), r, key)
				if err != nil {
					t.Errorf("Append: %v", err)
					return
				}
				mu.Lock()
				if id, ok := seen[got.Index]; ok && id != got.ID {
					t.Errorf("index %d given to %s and %s", got.Index, id, got.ID)
				}
				seen[got.Index] = got.ID
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	n := int64(shared + clients*each/2)
	if int64(len(seen)) != n {
		t.Errorf("%d distinct indexes, want %d", len(seen), n)
	}
	for i := range n {
		if _, ok := seen[i]; !ok {
			t.Errorf("index %d missing", i)
		}
	}
	rep, err := translog.Audit(context.Background(), stores[0], vkey)
	if err != nil || !rep.Clean() || rep.TreeSize != n {
		t.Errorf("Audit = %+v, %v", rep, err)
	}
	var sb strings.Builder
	for _, f := range rep.Findings {
		sb.WriteString(f.String() + "\n")
	}
	if sb.Len() > 0 {
		t.Log(sb.String())
	}
	// The console's counts, kept by every server's appends, lose none.
	for i, s := range stores {
		got, err := s.Counts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.CountsFromRecords(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("server %d: Counts differ from the records' recount (-records +Counts):\n%s", i, diff)
		}
	}
}

// TestSerializableDefault checks appends from several servers still form
// one log when the database defaults to SERIALIZABLE transactions.
func TestSerializableDefault(t *testing.T) {
	dsn := testDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("default_transaction_isolation", "serializable")
	u.RawQuery = q.Encode()
	signer, vkey := storetest.Key(t)
	a, b := open(t, u.String(), signer), open(t, u.String(), signer)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			s := a
			if i%2 == 1 {
				s = b
			}
			for j := range 10 {
				if _, _, err := s.Append(context.Background(), storetest.NewRecord(j), fmt.Sprintf("%d-%d", i, j)); err != nil {
					t.Errorf("Append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	rep, err := translog.Audit(context.Background(), a, vkey)
	if err != nil || !rep.Clean() || rep.TreeSize != 80 {
		t.Errorf("Audit = %+v, %v", rep, err)
	}
}

// TestAppendReadsNoTableWhole checks that appending batches reads none of
// the tables that grow with the log from end to end (a plan chosen while
// a table was small must not scan it once it is large): after many
// batches, the rows read by sequential scans of each stay below the
// number of records appended.
func TestAppendReadsNoTableWhole(t *testing.T) {
	dsn := testDSN(t)
	signer, _ := storetest.Key(t)
	var stores []*postgres.Store // Two servers: batches go the optimistic and the locked way.
	for range 2 {
		s, err := postgres.Open(context.Background(), dsn, postgres.Options{Signer: signer})
		if err != nil {
			t.Fatal(err)
		}
		stores = append(stores, s)
	}
	const clients, each = 16, 40
	var wg sync.WaitGroup
	for i := range clients {
		s := stores[i%len(stores)]
		wg.Go(func() {
			for j := range each {
				if _, _, err := s.Append(context.Background(), storetest.NewRecord(j), fmt.Sprintf("c%d-%d", i, j)); err != nil {
					t.Errorf("Append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, s := range stores {
		if err := s.Close(); err != nil { // Its server processes report their statistics as they end.
			t.Fatal(err)
		}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := []string{"records", "personal", "hashes", "idempotency", "checkpoints"}
	read := map[string]int64{}
	for inserted := int64(0); inserted < clients*each; time.Sleep(50 * time.Millisecond) {
		rows, err := db.Query(`SELECT relname, n_tup_ins, seq_tup_read FROM pg_stat_user_tables
			WHERE schemaname = current_schema() AND relname = ANY($1)`, tables)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var rel string
			var ins, r int64
			if err := rows.Scan(&rel, &ins, &r); err != nil {
				t.Fatal(err)
			}
			read[rel] = r
			if rel == "idempotency" {
				inserted = ins
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		db.Exec("SELECT pg_stat_clear_snapshot()")
	}
	for _, rel := range tables {
		if read[rel] >= clients*each {
			t.Errorf("%s: %d rows read by sequential scans while appending %d records", rel, read[rel], clients*each)
		}
	}
}
