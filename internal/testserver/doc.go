// Package testserver starts eulagate's HTTP server over a fresh SQLite
// store in a temporary data directory, as `eulagate serve` runs it, for
// the tests of other packages.
//
// A test starts one with New and reaches its store (to append, or to
// tamper behind its back), its data directory and the log's verifier key.
package testserver
