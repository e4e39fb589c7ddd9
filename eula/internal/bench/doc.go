// Package bench measures the stores: recorded decisions per second and
// p50/p99 latency at several numbers of concurrent clients, next to a bare
// durable insert loop on the same database in the same run.
//
// # Running
//
//	EULAGATE_BENCH=1 go test -count=1 -run TestReport -v ./eula/internal/bench/
//
// With EULAGATE_TEST_POSTGRES set (see scripts/pgtest.sh) PostgreSQL is
// measured too. The Makefile's bench target starts a throwaway PostgreSQL
// with scripts/pgtest.sh for it.
package bench
