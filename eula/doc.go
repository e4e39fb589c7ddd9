// Package eula is the domain of eulagate: license documents and their
// versions, the product catalog, decisions (acceptances and refusals) and the
// roles of who makes them, delegation, and the rule that opens the gate.
//
// # Dependencies
//
// The package imports neither go-app nor net/http nor a database driver. The
// user interface (package app) and the server (package main, package web)
// depend on it, never the reverse. Storage and the transparency log are
// interfaces declared here; their implementations live in subpackages.
//
// # Errors
//
// Functions wrap errors with context. Callers branch on the sentinels
// ErrNotFound, ErrInvalid, ErrConflict, ErrForbidden and ErrUnauthorized with
// errors.Is; package web maps them to HTTP status codes in one table.
package eula
