// Package hello is the go-app hello world that the front-end benchmark
// (package frontbench) measures eulagate against: the smallest go-app page,
// prerendered on the server and taken over by its own wasm, built from
// ./wasm.
package hello
