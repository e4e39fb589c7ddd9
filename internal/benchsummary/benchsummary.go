package benchsummary

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Env names the file the rows are added to.
const Env = "EULAGATE_BENCH_SUMMARY"

// Row is one figure, measured against its baseline in the same run.
type Row struct {
	// Key is the figure's place in the table (see Figures).
	Key string `json:"key"`
	// Value is eulagate's figure, Baseline the baseline's, Ratio the one
	// over the other, each as printed.
	Value    string `json:"value"`
	Baseline string `json:"baseline"`
	Ratio    string `json:"ratio"`
	// Met says whether the target is met.
	Met bool `json:"met"`
}

// Figure is a row of the table: what is measured, against what, and the
// target; a row without a target explains the others.
type Figure struct {
	Key, Name, Baseline, Target string
}

// Figures are the table's rows, in order.
var Figures = []Figure{
	{"page-ru", "`GET /?lang=ru&product=…`, 32 clients: req/s", "a Go file server sending the page's gzip bytes", "≥ 0.5×"},
	{"page-ru-p99", "the same: p99 latency", "the file server's p99", "≤ 50 ms"},
	{"page-en", "`GET /?lang=en&product=…`, 32 clients: req/s", "the file server", "≥ 0.5×"},
	{"page-en-p99", "the same: p99 latency", "the file server's p99", "≤ 50 ms"},
	{"weight-ru", "page weight, ru, uncompressed", "the document's own HTML", "≤ 1.3×"},
	{"rss", "server RSS under that load: started / peak", "–", "≤ 64 MB"},
	{"postgres", "decisions/s, PostgreSQL, 64 clients", "the bare durable insert loop", "≥ 1.0×"},
	{"sqlite", "decisions/s, SQLite, 64 clients", "the bare insert loop", "≥ 1.0×"},
	{"wasm", "wasm interactive, medians, 1× cold / warm, 4× cold / warm", "go-app's hello world", "≤ 1.5×"},
	{"text", "text visible, medians, 1× cold / warm, 4× cold / warm", "the static page", "≤ 1.25× in every cell"},
	{"accept", "accept possible, medians, 1× cold / warm, 4× cold / warm", "the static page", "≤ 1.25× in every cell"},
	{"text-worker", "text visible, the same cells", "the static page with a service worker (pages from the network first, a copy kept for offline use)", ""},
	{"accept-worker", "accept possible, the same cells", "the static page with a service worker", ""},
	{"worker-floor", "the static page with a service worker: text visible, the same cells", "the static page", ""},
	{"switch", "language switch at 4×, median", "the static floor", "≤ 1.0×"},
}

// Add appends r to the file named by Env; without Env it does nothing.
func Add(r Row) error {
	file := os.Getenv(Env)
	if file == "" {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("bench summary: %w", err)
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("bench summary: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("bench summary: %w", err)
	}
	return f.Close()
}

// Read returns the rows in r, the last of each key.
func Read(r io.Reader) (map[string]Row, error) {
	rows := map[string]Row{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var row Row
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("bench summary: %q: %w", sc.Text(), err)
		}
		rows[row.Key] = row
	}
	return rows, sc.Err()
}

// Print writes the table of rows as Markdown, in the order of Figures,
// followed by the rows of keys that Figures does not list.
func Print(w io.Writer, rows map[string]Row) {
	fmt.Fprintln(w, "| figure | eulagate | baseline | ratio | target |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	known := map[string]bool{}
	for _, f := range Figures {
		known[f.Key] = true
		r, ok := rows[f.Key]
		if !ok {
			target := f.Target
			if target == "" {
				target = "–"
			}
			fmt.Fprintf(w, "| %s | not measured | %s | – | %s |\n", f.Name, f.Baseline, target)
			continue
		}
		verdict := "–"
		switch {
		case f.Target == "":
		case r.Met:
			verdict = f.Target + ": met"
		default:
			verdict = f.Target + ": missed"
		}
		base := f.Baseline
		if r.Baseline != "" && r.Baseline != "–" {
			base += ": " + r.Baseline
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", f.Name, r.Value, base, r.Ratio, verdict)
	}
	var rest []string
	for k := range rows {
		if !known[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		r := rows[k]
		fmt.Fprintf(w, "| %s | %s | %s | %s | – |\n", k, r.Value, r.Baseline, r.Ratio)
	}
}
