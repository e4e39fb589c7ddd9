package client

import (
	"context"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/eulagate/eulagate/api"
	ui "github.com/eulagate/eulagate/app"
)

// The sections' HTML of the Views fetched from the API stays in the
// browser, out of the wasm: boot.js's eulagate.hold parses the answer,
// keeps each section's HTML under a key (heldKey) and takes it out, and
// only the rest is decoded in Go. The Document renders such a section as
// an empty body naming its key (ui.HeldAttr), which boot.js fills as soon
// as go-app has put it in the page, before the browser paints: a language
// switch decodes only the small rest in the wasm, and the text does not go
// through go-app's tree. Without boot.js the answer is decoded whole, and
// the sections rendered from their HTML.

// viewClient calls the view endpoint through fetchHolding.
var viewClient = api.NewClient(api.DoerFunc(fetchHolding))

// Kinds of held sections: a document's own, or the English original shown
// beside a translation (its heading ids prefixed).
const (
	kindSection  = "s"
	kindOriginal = "o"
)

// heldKey names the HTML of one section: its kind, language, id, hash and
// the kiosk layout (which renders links as text). boot.js's heldKey is
// the same.
func heldKey(kind, lang string, kiosk bool, id, hash string) string {
	k := kind + "/" + lang + "/" + id + "/" + hash
	if kiosk {
		k += "/kiosk"
	}
	return k
}

// holder returns boot.js's helpers, or undefined without them.
func holder() app.Value {
	eg := app.Window().Get("eulagate")
	if !eg.Truthy() || !eg.Get("hold").Truthy() {
		return app.Undefined()
	}
	return eg
}

// fetchHolding is fetch for the view endpoint: a View's sections' HTML is
// held by boot.js, and the rest returned to be decoded.
func fetchHolding(_ context.Context, method, path string, header map[string]string, body []byte) (int, []byte, error) {
	status, text, err := fetchJS(method, path, header, body)
	if err != nil {
		return 0, nil, err
	}
	if eg := holder(); status == 200 && eg.Truthy() {
		text = eg.Call("hold", text)
	}
	return status, []byte(text.String()), nil
}

// fillHeld fills the bodies that name held HTML at once, for what reads
// the page before the task that rendered them ends (printing).
func fillHeld() {
	if eg := holder(); eg.Truthy() {
		eg.Call("fillHeld")
	}
}

// markHeld names, in v's sections and originals without HTML (held by
// fetchHolding), the key of their HTML.
func markHeld(v *ui.View) {
	if !holder().Truthy() {
		return
	}
	mark := func(secs []ui.Section, kind, lang string) {
		for i := range secs {
			if sec := &secs[i]; sec.HTML == "" && !sec.Adopt {
				sec.Held = heldKey(kind, lang, v.Query.Kiosk, sec.ID, sec.Hash)
			}
		}
	}
	mark(v.Sections, kindSection, v.Lang)
	mark(v.Original, kindOriginal, ui.OriginalLang)
}

// withOriginals returns v with the English original's sections taken from
// en, the View of the English document for the same query, as
// ui.WithOriginals does, also for sections whose HTML boot.js holds.
func withOriginals(v, en ui.View) ui.View {
	v = ui.WithOriginals(v, en)
	eg := holder()
	for i, sec := range en.Sections {
		if sec.Held == "" || !eg.Truthy() {
			continue
		}
		k := heldKey(kindOriginal, ui.OriginalLang, en.Query.Kiosk, sec.ID, sec.Hash)
		if eg.Call("heldOriginal", sec.Held, k, sec.ID, ui.OriginalHeadingID(sec.ID)).Bool() {
			v.Original[i].Held = k
		}
	}
	return v
}
