package client

import (
	"encoding/json"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
)

// notifyHost tells the embedding host the outcome of a decision through
// every channel a host may use: the WebView2 bridge
// (window.chrome.webview.postMessage), window.parent.postMessage to each
// origin the server allows (never "*"), and a redirect to the allowed
// return URL. It runs after the outcome is recorded.
func notifyHost(req ui.DecisionRequest, out ui.Outcome, receipt json.RawMessage) {
	msg := ui.HostMessage{
		Type:      ui.HostMessageType,
		Version:   ui.HostMessageVersion,
		Decision:  out.Decision,
		RecordID:  out.RecordID,
		Product:   req.Product,
		Document:  req.Document,
		Installer: req.Installer.MachineID,
		Receipt:   receipt,
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return // a message of strings and raw JSON from the server always marshals
	}
	w := app.Window()
	obj := w.Get("JSON").Call("parse", string(b))
	if wv := w.Get("chrome"); wv.Truthy() && wv.Get("webview").Truthy() {
		wv.Get("webview").Call("postMessage", obj)
	}
	if parent := w.Get("parent"); parent.Truthy() && !parent.Equal(w.JSValue()) {
		for _, origin := range req.Host.Origins {
			if origin != "" && origin != "*" {
				parent.Call("postMessage", obj, origin)
			}
		}
	}
	if u := ui.ReturnURL(req.Host.Return, out.Decision, out.RecordID); u != "" {
		w.Get("location").Set("href", u)
	}
}
