// Command wasm is the hello world's front end, compiled with GOOS=js
// GOARCH=wasm by the front-end benchmark at its start.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/eulagate/eulagate/internal/frontbench/hello"
)

func main() {
	hello.Register()
	app.RunWhenOnBrowser()
}
