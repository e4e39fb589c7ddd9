package loadbench

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/render"
	"github.com/eulagate/eulagate/internal/benchsummary"
	"github.com/eulagate/eulagate/internal/testserver"
	"github.com/eulagate/eulagate/locales"
)

// Load settings: clients at once, and how long each server is loaded.
const (
	clients  = 32
	duration = 4 * time.Second
)

// BenchmarkPages prints, for the viewer page in English and in the largest
// translation: eulagate's and the baseline's requests per second and p99
// latency with their ratios, the page's weight, and memory. It is meant
// for `make bench` (-benchtime 1x): it measures once, whatever b.N is.
func BenchmarkPages(b *testing.B) {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		b.Fatal(err)
	}
	products := lib.Products()
	if len(products) == 0 {
		b.Fatal("the library has no products")
	}
	product := products[0].Key
	srv := startEulagate(b)
	inproc := testserver.Build(b, lib).Handler
	version := lib.Latest(eula.DocEULA)
	translation, ownHTML := largestTranslation(b, lib, version)
	enHTML := documentHTML(b, lib, version, language.English)
	rssIdle, _ := memory(b, srv.cmd.Process.Pid)

	var rows []row
	for _, l := range []struct {
		tag language.Tag
		own int
	}{{translation, ownHTML}, {language.English, enHTML}} {
		path := "/?lang=" + l.tag.String() + "&product=" + product
		gz, raw := fetch(b, srv.URL+path)
		base := startBaseline(b, gz)
		r := row{lang: l.tag.String(), page: len(raw), gz: len(gz), own: l.own}
		// The two servers take turns, twice, so that whatever else the
		// machine does falls on both alike; the better of each is kept.
		for range 2 {
			r.eula = r.eula.better(hammer(b, srv.URL+path))
			r.base = r.base.better(hammer(b, base.URL+"/"))
		}
		r.eulaCost = handlerCost(inproc, path)
		r.baseCost = handlerCost(baselineHandler(gz), "/")
		r.rssAfter, r.hwmAfter = memory(b, srv.cmd.Process.Pid)
		rows = append(rows, r)
	}

	fmt.Printf("\nBenchmarkPages: GET /?lang=…&product=%s, %d clients, gzip, %s per server, best of 2 turns; baseline: a plain Go file server sending that page's gzip bytes\n\n", product, clients, duration)
	fmt.Println("| figure | eulagate | baseline | ratio |")
	fmt.Println("|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| `?lang=%s` req/s | %.0f | %.0f | %.3f× |\n", r.lang, r.eula.rps(), r.base.rps(), r.eula.rps()/r.base.rps())
		fmt.Printf("| `?lang=%s` p99 (ms) | %.1f | %.1f | %.2f× |\n", r.lang, ms(r.eula.p99), ms(r.base.p99), float64(r.eula.p99)/float64(r.base.p99))
		fmt.Printf("| `?lang=%s` handler time per request, no network (µs) | %.1f | %.1f | %.2f× |\n", r.lang,
			us(r.eulaCost), us(r.baseCost), float64(r.eulaCost)/float64(r.baseCost))
		fmt.Printf("| `?lang=%s` page, uncompressed / gzip (kB) | %.1f / %.1f | – | %.2f× the document's own HTML (%.1f kB) |\n",
			r.lang, kb(r.page), kb(r.gz), float64(r.page)/float64(r.own), kb(r.own))
		fmt.Printf("| server RSS / peak after `?lang=%s` (MB) | %.1f / %.1f | – | – |\n", r.lang, mb(r.rssAfter), mb(r.hwmAfter))
	}
	fmt.Printf("| server RSS before the load, started (MB) | %.1f | – | – |\n", mb(rssIdle))
	fmt.Println()
	summarize(b, rows[0].lang, rows, rssIdle)
}

// summarize adds the figures of issue 21's table to the run's summary
// (package benchsummary): req/s and p99 for each page, the translation's
// weight and the server's memory.
func summarize(b *testing.B, translation string, rows []row, rssIdle int) {
	var add []benchsummary.Row
	peak := 0
	for _, r := range rows {
		key := "page-en"
		if r.lang == translation {
			key = "page-ru"
			add = append(add, benchsummary.Row{Key: "weight-" + r.lang,
				Value: fmt.Sprintf("%.1f kB", kb(r.page)), Baseline: fmt.Sprintf("%.1f kB", kb(r.own)),
				Ratio: fmt.Sprintf("%.2f×", float64(r.page)/float64(r.own)), Met: float64(r.page) <= 1.3*float64(r.own)})
		}
		ratio := r.eula.rps() / r.base.rps()
		add = append(add,
			benchsummary.Row{Key: key, Value: fmt.Sprintf("%.0f /s", r.eula.rps()), Baseline: fmt.Sprintf("%.0f /s", r.base.rps()),
				Ratio: fmt.Sprintf("%.2f×", ratio), Met: ratio >= 0.5},
			benchsummary.Row{Key: key + "-p99", Value: fmt.Sprintf("%.1f ms", ms(r.eula.p99)), Baseline: fmt.Sprintf("%.1f ms", ms(r.base.p99)),
				Ratio: fmt.Sprintf("%.2f×", float64(r.eula.p99)/float64(r.base.p99)), Met: r.eula.p99 <= 50*time.Millisecond})
		peak = max(peak, r.hwmAfter)
	}
	add = append(add, benchsummary.Row{Key: "rss", Value: fmt.Sprintf("%.1f / %.1f MB", mb(rssIdle), mb(peak)), Baseline: "–", Ratio: "–", Met: float64(peak) <= 64e6})
	for _, r := range add {
		if err := benchsummary.Add(r); err != nil {
			b.Error(err)
		}
	}
}

// row is one page's figures.
type row struct {
	lang               string
	page, gz           int
	own                int
	eula, base         load
	rssAfter, hwmAfter int
	eulaCost, baseCost time.Duration
}

// largestTranslation returns the translation of version whose rendered
// document is the largest, and that size.
func largestTranslation(b *testing.B, lib *eula.Library, version string) (language.Tag, int) {
	best, size := language.Und, -1
	for _, t := range lib.Languages(eula.DocEULA, version) {
		if t == language.English {
			continue
		}
		if n := documentHTML(b, lib, version, t); n > size {
			best, size = t, n
		}
	}
	if size < 0 {
		b.Fatalf("version %s has no translation", version)
	}
	return best, size
}

// documentHTML returns the length of a document's own HTML: its sections
// rendered, as eulagate renders them.
func documentHTML(b *testing.B, lib *eula.Library, version string, t language.Tag) int {
	doc, err := lib.Document(eula.DocEULA, version, t)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for i := range doc.Sections {
		h, err := render.RenderSection(&doc.Sections[i])
		if err != nil {
			b.Fatal(err)
		}
		n += len(h.String())
	}
	return n
}

// server is a server process that the benchmark loads.
type server struct {
	URL string
	cmd *exec.Cmd
}

// startEulagate runs the eulagate binary (EULAGATE_BIN, or the one `make
// build` leaves at the module's root) as `eulagate serve` over a fresh data
// directory, in a process of its own, so that its memory and its garbage
// collector are its own and not the load clients'.
func startEulagate(b *testing.B) *server {
	bin := os.Getenv("EULAGATE_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "eulagate")
	}
	if _, err := os.Stat(bin); err != nil {
		b.Skipf("no eulagate binary at %s (run `make build`, or set EULAGATE_BIN): %v", bin, err)
	}
	return startProcess(b, exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", b.TempDir(), "--log", "json"))
}

// startBaseline serves gz, a gzip-compressed HTML page, as a static file,
// from this test binary run again as a process of its own (see TestMain).
func startBaseline(b *testing.B, gz []byte) *server {
	file := filepath.Join(b.TempDir(), "index.html.gz")
	if err := os.WriteFile(file, gz, 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), baselineEnv+"="+file)
	return startProcess(b, cmd)
}

// startProcess starts cmd, which prints the URL it serves on as its first
// line, and stops it at the end of the benchmark.
func startProcess(b *testing.B, cmd *exec.Cmd) *server {
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("%s: no URL: %v", cmd.Path, err)
	}
	go io.Copy(io.Discard, out)
	return &server{URL: strings.TrimSuffix(strings.TrimSpace(line), "/"), cmd: cmd}
}

// baselineEnv names the file that the test binary serves, run again as
// the baseline.
const baselineEnv = "EULAGATE_LOADBENCH_FILE"

// TestMain serves the file in baselineEnv, when set, as the baseline: a
// plain Go file server sending a page's gzip bytes with http.ServeContent.
func TestMain(m *testing.M) {
	file := os.Getenv(baselineEnv)
	if file == "" {
		os.Exit(m.Run())
	}
	gz, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s/\n", ln.Addr())
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		<-sig
		os.Exit(0)
	}()
	http.Serve(ln, baselineHandler(gz))
}

// baselineHandler serves gz, a gzip-compressed HTML page, as a static file.
func baselineHandler(gz []byte) http.Handler {
	mod := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Vary", "Accept-Encoding")
		http.ServeContent(w, r, "index.html", mod, bytes.NewReader(gz))
	})
}

// client asks for gzip and reads the bytes as sent.
var client = &http.Client{Transport: &http.Transport{
	DisableCompression:  true,
	MaxIdleConnsPerHost: clients,
	MaxIdleConns:        clients * 2,
}}

// fetch returns the gzip answer for url, and the page it holds.
func fetch(b *testing.B, url string) (gz, raw []byte) {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	gz, err = io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		b.Fatalf("GET %s: %s, %q, %v", url, resp.Status, resp.Header.Get("Content-Encoding"), err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		b.Fatal(err)
	}
	raw, err = io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	if !strings.Contains(string(raw), "</html>") {
		b.Fatalf("GET %s: not a whole page", url)
	}
	return gz, raw
}

// load is one server's figures.
type load struct {
	n       int
	elapsed time.Duration
	p99     time.Duration
}

func (l load) rps() float64 { return float64(l.n) / l.elapsed.Seconds() }

// better returns whichever of l and m served more requests per second.
func (l load) better(m load) load {
	if l.n == 0 || m.rps() > l.rps() {
		return m
	}
	return l
}

// hammer sends GET url from clients goroutines for duration, reading each
// answer whole, and returns the count and the p99 latency.
func hammer(b *testing.B, url string) load {
	runtime.GC()
	var (
		mu    sync.Mutex
		lat   []time.Duration
		wg    sync.WaitGroup
		fails int
	)
	start := time.Now()
	end := start.Add(duration)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(end) {
				t := time.Now()
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Accept-Encoding", "gzip, deflate, br")
				resp, err := client.Do(req)
				if err != nil {
					mu.Lock()
					fails++
					mu.Unlock()
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					mu.Lock()
					fails++
					mu.Unlock()
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if fails > 0 || len(lat) == 0 {
		b.Fatalf("GET %s: %d of %d requests failed", url, fails, len(lat))
	}
	slices.Sort(lat)
	return load{n: len(lat), elapsed: elapsed, p99: lat[len(lat)*99/100]}
}

// handlerCost returns the time h takes to answer GET path with gzip, in
// this goroutine, to a writer that throws the body away: the server's own
// work, without the network and the load clients, which share the cores.
// It is the best of 10 batches of 200, so that the other work of the
// machine counts as little as it can.
func handlerCost(h http.Handler, path string) time.Duration {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	h.ServeHTTP(&discard{header: http.Header{}}, req) // fills the page cache
	best := time.Duration(0)
	for range 10 {
		runtime.GC()
		start := time.Now()
		for range 200 {
			h.ServeHTTP(&discard{header: http.Header{}}, req)
		}
		if d := time.Since(start) / 200; best == 0 || d < best {
			best = d
		}
	}
	return best
}

// discard is a ResponseWriter that throws the answer away.
type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }

// memory returns a process's VmRSS and VmHWM in bytes.
func memory(b *testing.B, pid int) (rss, hwm int) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Logf("no /proc/%d/status: %v", pid, err)
		return 0, 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		var kB int
		if _, err := fmt.Sscanf(line, "VmRSS: %d kB", &kB); err == nil {
			rss = kB << 10
		}
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kB); err == nil {
			hwm = kB << 10
		}
	}
	return rss, hwm
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
func kb(n int) float64           { return float64(n) / 1000 }
func mb(n int) float64           { return float64(n) / 1e6 }
