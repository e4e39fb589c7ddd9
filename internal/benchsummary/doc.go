// Package benchsummary gathers the figures of `make bench` that issue 21's
// table names (pages against a file server, page weight, server memory,
// PostgreSQL decisions against the bare insert loop, the front end against
// a static page and go-app's hello world) from the benchmarks of one run,
// and prints them in one table, each beside its baseline and its target.
//
// Each benchmark adds its rows with Add to the file that EULAGATE_BENCH_SUMMARY
// names (nothing when it is unset); `make bench` then prints the table with
// `go run ./internal/benchsummary/table FILE`. A figure whose benchmark did
// not run (PostgreSQL or Chromium missing) is listed as not measured.
package benchsummary
