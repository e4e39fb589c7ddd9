package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// webkit is a MiniBrowser window driven by WebKitWebDriver over classic
// WebDriver.
type webkit struct {
	base    string // http://127.0.0.1:port/session/id
	version string
}

func startWebKit(ctx context.Context, opt Options) (Browser, func(), error) {
	for _, p := range []string{webkitDriver, xvfbRun, miniBrowserDir} {
		if _, err := os.Stat(p); err != nil {
			return nil, nil, fmt.Errorf("%w: %s", ErrNotInstalled, p)
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	cmd := exec.Command(xvfbRun, "-a", "-s", "-screen 0 1600x1200x24", webkitDriver, "--port="+strconv.Itoa(port))
	log := logTo(&out)
	cmd.Stdout, cmd.Stderr = log, log
	stop, err := startProcess(cmd)
	if err != nil {
		return nil, nil, err
	}
	root := "http://127.0.0.1:" + strconv.Itoa(port)
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"webkitgtk:browserOptions": map[string]any{"binary": miniBrowserDir, "args": []string{"--automation"}},
	}}}
	var sess struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	err = untilStarted(ctx, func() error { return call(ctx, http.MethodPost, root+"/session", caps, &sess) })
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("engine: WebKitWebDriver session: %w (%s)", err, tail(&out))
	}
	w := &webkit{base: root + "/session/" + sess.SessionID, version: "WebKitGTK " + sess.Capabilities.BrowserVersion}
	end := func() {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = call(c, http.MethodDelete, w.base, nil, nil)
		stop()
	}
	if err := w.size(ctx, opt.Width, opt.Height); err != nil {
		end()
		return nil, nil, err
	}
	return w, end, nil
}

// size makes the viewport width×height: the window's size less its
// frame's, measured once.
func (w *webkit) size(ctx context.Context, width, height int) error {
	if err := call(ctx, http.MethodPost, w.base+"/window/rect", map[string]int{"width": width, "height": height}, nil); err != nil {
		return fmt.Errorf("engine: window size: %w", err)
	}
	var inner [2]int
	if err := w.Eval(ctx, "return [innerWidth, innerHeight]", &inner); err != nil {
		return err
	}
	if inner[0] == width && inner[1] == height {
		return nil
	}
	body := map[string]int{"width": 2*width - inner[0], "height": 2*height - inner[1]}
	if err := call(ctx, http.MethodPost, w.base+"/window/rect", body, nil); err != nil {
		return fmt.Errorf("engine: window size: %w", err)
	}
	return nil
}

// Name implements Browser.
func (w *webkit) Name() string { return w.version }

// Open implements Browser.
func (w *webkit) Open(ctx context.Context, url string) error {
	if err := call(ctx, http.MethodPost, w.base+"/url", map[string]string{"url": url}, nil); err != nil {
		return fmt.Errorf("engine: open %s: %w", url, err)
	}
	return nil
}

// Eval implements Browser.
func (w *webkit) Eval(ctx context.Context, body string, out any) error {
	var s *string
	var err error
	// WebKitWebDriver answers "Could not parse script result" now and
	// then while the page's scripts are busy: try again a few times.
	for try := 0; try < 20; try++ {
		err = call(ctx, http.MethodPost, w.base+"/execute/sync", map[string]any{"script": wrap(body), "args": []any{}}, &s)
		if err == nil || !strings.Contains(err.Error(), "Could not parse script result") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("engine: eval: %w", err)
	}
	if s == nil {
		return decode("null", out)
	}
	return decode(*s, out)
}

// EvalFrame implements Browser.
func (w *webkit) EvalFrame(ctx context.Context, body string, out any) error {
	if err := call(ctx, http.MethodPost, w.base+"/frame", map[string]any{"id": 0}, nil); err != nil {
		return fmt.Errorf("engine: eval: the iframe: %w", err)
	}
	err := w.Eval(ctx, body, out)
	if perr := call(ctx, http.MethodPost, w.base+"/frame/parent", map[string]any{}, nil); err == nil && perr != nil {
		err = fmt.Errorf("engine: eval: back from the iframe: %w", perr)
	}
	return err
}

// Screenshot implements Browser.
func (w *webkit) Screenshot(ctx context.Context) ([]byte, error) {
	var s string
	if err := call(ctx, http.MethodGet, w.base+"/screenshot", nil, &s); err != nil {
		return nil, fmt.Errorf("engine: screenshot: %w", err)
	}
	return base64.StdEncoding.DecodeString(s)
}

// call sends a WebDriver command and decodes its value into out.
func call(ctx context.Context, method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("%s %s: %s: %w", method, url, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", resp.Status, r.Value)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(r.Value, out)
}
