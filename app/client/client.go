package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
)

// Paths of the HTTP API the browser side calls.
const (
	pathView      = "/api/v1/view"
	pathDecisions = "/api/v1/decisions"
)

// Register installs the browser-side action handlers and the preloaded View.
// The wasm main calls it before app.RunWhenOnBrowser.
func Register() {
	snap := &snapshot{}
	ui.SetPreloaded(snap.take)
	app.Handle(ui.ActionLoad, snap.load)
	app.Handle(ui.ActionDecide, decide)
}

// snapshot is the View that the server prerendered, read from the DOM once
// before go-app replaces it.
type snapshot struct {
	once sync.Once
	view ui.View
	ok   bool
}

func (s *snapshot) read() {
	s.once.Do(func() {
		s.view, s.ok = readPrerendered()
	})
}

func (s *snapshot) take() (ui.View, bool) {
	s.read()
	return s.view, s.ok
}

func (s *snapshot) load(ctx app.Context, a app.Action) {
	q, _ := a.Value.(ui.Query) // a wrong type loads the default view
	s.read()
	if s.ok && s.view.Query == q {
		ctx.SetState(ui.StateView, s.view)
		return
	}
	ctx.Async(func() {
		var v ui.View
		status, body, err := fetch("GET", pathView+"?"+q.Encode(), "", "", nil)
		switch {
		case err != nil:
			v.Error = "The license text could not be loaded. Check the connection and reload the page."
		case status != 200:
			v.Error = apiError(body)
		default:
			if err := json.Unmarshal(body, &v); err != nil {
				v.Error = "The license text could not be read. Reload the page."
			}
		}
		ctx.Dispatch(func(ctx app.Context) { ctx.SetState(ui.StateView, v) })
	})
}

func decide(ctx app.Context, a app.Action) {
	req, ok := a.Value.(ui.DecisionRequest)
	if !ok {
		return
	}
	ctx.SetState(ui.StateOutcome, ui.Outcome{Pending: true})
	ctx.Async(func() {
		body, _ := json.Marshal(req) // a struct of strings always marshals
		status, resp, err := fetch("POST", pathDecisions, req.CSRF, req.IdempotencyKey, body)
		var out ui.Outcome
		switch {
		case err != nil:
			out.Error = "Your decision could not be sent. Check the connection and try again."
		case status/100 != 2:
			out.Error = apiError(resp)
		default:
			var r struct {
				ID       string `json:"id"`
				Decision string `json:"decision"`
			}
			if err := json.Unmarshal(resp, &r); err != nil {
				out.Error = "The server's answer could not be read. Try again."
				break
			}
			out.Decision, out.RecordID = r.Decision, r.ID
		}
		ctx.Dispatch(func(ctx app.Context) { ctx.SetState(ui.StateOutcome, out) })
	})
}

// apiError returns the message of an API error body, or a generic one.
func apiError(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	return "The server refused the request. Reload the page and try again."
}

// readPrerendered rebuilds the View the server rendered into the page: the
// metadata from the document's data-view attribute, each section's HTML from
// the DOM.
func readPrerendered() (ui.View, bool) {
	doc := app.Window().Get("document")
	if !doc.Truthy() {
		return ui.View{}, false
	}
	page := doc.Call("getElementById", "eula-page")
	if !page.Truthy() {
		return ui.View{}, false
	}
	var v ui.View
	if err := json.Unmarshal([]byte(page.Call("getAttribute", "data-view").String()), &v); err != nil {
		return ui.View{}, false
	}
	bodies := doc.Call("querySelectorAll", ".eula-section-body")
	if bodies.Length() != len(v.Sections) {
		return ui.View{}, false
	}
	for i := range v.Sections {
		v.Sections[i].HTML = bodies.Index(i).Get("innerHTML").String()
	}
	return v, true
}

// fetch calls the browser's fetch and waits for the whole response.
func fetch(method, url, csrf, idem string, body []byte) (int, []byte, error) {
	headers := map[string]any{"Accept": "application/json"}
	opts := map[string]any{"method": method, "credentials": "same-origin", "headers": headers}
	if body != nil {
		headers["Content-Type"] = "application/json"
		opts["body"] = string(body)
	}
	if csrf != "" {
		headers["X-CSRF-Token"] = csrf
	}
	if idem != "" {
		headers["Idempotency-Key"] = idem
	}
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	onError := app.FuncOf(func(this app.Value, args []app.Value) any {
		msg := "fetch failed"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		done <- result{err: fmt.Errorf("%s %s: %s", method, url, msg)}
		return nil
	})
	defer onError.Release()
	onResponse := app.FuncOf(func(this app.Value, args []app.Value) any {
		resp := args[0]
		status := resp.Get("status").Int()
		resp.Call("text").Then(func(text app.Value) {
			done <- result{status: status, body: text.String()}
		})
		return nil
	})
	defer onResponse.Release()
	app.Window().Call("fetch", url, opts).Call("then", onResponse).Call("catch", onError)
	r := <-done
	return r.status, []byte(strings.Clone(r.body)), r.err
}
