package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	v := s.consoleData(c, "").base(ui.ConsoleMessage, c.L.Get("title"))
	v.Problem = msg
	s.consoleServe(w, r, status, c.L, v)
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

// tallyChart charts acceptances and refusals by one field.
func tallyChart(L consoleLabels, id, title string, ts []eula.Tally) ui.ConsoleChart {
	c := ui.ConsoleChart{ID: id, Title: title, Series: []string{L.Get("accepted"), L.Get("declined")}, Classes: []string{"c-acc", "c-dec"}}
	for _, t := range ts {
		c.Rows = append(c.Rows, ui.ConsoleChartRow{Label: t.Key, Values: []int64{t.Accepted, t.Declined}})
	}
	return c
}

func (s *Server) consoleOverview(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	o, err := s.reg.Overview(r.Context())
	if err != nil {
		s.consoleFault(w, r, c, err)
		return
	}
	L := c.L
	states := ui.ConsoleChart{ID: "c-states", Title: L.Get("chart.states"), Series: []string{L.Get("installations")}, Classes: []string{"c-inst"}}
	for _, st := range []eula.State{eula.StateAccepted, eula.StateReacceptanceDue, eula.StateDeclined, eula.StateNone} {
		states.Rows = append(states.Rows, ui.ConsoleChartRow{Label: L.Get("state." + string(st)), Values: []int64{o.States[st]}})
	}
	v := s.consoleData(c, PathConsole).base(ui.ConsoleOverview, L.Get("overview"))
	v.Intro = L.Format("overview.intro", s.lib.Latest(eula.DocEULA))
	v.Charts = []ui.ConsoleChart{
		states,
		{ID: "c-deleg", Title: L.Get("chart.delegated"), Series: []string{L.Get("acceptances")}, Classes: []string{"c-acc"},
			Rows: []ui.ConsoleChartRow{{Label: L.Get("direct"), Values: []int64{o.Direct}}, {Label: L.Get("delegated"), Values: []int64{o.Delegated}}}},
		tallyChart(L, "c-version", L.Get("chart.version"), o.ByVersion),
		tallyChart(L, "c-product", L.Get("chart.product"), o.ByProduct),
		tallyChart(L, "c-language", L.Get("chart.language"), o.ByLanguage),
		tallyChart(L, "c-role", L.Get("chart.role"), o.ByRole),
		tallyChart(L, "c-channel", L.Get("chart.channel"), o.ByChannel),
	}
	s.consoleServe(w, r, http.StatusOK, L, v)
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
		s.consoleServe(w, r, http.StatusOK, c.L, d.view())
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
		s.consoleServe(w, r, status, c.L, d.view())
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
	s.consoleServe(w, r, http.StatusOK, c.L, d.view())
}

func (s *Server) consoleInstallation(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	v := r.URL.Query()
	in, err := s.reg.Installation(r.Context(), v.Get("machine"), v.Get("product"), s.verifierKey)
	if err != nil {
		s.consoleFault(w, r, c, err)
		return
	}
	s.consoleServe(w, r, http.StatusOK, c.L, installationView(s.consoleData(c, ""), in))
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
	s.consoleServe(w, r, http.StatusOK, c.L, s.privacyData(c, "", "").view())
}

// recordTime is a record's time as the console shows it.
func recordTime(r eula.Record) string { return r.Time.UTC().Format("2006-01-02 15:04:05Z") }

// installationURL is the console's page of an installation.
func installationURL(machine, product string) string {
	return PathConsoleInstallation + "?" + url.Values{"machine": {machine}, "product": {product}}.Encode()
}

// recordActor names who decided, with their organisation; empty once
// erased.
func recordActor(r eula.Record) string {
	if r.Personal == nil {
		return ""
	}
	a := r.Personal.Actor
	s := a.Name
	if a.Organization != "" {
		s += " (" + a.Organization + ")"
	}
	return s
}

// utcTimes lists times in UTC.
func utcTimes(ts []time.Time) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.UTC().Format("2006-01-02 15:04:05Z")
	}
	return strings.Join(out, ", ")
}
