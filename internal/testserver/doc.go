// Package testserver starts eulagate's HTTP server over a fresh SQLite
// store in a temporary data directory, as `eulagate serve` runs it, for
// the tests of other packages.
//
// The tests of the main package, package web and internal/interop start
// one with New and reach its store, data directory and verifier key.
package testserver
