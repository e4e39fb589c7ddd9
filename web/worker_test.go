package web

import (
	"strings"
	"testing"
)

// TestBootKeepsWasm checks that boot.js posts the message the service
// worker answers by keeping app.wasm: the two halves live in two files.
func TestBootKeepsWasm(t *testing.T) {
	boot, err := staticFS.ReadFile("static/boot.js")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(boot), `postMessage("`+keepWasmMessage+`")`) {
		t.Errorf("boot.js does not post %q to the service worker", keepWasmMessage)
	}
	if !strings.Contains(workerJS, `event.data === "`+keepWasmMessage+`"`) {
		t.Errorf("the service worker does not answer %q", keepWasmMessage)
	}
}
