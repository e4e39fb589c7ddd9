// Command wasm is eulagate's front end, compiled with GOOS=js GOARCH=wasm
// into app.wasm, which the server embeds and serves. It registers the shared
// route table and the browser-side action handlers, then hands over to
// go-app.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/app/client"
)

func main() {
	ui.RegisterRoutes()
	client.Register()
	app.RunWhenOnBrowser()
}
