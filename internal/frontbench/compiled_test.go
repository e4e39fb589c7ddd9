package frontbench

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"

	"github.com/eulagate/eulagate/internal/headless"
)

// markGoRun names the performance marks goRunProbe sets around go.run.
const markGoRun = "frontbench:go.run"

// traceCategories are what compiledOnFirstCall records: V8's wasm events
// (wasm.CompileLazy, one per function compiled on its first call) and the
// page's performance marks.
var traceCategories = []string{"v8.wasm", "blink.user_timing"}

// compiledOnFirstCall loads srv cold, once, in a fresh profile, with a
// trace, and returns how many wasm functions V8 compiled while go.run held
// the main thread. V8 compiles a wasm function on its first call, on the
// main thread, so this counts how much code the start and the first render
// reach: what a cold load pays for and a reload (which reuses the compiled
// code) does not. The trace slows the load, so its times are not used.
func compiledOnFirstCall(b *testing.B, srv *server) (int, error) {
	sc := &scope{TB: b}
	defer sc.close()
	ctx := headless.New(sc, headless.Options{Timeout: 2 * time.Minute})
	var (
		mu     sync.Mutex
		events []traceEvent
		done   = make(chan struct{})
	)
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			defer mu.Unlock()
			for _, raw := range e.Value {
				var te traceEvent
				if json.Unmarshal(raw, &te) == nil {
					events = append(events, te)
				}
			}
		case *tracing.EventTracingComplete:
			close(done)
		}
	})
	err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(probe + goRunProbe).Do(ctx)
			return err
		}),
		chromedp.Navigate("about:blank"),
		tracing.Start().
			WithTraceConfig(&tracing.TraceConfig{IncludedCategories: traceCategories}).
			WithTransferMode(tracing.TransferModeReportEvents),
		chromedp.Navigate(srv.url),
		headless.WaitJS(`performance.getEntriesByName("`+markGoRun+`:end").length > 0`),
		tracing.End(),
	)
	if err != nil {
		return 0, err
	}
	select {
	case <-done:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	mu.Lock()
	defer mu.Unlock()
	return countCompiled(events)
}

// traceEvent is the part of a Chromium trace event that countCompiled reads.
type traceEvent struct {
	Name string  `json:"name"`
	TS   float64 `json:"ts"`
	PID  int     `json:"pid"`
	TID  int     `json:"tid"`
}

// countCompiled counts the wasm.CompileLazy events on the thread that set
// the go.run marks, between them.
func countCompiled(events []traceEvent) (int, error) {
	var start, end *traceEvent
	for i, e := range events {
		switch e.Name {
		case markGoRun + ":start":
			start = &events[i]
		case markGoRun + ":end":
			end = &events[i]
		}
	}
	if start == nil || end == nil {
		return 0, fmt.Errorf("the trace has no marks around go.run")
	}
	n := 0
	for _, e := range events {
		if e.Name == "wasm.CompileLazy" && e.PID == start.PID && e.TID == start.TID && e.TS >= start.TS && e.TS <= end.TS {
			n++
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("the trace has no wasm compile events in go.run")
	}
	return n, nil
}
