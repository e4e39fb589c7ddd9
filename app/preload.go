package app

import "sync"

var (
	preloadMu sync.Mutex
	preloadFn func() (View, bool)
)

// SetPreloaded installs the function the browser side uses to hand the
// prerendered View to the first Page it creates. Package app/client calls it
// before go-app mounts anything; the server never does. go-app does not
// hydrate: web/internal/goappfix lists this among the go-app workarounds.
func SetPreloaded(fn func() (View, bool)) {
	preloadMu.Lock()
	defer preloadMu.Unlock()
	preloadFn = fn
}

func preloaded() (View, bool) {
	preloadMu.Lock()
	defer preloadMu.Unlock()
	if preloadFn == nil {
		return View{}, false
	}
	return preloadFn()
}
