package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/eulagate/eulagate/api"
)

// Route is one entry of the route table: a URL path and the component that
// renders it.
type Route struct {
	Path string
	New  func() app.Composer
}

// Routes is the route table, shared by the wasm main and the server. A path
// missing here is answered with 404 by the server.
func Routes() []Route {
	return append([]Route{
		{Path: PathViewer, New: func() app.Composer { return &Page{} }},
		{Path: PathDealerConfirm, New: func() app.Composer { return &Page{} }},
		{Path: PathDealer, New: func() app.Composer { return &DealerPage{} }},
		{Path: PathDealerReceipt, New: func() app.Composer { return &DealerPage{} }},
	}, consoleRoutes()...)
}

// Paths of the routes.
const (
	// PathViewer is the EULA viewer: read, then accept or decline.
	PathViewer = api.PathViewer
	// PathDealerConfirm is the first-boot confirmation of a dealer's
	// acceptance: the viewer, with who accepted for whom and when
	// (View.Confirmation).
	PathDealerConfirm = api.PathDealerConfirm
	// PathDealer is the dealer's form, PathDealerReceipt its receipt
	// (View.DealerForm, View.Receipt).
	PathDealer        = api.PathDealer
	PathDealerReceipt = api.PathDealerReceipt
)

// RegisterRoutes registers every route of Routes with go-app. Both mains call
// it once before serving or running.
func RegisterRoutes() {
	for _, r := range Routes() {
		app.RouteFunc(r.Path, r.New)
	}
}
