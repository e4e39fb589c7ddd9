// Package bench measures the stores: recorded decisions per second and
// p50/p99 latency at several numbers of concurrent clients, next to a bare
// durable insert loop on the same database in the same run.
//
// # Running
//
//	go test -run '^$' -bench Stores -benchtime 1x ./eula/internal/bench/
//
// With EULAGATE_TEST_POSTGRES set (see scripts/pgtest.sh) PostgreSQL is
// measured too; `make bench` starts a throwaway PostgreSQL for it. Each
// measurement lasts EULAGATE_BENCH_TIME (default 3s).
package bench
