package web

import (
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/i18n"
)

// consoleKeys starts the keys of the console's messages in the catalogs.
const consoleKeys = "console."

// consoleLabels are the console's strings in one language: the "console."
// messages of the catalogs (locales/ui).
type consoleLabels struct {
	lang string
	l    ui.Labels
}

// consoleLang chooses the console's language: the lang parameter, else the
// browser's Accept-Language, else English.
func consoleLang(param, accept string) consoleLabels {
	tag, set := labelsOf(i18n.Preferences(param, accept))
	return consoleLabels{lang: tag.String(), l: set.console}
}

// Lang returns the language's tag.
func (l consoleLabels) Lang() string { return l.lang }

// Get returns the string for key.
func (l consoleLabels) Get(key string) string { return l.l.Get(consoleKeys + key) }

// Format returns the string for key with {1}, {2}, ... replaced by args.
func (l consoleLabels) Format(key string, args ...any) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = fmt.Sprint(a)
	}
	return l.l.Format(consoleKeys+key, s...)
}

// consoleData is what every console page shows around its content.
type consoleData struct {
	L    consoleLabels
	CSRF string
	// Nav is the current page's path.
	Nav string
}

func (s *Server) consoleData(c *consoleCtx, nav string) consoleData {
	return consoleData{L: c.L, CSRF: c.sess.csrf, Nav: nav}
}

// consoleMessage shows a page with one message.
func (s *Server) consoleMessage(w http.ResponseWriter, r *http.Request, c *consoleCtx, status int, msg string) {
	s.writePage(w, r, status, consoleMessageTmpl, struct {
		consoleData
		Message string
	}{s.consoleData(c, ""), msg})
}

// consoleFault shows a page for an error: the error's text for a
// client's mistake, a generic message (and a log line) for a fault.
func (s *Server) consoleFault(w http.ResponseWriter, r *http.Request, c *consoleCtx, err error) {
	status, _ := statusOf(err)
	msg := err.Error()
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "console request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		msg = c.L.Get("fault")
	}
	s.consoleMessage(w, r, c, status, msg)
}

// chart is a horizontal bar chart drawn as SVG, with its table.
type chart struct {
	ID, Title string
	// Series name the columns; Classes style each series' bars.
	Series, Classes []string
	Rows            []chartRow
	Width, Height   int
}

type chartRow struct {
	Label  string
	Values []int64
	Y      int
	Segs   []chartSeg
	Total  int64
}

type chartSeg struct {
	X, W  int
	Class string
}

// Geometry of the charts, in SVG user units.
const (
	chartLabelW = 170
	chartBarW   = 330
	chartRowH   = 26
)

// newChart lays out rows of values (one per series) as stacked bars scaled
// to the largest row.
func newChart(id, title string, series, classes []string, labels []string, values [][]int64) chart {
	c := chart{ID: id, Title: title, Series: series, Classes: classes, Width: chartLabelW + chartBarW + 70}
	var max int64
	for _, vs := range values {
		var t int64
		for _, v := range vs {
			t += v
		}
		if t > max {
			max = t
		}
	}
	for i, vs := range values {
		row := chartRow{Label: labels[i], Values: vs, Y: i * chartRowH}
		x := chartLabelW
		for j, v := range vs {
			row.Total += v
			w := 0
			if max > 0 {
				w = int(v * chartBarW / max)
			}
			if v > 0 && w == 0 {
				w = 1
			}
			row.Segs = append(row.Segs, chartSeg{X: x, W: w, Class: classes[j]})
			x += w
		}
		c.Rows = append(c.Rows, row)
	}
	c.Height = len(values)*chartRowH + 4
	return c
}

// tallyChart charts acceptances and refusals by one field.
func tallyChart(L consoleLabels, id, title string, ts []eula.Tally) chart {
	labels := make([]string, len(ts))
	values := make([][]int64, len(ts))
	for i, t := range ts {
		labels[i], values[i] = t.Key, []int64{t.Accepted, t.Declined}
	}
	return newChart(id, title, []string{L.Get("accepted"), L.Get("declined")}, []string{"c-acc", "c-dec"}, labels, values)
}

func (s *Server) consoleOverview(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	o, err := s.reg.Overview(r.Context())
	if err != nil {
		s.consoleFault(w, r, c, err)
		return
	}
	L := c.L
	states := []eula.State{eula.StateAccepted, eula.StateReacceptanceDue, eula.StateDeclined, eula.StateNone}
	sl := make([]string, len(states))
	sv := make([][]int64, len(states))
	for i, st := range states {
		sl[i], sv[i] = L.Get("state."+string(st)), []int64{o.States[st]}
	}
	charts := []chart{
		newChart("c-states", L.Get("chart.states"), []string{L.Get("installations")}, []string{"c-inst"}, sl, sv),
		newChart("c-deleg", L.Get("chart.delegated"), []string{L.Get("acceptances")}, []string{"c-acc"},
			[]string{L.Get("direct"), L.Get("delegated")}, [][]int64{{o.Direct}, {o.Delegated}}),
		tallyChart(L, "c-version", L.Get("chart.version"), o.ByVersion),
		tallyChart(L, "c-product", L.Get("chart.product"), o.ByProduct),
		tallyChart(L, "c-language", L.Get("chart.language"), o.ByLanguage),
		tallyChart(L, "c-role", L.Get("chart.role"), o.ByRole),
		tallyChart(L, "c-channel", L.Get("chart.channel"), o.ByChannel),
	}
	s.writePage(w, r, http.StatusOK, consoleOverviewTmpl, struct {
		consoleData
		Charts  []chart
		Current string
	}{s.consoleData(c, PathConsole), charts, s.lib.Latest(eula.DocEULA)})
}

// searchData is what the search page shows.
type searchData struct {
	consoleData
	V                url.Values
	Products         []eula.Product
	Result           *eula.SearchResult
	From, To, Page   int
	PrevURL, NextURL string
	CSVURL, JSONLURL string
	Problem          string
	Decisions, Roles []string
}

func (s *Server) consoleSearch(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	v := r.URL.Query()
	v.Del("lang")
	d := searchData{consoleData: s.consoleData(c, PathConsoleSearch), V: v, Products: s.lib.Products(),
		Decisions: []string{string(eula.Accepted), string(eula.Declined)},
		Roles: []string{string(eula.RoleEndUser), string(eula.RoleDealer), string(eula.RoleIntegrator),
			string(eula.RoleAdministrator), string(eula.RoleDelegated)}}
	if len(v) == 0 {
		s.writePage(w, r, http.StatusOK, consoleSearchTmpl, d)
		return
	}
	q, err := queryOf(v)
	if err == nil {
		var res eula.SearchResult
		if res, err = s.reg.Search(r.Context(), q); err == nil {
			d.Result = &res
		}
	}
	if err != nil {
		status, _ := statusOf(err)
		if status >= 500 {
			s.consoleFault(w, r, c, err)
			return
		}
		d.Problem = err.Error()
		s.writePage(w, r, status, consoleSearchTmpl, d)
		return
	}
	d.Page = q.Offset/consolePageSize + 1
	d.From, d.To = q.Offset+1, q.Offset+len(d.Result.Records)
	page := func(n int) string {
		u := url.Values{}
		for k, vs := range v {
			u[k] = vs
		}
		u.Set("page", strconv.Itoa(n))
		return PathConsoleSearch + "?" + u.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = page(d.Page - 1)
	}
	if int64(d.To) < d.Result.Total || d.Result.More {
		d.NextURL = page(d.Page + 1)
	}
	export := func(f string) string {
		u := url.Values{}
		for k, vs := range v {
			if k != "page" {
				u[k] = vs
			}
		}
		u.Set("format", f)
		return PathConsoleExport + "?" + u.Encode()
	}
	d.CSVURL, d.JSONLURL = export(eula.FormatCSV), export(eula.FormatJSONL)
	s.writePage(w, r, http.StatusOK, consoleSearchTmpl, d)
}

func (s *Server) consoleInstallation(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	v := r.URL.Query()
	in, err := s.reg.Installation(r.Context(), v.Get("machine"), v.Get("product"), s.verifierKey)
	if err != nil {
		s.consoleFault(w, r, c, err)
		return
	}
	s.writePage(w, r, http.StatusOK, consoleInstallationTmpl, struct {
		consoleData
		In eula.Installation
	}{s.consoleData(c, ""), in})
}

// privacyData is what the privacy page shows.
type privacyData struct {
	consoleData
	Email   string
	Problem string
	// Confirm asks to confirm the erasure of Found records; Done reports
	// Erased records erased.
	Confirm, Done bool
	Found, Erased int
}

func (s *Server) privacyData(c *consoleCtx, email, problem string) privacyData {
	return privacyData{consoleData: s.consoleData(c, PathConsolePrivacy), Email: email, Problem: problem}
}

func (s *Server) consolePrivacy(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	s.writePage(w, r, http.StatusOK, consolePrivacyTmpl, s.privacyData(c, "", ""))
}

var consoleFuncs = template.FuncMap{
	"time": func(r eula.Record) string { return r.Time.UTC().Format("2006-01-02 15:04:05Z") },
	"instURL": func(machine, product string) string {
		return PathConsoleInstallation + "?" + url.Values{"machine": {machine}, "product": {product}}.Encode()
	},
	"actor": func(r eula.Record) string {
		if r.Personal == nil {
			return ""
		}
		a := r.Personal.Actor
		s := a.Name
		if a.Organization != "" {
			s += " (" + a.Organization + ")"
		}
		return s
	},
	"add":     func(a, b int) int { return a + b },
	"langURL": func(path, lang string) string { return path + "?lang=" + url.QueryEscape(lang) },
}

const consoleStyle = `<style>
.console-nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.console-nav a[aria-current=page]{font-weight:700;text-decoration:none}
.console-nav form{margin:0}
.console-charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(30rem,1fr));gap:1rem}
.console-charts figure{margin:0;border:1px solid var(--border);border-radius:6px;padding:.5rem 1rem}
.console-charts svg{max-width:100%;height:auto}
.console-charts svg text{font-size:13px;fill:currentColor}
.c-acc{fill:#1f6f3f}.c-dec{fill:#a00000}.c-inst{fill:#1f4e79}
.legend span{display:inline-block;width:.8em;height:.8em;margin-inline:.6em .3em}
.legend .c-acc{background:#1f6f3f}.legend .c-dec{background:#a00000}.legend .c-inst{background:#1f4e79}
table.console{border-collapse:collapse;width:100%;font-size:.9rem}
table.console th,table.console td{border-bottom:1px solid var(--border);padding:.3rem .4rem;text-align:start;vertical-align:top}
td.num,th.num{text-align:end}
.console-form{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.5rem 1rem}
.console-form label{display:block;font-weight:600}
.console-form input,.console-form select{width:100%;box-sizing:border-box;padding:.4rem;font-size:1rem}
.console-actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.75rem 0}
.problem{border:2px solid #a00000;padding:.6rem;border-radius:6px}
.ok{color:#1f6f3f;font-weight:600}.bad{color:#a00000;font-weight:600}
ol.chain{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;padding:0;align-items:center}
ol.chain li{border:1px solid var(--border);border-radius:6px;padding:.3rem .6rem;background:var(--panel)}
ol.chain li+li::before{content:"\2190";margin-inline-end:.4rem}
.decisions>li{margin-bottom:.75rem}
code{overflow-wrap:anywhere}
</style>`

// consoleBase is the frame of every console page; pages define "main".
var consoleBase = template.Must(template.New("console").Funcs(consoleFuncs).Parse(`<!DOCTYPE html>
<html lang="{{.L.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{template "title" .}} – {{.L.Get "title"}}</title><link rel="stylesheet" href="/web/eulagate.css">` + consoleStyle + `</head>
<body><div class="eula-page eula-page-wide"><a class="eula-skip" href="#main">{{.L.Get "skip"}}</a>
<header class="eula-header"><div class="eula-header-top"><div class="eula-heading"><p class="eula-product">{{.L.Get "title"}}</p><h1>{{template "title" .}}</h1></div>
{{if .CSRF}}<nav class="console-nav" aria-label="{{.L.Get "nav"}}">
<a href="/console"{{if eq .Nav "/console"}} aria-current="page"{{end}}>{{.L.Get "overview"}}</a>
<a href="/console/search"{{if eq .Nav "/console/search"}} aria-current="page"{{end}}>{{.L.Get "search"}}</a>
<a href="/console/privacy"{{if eq .Nav "/console/privacy"}} aria-current="page"{{end}}>{{.L.Get "privacy"}}</a>
<form method="post" action="/console/signout"><input type="hidden" name="csrf" value="{{.CSRF}}"><button class="eula-tool" type="submit">{{.L.Get "signout"}}</button></form>
</nav>{{end}}</div></header>
<main id="main">{{template "main" .}}</main></div></body></html>`))

func consolePageTmpl(src string) *template.Template {
	return template.Must(template.Must(consoleBase.Clone()).Parse(src))
}

var consoleSignInTmpl = consolePageTmpl(`{{define "title"}}{{.L.Get "signin.title"}}{{end}}{{define "main"}}
{{if .Problem}}<p class="problem" role="alert">{{.Problem}}</p>{{end}}
<p>{{.L.Get "signin.intro"}}</p>
<form method="post" action="/console/signin"><input type="hidden" name="csrf" value="{{.Token}}"><input type="hidden" name="lang" value="{{.L.Lang}}">
<div class="console-form"><div><label for="token">{{.L.Get "signin.token"}}</label><input id="token" name="token" type="password" autocomplete="current-password" required></div></div>
<div class="console-actions"><button class="eula-tool" type="submit">{{.L.Get "signin.submit"}}</button></div></form>{{end}}`)

var consoleMessageTmpl = consolePageTmpl(`{{define "title"}}{{.L.Get "title"}}{{end}}{{define "main"}}<p class="problem" role="alert">{{.Message}}</p><p><a href="/console">{{.L.Get "back"}}</a></p>{{end}}`)

var consoleOverviewTmpl = consolePageTmpl(`{{define "title"}}{{.L.Get "overview"}}{{end}}{{define "main"}}
<p>{{.L.Format "overview.intro" .Current}}</p>
<div class="console-charts">{{range .Charts}}{{$c := .}}<figure aria-labelledby="{{.ID}}-t">
<h2 id="{{.ID}}-t">{{.Title}}</h2>
<p class="legend" aria-hidden="true">{{range $i, $s := .Series}}<span class="{{index $c.Classes $i}}"></span>{{$s}}{{end}}</p>
<svg viewBox="0 0 {{.Width}} {{.Height}}" width="{{.Width}}" height="{{.Height}}" aria-hidden="true" focusable="false">
{{range .Rows}}<text x="0" y="{{add .Y 17}}">{{.Label}}</text>{{$y := .Y}}{{range .Segs}}<rect x="{{.X}}" y="{{add $y 4}}" width="{{.W}}" height="18" class="{{.Class}}"/>{{end}}<text x="{{add 505 0}}" y="{{add .Y 17}}">{{.Total}}</text>{{end}}
</svg>
<table class="console"><caption class="eula-visually-hidden">{{.Title}}</caption><thead><tr><th scope="col"></th>{{range .Series}}<th scope="col" class="num">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr><th scope="row">{{.Label}}</th>{{range .Values}}<td class="num">{{.}}</td>{{end}}</tr>{{else}}<tr><td colspan="3">{{$.L.Get "none"}}</td></tr>{{end}}</tbody></table>
</figure>{{end}}</div>{{end}}`)

var consoleSearchTmpl = consolePageTmpl(`{{define "title"}}{{.L.Get "search"}}{{end}}{{define "main"}}
<form method="get" action="/console/search"><div class="console-form">
<div><label for="machine">{{.L.Get "f.machine"}}</label><input id="machine" name="machine" value="{{.V.Get "machine"}}"></div>
<div><label for="product">{{.L.Get "f.product"}}</label><select id="product" name="product"><option value="">{{.L.Get "any"}}</option>{{$p := .V.Get "product"}}{{range .Products}}<option value="{{.Key}}"{{if eq .Key $p}} selected{{end}}>{{.Name}}</option>{{end}}</select></div>
<div><label for="version">{{.L.Get "f.version"}}</label><input id="version" name="version" value="{{.V.Get "version"}}"></div>
<div><label for="reference">{{.L.Get "f.reference"}}</label><input id="reference" name="reference" value="{{.V.Get "reference"}}"></div>
<div><label for="organization">{{.L.Get "f.organization"}}</label><input id="organization" name="organization" value="{{.V.Get "organization"}}"></div>
<div><label for="decision">{{.L.Get "f.decision"}}</label><select id="decision" name="decision"><option value="">{{.L.Get "any"}}</option>{{$d := .V.Get "decision"}}{{range .Decisions}}<option value="{{.}}"{{if eq . $d}} selected{{end}}>{{$.L.Get .}}</option>{{end}}</select></div>
<div><label for="role">{{.L.Get "f.role"}}</label><select id="role" name="role"><option value="">{{.L.Get "any"}}</option>{{$r := .V.Get "role"}}{{range .Roles}}<option value="{{.}}"{{if eq . $r}} selected{{end}}>{{.}}</option>{{end}}</select></div>
<div><label for="since">{{.L.Get "f.since"}}</label><input id="since" name="since" type="date" value="{{.V.Get "since"}}"></div>
<div><label for="until">{{.L.Get "f.until"}}</label><input id="until" name="until" type="date" value="{{.V.Get "until"}}"></div>
</div><div class="console-actions"><button class="eula-tool" type="submit">{{.L.Get "search.submit"}}</button></div></form>
{{if .Problem}}<p class="problem" role="alert">{{.Problem}}</p>{{end}}
{{with .Result}}<h2 id="results">{{if .More}}{{$.L.Format "search.count.more" .Total}}{{else}}{{$.L.Format "search.count" .Total}}{{end}}</h2>
{{if .Records}}<p>{{if .More}}{{$.L.Format "search.range.more" $.From $.To .Total}}{{else}}{{$.L.Format "search.range" $.From $.To .Total}}{{end}}</p>
<div class="console-actions"><a href="{{$.CSVURL}}" download>{{$.L.Get "export.csv"}}</a><a href="{{$.JSONLURL}}" download>{{$.L.Get "export.jsonl"}}</a></div>
<table class="console" aria-labelledby="results"><thead><tr><th scope="col">{{$.L.Get "col.time"}}</th><th scope="col">{{$.L.Get "f.machine"}}</th><th scope="col">{{$.L.Get "f.product"}}</th><th scope="col">{{$.L.Get "f.version"}}</th><th scope="col">{{$.L.Get "col.language"}}</th><th scope="col">{{$.L.Get "f.decision"}}</th><th scope="col">{{$.L.Get "f.role"}}</th><th scope="col">{{$.L.Get "col.channel"}}</th><th scope="col">{{$.L.Get "col.actor"}}</th></tr></thead><tbody>
{{range .Records}}<tr><td>{{time .}}</td><td><a href="{{instURL .Installer.MachineID .Product}}">{{.Installer.MachineID}}</a></td><td>{{.Product}}</td><td>{{.Document.Version}}</td><td>{{.Document.Language}}</td><td>{{$.L.Get (print .Decision)}}</td><td>{{.Role}}</td><td>{{.Channel}}</td><td>{{if .Erased}}{{$.L.Get "erased"}}{{else}}{{actor .}}{{end}}</td></tr>{{end}}
</tbody></table>
<nav class="console-actions" aria-label="{{$.L.Get "pages"}}">{{if $.PrevURL}}<a href="{{$.PrevURL}}" rel="prev">{{$.L.Get "prev"}}</a>{{end}}{{if $.NextURL}}<a href="{{$.NextURL}}" rel="next">{{$.L.Get "next"}}</a>{{end}}</nav>
{{end}}{{end}}{{end}}`)

var consoleInstallationTmpl = consolePageTmpl(`{{define "title"}}{{.L.Format "inst.title" .In.MachineID}}{{end}}{{define "main"}}
<p>{{.L.Format "inst.product" .In.Product}}</p>
<h2>{{.L.Get "inst.status"}}</h2><p class="eula-notice"><strong>{{.L.Get (print "state." .In.Status.State)}}</strong>&nbsp;{{.L.Format "inst.current" .In.Status.CurrentVersion}}</p>
<h2>{{.L.Get "inst.decisions"}}</h2><ol class="decisions">
{{range .In.Records}}<li><strong>{{time .}}</strong> — {{$.L.Get (print .Decision)}}, {{.Document.ID}} {{.Document.Version}} ({{.Document.Language}}), {{.Role}}, {{.Channel}}{{if not .Erased}}{{with actor .}}, {{.}}{{end}}{{else}}, {{$.L.Get "erased"}}{{end}}<br>
<code>{{.ID}}</code> · {{$.L.Format "inst.index" .Index}} ·
{{with index $.In.Verified .ID}}<span class="ok">{{$.L.Format "verified" .}}</span>{{else}}<span class="bad">{{$.L.Get "notverified"}}</span> {{index $.In.Failed .ID}}{{end}}
{{with index $.In.Chains .ID}}<div><span>{{$.L.Get "chain"}}</span> <ol class="chain" aria-label="{{$.L.Get "chain"}}">{{range .Chain}}<li>{{.Record.Role}} · {{.Record.Installer.MachineID}} · {{time .Record}}</li>{{end}}</ol>
<p>{{if eq .Check "ok"}}<span class="ok">{{$.L.Get "chain.ok"}}</span>{{else}}<span class="bad">{{.Check}}</span>{{end}}</p></div>{{end}}</li>{{end}}
</ol>{{end}}`)

var consolePrivacyTmpl = consolePageTmpl(`{{define "title"}}{{.L.Get "privacy"}}{{end}}{{define "main"}}
{{if .Problem}}<p class="problem" role="alert">{{.Problem}}</p>{{end}}
{{if .Done}}<p class="eula-notice" role="status">{{.L.Format "erase.done" .Erased}}</p>{{end}}
{{if .Confirm}}<section aria-labelledby="confirm-h"><h2 id="confirm-h">{{.L.Get "erase.confirm"}}</h2>
<p>{{.L.Format "erase.found" .Found .Email}}</p>
<p><strong>{{.L.Get "erase.goes.h"}}</strong> {{.L.Get "erase.goes"}}</p>
<p><strong>{{.L.Get "erase.stays.h"}}</strong> {{.L.Get "erase.stays"}}</p>
<form method="post" action="/console/privacy/erase"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="email" value="{{.Email}}"><input type="hidden" name="confirm" value="yes">
<div class="console-actions"><button class="eula-tool" type="submit">{{.L.Get "erase.yes"}}</button><a href="/console/privacy">{{.L.Get "erase.no"}}</a></div></form></section>
{{else}}<p>{{.L.Get "privacy.intro"}}</p>
<form method="post"><input type="hidden" name="csrf" value="{{.CSRF}}"><div class="console-form"><div><label for="email">{{.L.Get "privacy.email"}}</label><input id="email" name="email" type="email" value="{{.Email}}" required></div></div>
<div class="console-actions"><button class="eula-tool" type="submit" formaction="/console/privacy/access">{{.L.Get "privacy.access"}}</button><button class="eula-tool" type="submit" formaction="/console/privacy/erase">{{.L.Get "privacy.erase"}}</button></div></form>{{end}}{{end}}`)
