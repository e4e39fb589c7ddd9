// Package loadbench holds eulagate's server load benchmark, run by
// `make bench`: BenchmarkPages loads the viewer page at 32 concurrent
// clients that accept gzip, against a plain Go file server sending that
// page's gzip bytes, each a process of its own on loopback in the same
// run, and prints requests per second, p99 latency, the page's weight
// against the document's own HTML, and the server's memory. eulagate is the
// binary `make build` leaves at the module's root (or EULAGATE_BIN), run as
// `eulagate serve`; the benchmark is skipped without it.
//
// The page is the latest EULA for the library's first product, in English
// and in the translation whose rendered document is the largest. The
// baseline serves, with http.ServeContent, the bytes eulagate answered for
// that page, already compressed: what a server that keeps the page as a
// static file would send. The figures are printed as ratios against the
// baseline measured in the same run; there are no timed assertions.
//
// Memory is the server process's (VmRSS and VmHWM in /proc/PID/status),
// without the load clients, which run in the test's process.
package loadbench
