// Package benchserver starts eulagate's server for the benchmarks
// (internal/frontbench, internal/loadbench) as the web tests do: over the
// given library and a fresh SQLite store in a temporary directory.
package benchserver
