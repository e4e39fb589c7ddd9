package app

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// hiddenCSRF is a form's CSRF field.
func hiddenCSRF(token string) app.UI {
	return app.Input().Type("hidden").Name("csrf").Value(attr(token))
}

func consoleSignInForm(v ConsoleView, l func(string) string) app.UI {
	return app.Div().Body(
		app.P().Text(l("signin.intro")),
		app.Form().Method("post").Action(PathConsoleSignIn).Body(
			hiddenCSRF(v.SignInToken),
			app.Input().Type("hidden").Name("lang").Value(attr(v.Lang)),
			app.Div().Class("console-form").Body(
				app.Div().Body(
					app.Label().For("token").Text(l("signin.token")),
					app.Input().ID("token").Name("token").Type("password").Attr("autocomplete", "current-password").Required(true),
				),
			),
			app.Div().Class("console-actions").Body(
				app.Button().Class("eula-tool").Type("submit").Text(l("signin.submit")),
			),
		),
	)
}

// Geometry of a chart's bars, in SVG user units.
const (
	chartBarW = 330
	chartBarH = 18
)

// barSVG draws one stacked bar of values, scaled so that max fills the
// width, as SVG. It is made from numbers and fixed class names only, never
// from text, so that it can be written as raw HTML.
func barSVG(values []int64, classes []string, max int64) string {
	var b strings.Builder
	b.WriteString(`<svg class="c-bar" viewBox="0 0 ` + strconv.Itoa(chartBarW) + ` ` + strconv.Itoa(chartBarH) +
		`" width="` + strconv.Itoa(chartBarW) + `" height="` + strconv.Itoa(chartBarH) + `" aria-hidden="true" focusable="false">`)
	x := 0
	for i, v := range values {
		w := 0
		if max > 0 {
			w = int(v * chartBarW / max)
		}
		if v > 0 && w == 0 {
			w = 1
		}
		class := "c-inst"
		if i < len(classes) {
			class = classes[i]
		}
		b.WriteString(`<rect x="` + strconv.Itoa(x) + `" y="0" width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(chartBarH) + `" class="` + chartClass(class) + `"/>`)
		x += w
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// chartClass keeps a bar's class to the style sheet's own.
func chartClass(c string) string {
	switch c {
	case "c-acc", "c-dec", "c-inst":
		return c
	}
	return "c-inst"
}

func consoleOverview(v ConsoleView, l func(string) string) app.UI {
	return app.Div().Body(
		app.P().Text(v.Intro),
		app.Div().Class("console-charts").Body(
			app.Range(v.Charts).Slice(func(i int) app.UI { return consoleChart(v.Charts[i], l) }),
		),
	)
}

func consoleChart(c ConsoleChart, l func(string) string) app.UI {
	var max int64
	totals := make([]int64, len(c.Rows))
	for i, r := range c.Rows {
		for _, x := range r.Values {
			totals[i] += x
		}
		if totals[i] > max {
			max = totals[i]
		}
	}
	title := c.ID + "-t"
	return app.Figure().Aria("labelledby", attr(title)).Body(
		app.H2().ID(attr(title)).Text(c.Title),
		app.P().Class("legend").Aria("hidden", "true").Body(
			app.Range(c.Series).Slice(func(i int) app.UI {
				return app.Span().Body(app.Span().Class("swatch "+chartClass(c.Classes[i])), app.Text(c.Series[i]))
			}),
		),
		app.Div().Class("c-chart").Aria("hidden", "true").Body(
			app.Range(c.Rows).Slice(func(i int) app.UI {
				r := c.Rows[i]
				return app.Div().Class("c-row").Body(
					app.Span().Class("c-label").Text(r.Label),
					app.Raw(barSVG(r.Values, c.Classes, max)),
					app.Span().Class("c-total").Text(strconv.FormatInt(totals[i], 10)),
				)
			}),
		),
		app.Table().Class("console").Body(
			app.Caption().Class("eula-visually-hidden").Text(c.Title),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col"),
				app.Range(c.Series).Slice(func(i int) app.UI { return app.Th().Scope("col").Class("num").Text(c.Series[i]) }),
			)),
			app.TBody().Body(
				app.If(len(c.Rows) == 0, app.Tr().Body(app.Td().ColSpan(len(c.Series)+1).Text(l("none")))),
				app.Range(c.Rows).Slice(func(i int) app.UI {
					r := c.Rows[i]
					return app.Tr().Body(
						app.Th().Scope("row").Text(r.Label),
						app.Range(r.Values).Slice(func(j int) app.UI {
							return app.Td().Class("num").Text(strconv.FormatInt(r.Values[j], 10))
						}),
					)
				}),
			),
		),
	)
}

// consoleField is a labelled field of a console form.
func consoleField(id, label string, input app.UI) app.UI {
	return app.Div().Body(app.Label().For(id).Text(label), input)
}

func consoleSearchPage(v ConsoleView, l func(string) string) app.UI {
	s := v.Search
	text := func(id, typ string) app.UI {
		in := app.Input().ID(id).Name(id).Value(attr(s.Values[id]))
		if typ != "" {
			in = in.Type(typ)
		}
		return consoleField(id, l("f."+id), in)
	}
	choice := func(id string, opts []ProductOption) app.UI {
		return consoleField(id, l("f."+id), app.Select().ID(id).Name(id).Body(
			app.Option().Value("").Text(l("any")),
			app.Range(opts).Slice(func(i int) app.UI {
				return selected(app.Option().Value(attr(opts[i].Key)).Text(opts[i].Name), opts[i].Key == s.Values[id])
			}),
		))
	}
	roles := make([]ProductOption, len(s.Roles))
	for i, r := range s.Roles {
		roles[i] = ProductOption{Key: r, Name: r}
	}
	return app.Div().Body(
		app.Form().Method("get").Action(PathConsoleSearch).Body(
			app.Div().Class("console-form").Body(
				text("machine", ""),
				choice("product", s.Products),
				text("version", ""),
				text("reference", ""),
				text("organization", ""),
				choice("decision", s.Decisions),
				choice("role", roles),
				text("since", "date"),
				text("until", "date"),
			),
			app.Div().Class("console-actions").Body(
				app.Button().Class("eula-tool").Type("submit").Text(l("search.submit")),
			),
		),
		app.If(s.Searched, consoleResults(v, l)),
	)
}

func consoleResults(v ConsoleView, l func(string) string) app.UI {
	s := v.Search
	total := strconv.FormatInt(s.Total, 10)
	if s.More {
		total = ""
	}
	cols := []string{l("col.time"), l("f.machine"), l("f.product"), l("f.version"), l("col.language"),
		l("f.decision"), l("f.role"), l("col.channel"), l("col.actor")}
	return app.Div().Body(
		app.H2().ID("results").Text(s.Count),
		app.If(len(s.Records) > 0,
			app.P().Text(s.Range),
			app.P().ID("export-count").Text(s.ExportCount),
			app.Div().Class("console-actions").Body(
				app.A().Href(attr(s.CSVURL)).Attr("download", "").DataSet("export", "csv").DataSet("total", total).Text(l("export.csv")),
				app.A().Href(attr(s.JSONLURL)).Attr("download", "").DataSet("export", "jsonl").DataSet("total", total).Text(l("export.jsonl")),
			),
			hide(app.Div(), true).ID("export-progress").Class("console-actions").
				DataSet("status", attr(s.ExportStatus)).DataSet("done", attr(s.ExportDone)).DataSet("failed", attr(s.ExportFailed)).DataSet("native", attr(s.ExportNative)).Body(
				app.Label().For("export-bar").Text(l("export.progress")),
				app.Progress().ID("export-bar").Max(s.Total).Value(0),
				app.Span().ID("export-text"),
			),
			app.P().ID("export-status").Role("status"),
			app.Table().Class("console").Aria("labelledby", "results").Body(
				app.THead().Body(app.Tr().Body(
					app.Range(cols).Slice(func(i int) app.UI { return app.Th().Scope("col").Text(cols[i]) }),
				)),
				app.TBody().Body(
					app.Range(s.Records).Slice(func(i int) app.UI {
						r := s.Records[i]
						return app.Tr().Body(
							app.Td().Text(r.Time),
							app.Td().Body(app.A().Href(attr(r.InstallationURL)).Text(r.Machine)),
							app.Td().Text(r.Product), app.Td().Text(r.Version), app.Td().Text(r.Language),
							app.Td().Text(r.Decision), app.Td().Text(r.Role), app.Td().Text(r.Channel), app.Td().Text(r.Actor),
						)
					}),
				),
			),
			app.Nav().Class("console-actions").Aria("label", attr(l("pages"))).Body(
				app.If(s.PrevURL != "", app.A().Href(attr(s.PrevURL)).Rel("prev").Text(l("prev"))),
				app.If(s.NextURL != "", app.A().Href(attr(s.NextURL)).Rel("next").Text(l("next"))),
			),
		),
		app.If(app.IsServer, app.Raw(`<script>`+exportProgressJS+`</script>`)),
	)
}

func consoleInstallationPage(v ConsoleView, l func(string) string) app.UI {
	in := v.Installation
	return app.Div().Body(
		app.P().Text(in.Product),
		app.H2().Text(l("inst.status")),
		app.P().Class("eula-notice").Body(app.Strong().Text(in.State), app.Text(" "+in.Current)),
		app.H2().Text(l("inst.decisions")),
		app.Ol().Class("decisions").Body(
			app.Range(in.Decisions).Slice(func(i int) app.UI {
				d := in.Decisions[i]
				return app.Li().Body(
					app.Strong().Text(d.Time), app.Text(" — "+d.Summary), app.Br(),
					app.Code().Text(d.ID), app.Text(" · "+d.Index+" · "),
					app.If(d.Verified != "", app.Span().Class("ok").Text(d.Verified)).
						Else(app.Span().Class("bad").Text(l("notverified")), app.Text(" "+d.Failed)),
					app.If(len(d.Chain) > 0, app.Div().Body(
						app.Span().Text(l("chain")),
						app.Ol().Class("chain").Aria("label", attr(l("chain"))).Body(
							app.Range(d.Chain).Slice(func(j int) app.UI { return app.Li().Text(d.Chain[j]) }),
						),
						app.P().Body(
							app.If(d.ChainOK, app.Span().Class("ok").Text(l("chain.ok"))).
								Else(app.Span().Class("bad").Text(d.ChainCheck)),
						),
					)),
				)
			}),
		),
	)
}

func consolePrivacyPage(v ConsoleView, l func(string) string) app.UI {
	p := v.Privacy
	if p.Confirm {
		return app.Section().Aria("labelledby", "confirm-h").Body(
			app.H2().ID("confirm-h").Text(l("erase.confirm")),
			app.P().Text(p.Found),
			app.P().Body(app.Strong().Text(l("erase.goes.h")), app.Text(" "+l("erase.goes"))),
			app.P().Body(app.Strong().Text(l("erase.stays.h")), app.Text(" "+l("erase.stays"))),
			app.Form().Method("post").Action(PathConsoleErase).Body(
				hiddenCSRF(v.CSRF),
				app.Input().Type("hidden").Name("email").Value(attr(p.Email)),
				app.Input().Type("hidden").Name("confirm").Value("yes"),
				app.Div().Class("console-actions").Body(
					app.Button().Class("eula-tool").Type("submit").Text(l("erase.yes")),
					app.A().Href(PathConsolePrivacy).Text(l("erase.no")),
				),
			),
		)
	}
	return app.Div().Body(
		app.P().Text(l("privacy.intro")),
		app.Form().Method("post").Body(
			hiddenCSRF(v.CSRF),
			app.Div().Class("console-form").Body(
				consoleField("email", l("privacy.email"),
					app.Input().ID("email").Name("email").Type("email").Value(attr(p.Email)).Required(true)),
			),
			app.Div().Class("console-actions").Body(
				app.Button().Class("eula-tool").Type("submit").Attr("formaction", PathConsoleAccess).Text(l("privacy.access")),
				app.Button().Class("eula-tool").Type("submit").Attr("formaction", PathConsoleErase).Text(l("privacy.erase")),
			),
		),
	)
}

func consoleAuditPage(v ConsoleView, l func(string) string) app.UI {
	a := v.Audit
	run := l("audit.run")
	if a.Ran {
		run = l("audit.again")
	}
	return app.Div().Body(
		app.P().Text(l("audit.intro")),
		app.Ul().Body(app.Range(a.Sources).Slice(func(i int) app.UI { return app.Li().Text(a.Sources[i]) })),
		app.Form().Method("post").Action(PathConsoleAudit).Body(
			hiddenCSRF(v.CSRF),
			app.Div().Class("console-actions").Body(app.Button().Class("eula-tool").Type("submit").Text(run)),
		),
		app.If(a.Ran, consoleAuditReport(a, l)),
	)
}

func consoleAuditReport(a *ConsoleAuditView, l func(string) string) app.UI {
	return app.Section().Aria("labelledby", "audit-h").Body(
		app.H2().ID("audit-h").Text(l("audit.report")),
		app.If(a.Clean, app.P().Class("eula-notice").Role("status").Body(app.Span().Class("ok").Text(l("audit.clean")))).
			Else(app.Div().Class("problem").Role("alert").Body(
				app.If(a.Alert != "", app.P().Body(app.Strong().Text(a.Alert))),
				app.P().Text(a.Found),
			)),
		app.Table().Class("console audit-figures").Body(
			app.Caption().Class("eula-visually-hidden").Text(l("audit.report")),
			app.TBody().Body(app.Range(a.Figures).Slice(func(i int) app.UI {
				f := a.Figures[i]
				return app.Tr().Body(app.Th().Scope("row").Text(f.Label), app.Td().Class("num").Text(strconv.FormatInt(f.Value, 10)))
			})),
		),
		app.H3().ID("witnessed-h").Text(l("audit.witnessed")),
		app.If(len(a.Witnessed) > 0,
			app.Ul().Aria("labelledby", "witnessed-h").Body(
				app.Range(a.Witnessed).Slice(func(i int) app.UI { return app.Li().Class("witnessed").Text(a.Witnessed[i]) }),
			),
		).Else(app.P().Text(l("audit.witnessed.none"))),
		app.P().ID("witness-kept").Text(a.Kept),
		app.If(len(a.Findings) > 0, app.Table().Class("console").Aria("labelledby", "audit-h").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text(l("audit.col.kind")),
				app.Th().Scope("col").Text(l("audit.col.meaning")),
				app.Th().Scope("col").Class("num").Text(l("audit.col.index")),
				app.Th().Scope("col").Text(l("audit.col.record")),
				app.Th().Scope("col").Text(l("audit.col.detail")),
			)),
			app.TBody().Body(app.Range(a.Findings).Slice(func(i int) app.UI {
				f := a.Findings[i]
				return app.Tr().Body(
					app.Td().Body(app.Code().Text(f.Kind)),
					app.Td().Text(f.Meaning),
					app.Td().Class("num").Text(f.Index),
					app.Td().Body(app.If(f.Record != "", app.Code().Text(f.Record))),
					app.Td().Text(f.Detail),
				)
			})),
		)),
	)
}
