// Package testserver makes eulagate's HTTP server over a fresh SQLite
// store in a temporary data directory, configured as `eulagate serve`
// configures it, for the tests and benchmarks of every package.
//
// New starts one with the embedded documents; Build makes one over any
// library without listening, for a test that wraps the handler or a
// benchmark that serves it its own way. Either reaches the store (to
// append, or to tamper behind its back), the data directory and the log's
// verifier key.
package testserver
