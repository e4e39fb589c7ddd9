package hello

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Path is where the hello-world page is routed. It is not "/" so that the
// page can share a process with eulagate's server, whose route table (in
// go-app's process-wide registry) already claims "/".
const Path = "/hello"

// Page is the hello-world component: one line of text whose data-wasm
// attribute is "on" once the wasm has rendered it, as eulagate's page does.
type Page struct {
	app.Compo
}

// Render implements app.Composer.
func (p *Page) Render() app.UI {
	marker := "off"
	if app.IsClient {
		marker = "on"
	}
	return app.Div().ID("hello").DataSet("wasm", marker).Text("Hello, world!")
}

// Register routes Path to Page. Both the wasm main and the benchmark's
// server call it once.
func Register() {
	app.Route(Path, &Page{})
}
