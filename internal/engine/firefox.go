package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// firefox is a Firefox ESR tab driven over WebDriver BiDi.
type firefox struct {
	conn    net.Conn
	context string
	version string

	mu      sync.Mutex
	next    int
	waiting map[int]chan bidiReply
}

// bidiReply is the answer to one BiDi command.
type bidiReply struct {
	ID      int             `json:"id"`
	Type    string          `json:"type"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// firefoxPrefs are the profile's preferences: nothing is fetched from
// the network (it is closed here), no first-run pages.
const firefoxPrefs = `user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.disabledForTesting", true);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("extensions.update.enabled", false);
`

func startFirefox(ctx context.Context, opt Options, dir string) (Browser, func(), error) {
	if _, err := os.Stat(firefoxPath); err != nil {
		return nil, nil, fmt.Errorf("%w: %s", ErrNotInstalled, firefoxPath)
	}
	prefs := firefoxPrefs
	if opt.AcceptLanguage != "" {
		prefs += `user_pref("intl.accept_languages", ` + strconv.Quote(opt.AcceptLanguage) + ");\n"
	}
	profile := filepath.Join(dir, "firefox")
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return nil, nil, fmt.Errorf("engine: profile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(prefs), 0o600); err != nil {
		return nil, nil, fmt.Errorf("engine: profile: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	cmd := exec.Command(firefoxPath, "--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port="+strconv.Itoa(port), "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	log := logTo(&out)
	cmd.Stdout, cmd.Stderr = log, log
	stop, err := startProcess(cmd)
	if err != nil {
		return nil, nil, err
	}
	var conn net.Conn
	err = untilStarted(ctx, func() (err error) {
		conn, _, _, err = ws.Dial(ctx, "ws://127.0.0.1:"+strconv.Itoa(port)+"/session")
		return err
	})
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("engine: Firefox BiDi: %w (%s)", err, tail(&out))
	}
	f := &firefox{conn: conn, waiting: map[int]chan bidiReply{}}
	go f.read()
	end := func() { conn.Close(); stop() }
	fail := func(err error) (Browser, func(), error) { end(); return nil, nil, err }
	var sess struct {
		Capabilities struct {
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := f.send(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, &sess); err != nil {
		return fail(err)
	}
	f.version = "Firefox " + sess.Capabilities.BrowserVersion
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	if err := f.send(ctx, "browsingContext.getTree", map[string]any{}, &tree); err != nil {
		return fail(err)
	}
	if len(tree.Contexts) == 0 {
		return fail(fmt.Errorf("engine: Firefox has no tab"))
	}
	f.context = tree.Contexts[0].Context
	vp := map[string]any{"context": f.context, "viewport": map[string]int{"width": opt.Width, "height": opt.Height}}
	if err := f.send(ctx, "browsingContext.setViewport", vp, nil); err != nil {
		return fail(err)
	}
	return f, end, nil
}

// read hands each reply to the command waiting for it; events are dropped.
func (f *firefox) read() {
	for {
		b, err := wsutil.ReadServerText(f.conn)
		if err != nil {
			f.mu.Lock()
			for id, c := range f.waiting {
				c <- bidiReply{ID: id, Type: "error", Error: "connection closed", Message: err.Error()}
				delete(f.waiting, id)
			}
			f.mu.Unlock()
			return
		}
		var r bidiReply
		if json.Unmarshal(b, &r) != nil || r.Type == "event" {
			continue
		}
		f.mu.Lock()
		c := f.waiting[r.ID]
		delete(f.waiting, r.ID)
		f.mu.Unlock()
		if c != nil {
			c <- r
		}
	}
}

// send sends a BiDi command and decodes its result into out.
func (f *firefox) send(ctx context.Context, method string, params, out any) error {
	f.mu.Lock()
	f.next++
	id := f.next
	c := make(chan bidiReply, 1)
	f.waiting[id] = c
	f.mu.Unlock()
	b, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	if err := wsutil.WriteClientText(f.conn, b); err != nil {
		return fmt.Errorf("engine: %s: %w", method, err)
	}
	select {
	case r := <-c:
		if r.Type == "error" {
			return fmt.Errorf("engine: %s: %s: %s", method, r.Error, r.Message)
		}
		if out == nil {
			return nil
		}
		return json.Unmarshal(r.Result, out)
	case <-ctx.Done():
		return fmt.Errorf("engine: %s: %w", method, ctx.Err())
	}
}

// Name implements Browser.
func (f *firefox) Name() string { return f.version }

// Open implements Browser.
func (f *firefox) Open(ctx context.Context, url string) error {
	return f.send(ctx, "browsingContext.navigate", map[string]any{"context": f.context, "url": url, "wait": "complete"}, nil)
}

// Eval implements Browser.
func (f *firefox) Eval(ctx context.Context, body string, out any) error {
	return f.eval(ctx, f.context, body, out)
}

// EvalFrame implements Browser.
func (f *firefox) EvalFrame(ctx context.Context, body string, out any) error {
	var tree struct {
		Contexts []struct {
			Children []struct {
				Context string `json:"context"`
			} `json:"children"`
		} `json:"contexts"`
	}
	if err := f.send(ctx, "browsingContext.getTree", map[string]any{"root": f.context, "maxDepth": 1}, &tree); err != nil {
		return err
	}
	if len(tree.Contexts) == 0 || len(tree.Contexts[0].Children) == 0 {
		return fmt.Errorf("engine: eval: the page has no iframe")
	}
	return f.eval(ctx, tree.Contexts[0].Children[0].Context, body, out)
}

// eval runs body in the browsing context id.
func (f *firefox) eval(ctx context.Context, id, body string, out any) error {
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	expr := "(() => {" + wrap(body) + "})()"
	params := map[string]any{"expression": expr, "target": map[string]any{"context": id}, "awaitPromise": true}
	if err := f.send(ctx, "script.evaluate", params, &r); err != nil {
		return err
	}
	if r.Type == "exception" {
		return fmt.Errorf("engine: eval: %s", r.ExceptionDetails.Text)
	}
	if r.Result.Type != "string" {
		return decode("null", out)
	}
	return decode(r.Result.Value, out)
}

// Screenshot implements Browser.
func (f *firefox) Screenshot(ctx context.Context) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := f.send(ctx, "browsingContext.captureScreenshot", map[string]any{"context": f.context}, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}
