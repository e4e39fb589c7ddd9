package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
	"github.com/eulagate/eulagate/web"
)

// hostPage serves docs/host-example.html with the viewer's origin filled
// in; the viewer's URL is set once the viewer runs (it must know the host's
// origin first).
type hostPage struct {
	*httptest.Server
	viewer string
}

func newHostPage(t *testing.T) *hostPage {
	t.Helper()
	b, err := os.ReadFile("../docs/host-example.html")
	if err != nil {
		t.Fatal(err)
	}
	hp := &hostPage{}
	hp.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, strings.ReplaceAll(string(b), "VIEWER_ORIGIN", hp.viewer))
	}))
	t.Cleanup(hp.Close)
	return hp
}

// frameEval evaluates expr in the first child frame of the page (an
// isolated world: the frame's DOM, not its scripts' globals).
func frameEval(expr string, out any) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		tree, err := page.GetFrameTree().Do(ctx)
		if err != nil {
			return err
		}
		if len(tree.ChildFrames) == 0 {
			return fmt.Errorf("no iframe")
		}
		id, err := page.CreateIsolatedWorld(tree.ChildFrames[0].Frame.ID).Do(ctx)
		if err != nil {
			return err
		}
		res, exc, err := runtime.Evaluate(expr).WithContextID(id).WithReturnByValue(true).Do(ctx)
		if err != nil {
			return err
		}
		if exc != nil {
			return fmt.Errorf("%s: %s", expr, exc.Text)
		}
		return json.Unmarshal(res.Value, out)
	})
}

// waitFrame waits until expr is true in the iframe.
func waitFrame(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(headless.WaitTimeout)
		for time.Now().Before(deadline) {
			var ok bool
			if err := frameEval(expr, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			time.Sleep(50 * time.Millisecond)
		}
		return fmt.Errorf("timed out waiting in the iframe for %s", expr)
	})
}

// clickFrame clicks, with the mouse, the element matching sel inside the
// iframe (which the host page places at the top left).
func clickFrame(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var pt struct{ X, Y float64 }
		expr := fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`, headless.JS(sel))
		if err := frameEval(expr, &pt).Do(ctx); err != nil {
			return err
		}
		for _, typ := range []input.MouseType{input.MousePressed, input.MouseReleased} {
			if err := input.DispatchMouseEvent(typ, pt.X, pt.Y).WithButton(input.Left).WithClickCount(1).Do(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}

// acceptInFrame reads the viewer in the host's iframe to the end and
// accepts.
func acceptInFrame() chromedp.Action {
	return chromedp.Tasks{
		waitFrame(`!!document.querySelector('#eula-page[data-wasm="on"]')`),
		frameEval(`(() => { document.documentElement.scrollTop = document.documentElement.scrollHeight; window.scrollTo(0, document.documentElement.scrollHeight); return true; })()`, new(bool)),
		waitFrame(`!document.querySelector("#eula-accept").disabled`),
		clickFrame("#eula-accept"),
		waitFrame(`!!document.querySelector('#eula-outcome[data-decision="accepted"]')`),
	}
}

// TestHostReceivesOutcome: the example host page embeds the viewer in an
// iframe and receives the outcome, with a receipt that verifies.
func TestHostReceivesOutcome(t *testing.T) {
	hs := newHostPage(t)
	ts := newTestServer(t, func(c *web.Config) { c.AllowedOrigins = []string{hs.URL} })
	needWasm(t, ts)
	hs.viewer = ts.URL
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 900})
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			for _, a := range e.Args {
				t.Logf("console %s: %s %s", e.Type, a.Value, a.Description)
			}
		case *runtime.EventExceptionThrown:
			t.Logf("exception: %s", e.ExceptionDetails.Error())
		}
	})
	var got string
	err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL),
		acceptInFrame(),
		headless.WaitJS(`!!window.eulagateMessage`),
		chromedp.Evaluate(`window.eulagateMessage`, &got),
	)
	if err != nil {
		t.Fatal(err)
	}
	var m ui.HostMessage
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatal(err)
	}
	if m.Type != ui.HostMessageType || m.Version != 1 || m.Decision != "accepted" || m.Installer != "box-42" || m.Product != "husky-m20" {
		t.Errorf("message %+v", m)
	}
	rc, err := eula.DecodeReceipt(strings.NewReader(string(m.Receipt)))
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, ts.verifier); err != nil {
		t.Errorf("the host's receipt does not verify: %v", err)
	}
	if rc.Record.ID != m.RecordID || rc.Record.Installer.MachineID != "box-42" {
		t.Errorf("receipt for %s/%s", rc.Record.ID, rc.Record.Installer.MachineID)
	}
}

// TestHostDisallowedOrigin: a host page whose origin the server does not
// allow cannot even frame the viewer (Content-Security-Policy
// frame-ancestors), so it can neither show it nor hijack an accept click,
// and it receives nothing.
func TestHostDisallowedOrigin(t *testing.T) {
	hs := newHostPage(t)
	ts := newTestServer(t, func(c *web.Config) { c.AllowedOrigins = []string{"http://127.0.0.1:1"} }) // some other origin
	needWasm(t, ts)
	hs.viewer = ts.URL
	ctx := headless.New(t, headless.Options{Width: 1024, Height: 900})
	var got, viewer bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(hs.URL),
		chromedp.Sleep(2*time.Second),
		chromedp.Evaluate(`!!window.eulagateMessage`, &got),
		chromedp.ActionFunc(func(ctx context.Context) error {
			// The blocked frame holds an error page, not the viewer.
			frameEval(`!!document.querySelector("#eula-page")`, &viewer).Do(ctx) // no frame document at all also means blocked
			return nil
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if viewer {
		t.Error("a host origin the server does not allow framed the viewer")
	}
	if got {
		t.Error("a disallowed host origin received the outcome")
	}
	if recs := ts.records(t); len(recs) != 0 {
		t.Errorf("records %+v", recs)
	}
}
