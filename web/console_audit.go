package web

import (
	"log/slog"
	"net/http"
	"sync"

	"github.com/eulagate/eulagate/eula/translog"
)

// PathConsoleAudit is the console's audit: GET shows what the audit holds
// the log to, POST runs it (the same check as `eulagate audit`).
const PathConsoleAudit = "/console/audit"

// consoleAudit runs the console's audits, one at a time: each re-reads the
// whole store and may write the witness file.
type consoleAudit struct {
	src translog.Sources
	mu  sync.Mutex
}

// auditData is what the audit page shows.
type auditData struct {
	consoleData
	Src translog.Sources
	// Run is the audit just run, if any.
	Run *translog.Run
	// Busy reports that another audit is running.
	Busy bool
}

func (s *Server) consoleAuditPage(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	s.writePage(w, r, http.StatusOK, consoleAuditTmpl, auditData{consoleData: s.consoleData(c, PathConsoleAudit), Src: s.audit.src})
}

// consoleAuditRun runs the audit and shows its report. The witness file
// keeps the log's latest checkpoint when the audit is clean, as after
// `eulagate audit`.
func (s *Server) consoleAuditRun(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	d := auditData{consoleData: s.consoleData(c, PathConsoleAudit), Src: s.audit.src}
	if !s.audit.mu.TryLock() {
		d.Busy = true
		s.writePage(w, r, http.StatusConflict, consoleAuditTmpl, d)
		return
	}
	defer s.audit.mu.Unlock()
	run, err := translog.RunAudit(r.Context(), s.store, s.verifierKey, s.audit.src)
	if err != nil {
		s.consoleFault(w, r, c, err)
		return
	}
	rep := &run.Report
	level := slog.LevelInfo
	if !rep.Clean() {
		level = slog.LevelWarn
	}
	s.log.Log(r.Context(), level, "console audit", slog.String("session", sessionTag(c.id)),
		slog.Int64("records", rep.Records), slog.Int64("tree_size", rep.TreeSize),
		slog.Int("findings", len(rep.Findings)), slog.Bool("alert", rep.Alert()), slog.Bool("witness_kept", run.Kept))
	d.Run = run
	s.writePage(w, r, http.StatusOK, consoleAuditTmpl, d)
}

var consoleAuditTmpl = consolePageTmpl(`{{define "title"}}{{.L.Get "audit"}}{{end}}{{define "main"}}
<p>{{.L.Get "audit.intro"}}</p>
<ul>{{if .Src.Witness}}<li>{{.L.Format "audit.src.witness" .Src.Witness}}</li>{{else}}<li>{{.L.Get "audit.src.nowitness"}}</li>{{end}}
{{range .Src.Cosigned}}<li>{{$.L.Format "audit.src.cosigned" .}}</li>{{end}}
{{with .Src.Receipts}}<li>{{$.L.Format "audit.src.receipts" .}}</li>{{end}}</ul>
{{if .Busy}}<p class="problem" role="alert">{{.L.Get "audit.busy"}}</p>{{end}}
<form method="post" action="/console/audit"><input type="hidden" name="csrf" value="{{.CSRF}}">
<div class="console-actions"><button class="eula-tool" type="submit">{{if .Run}}{{.L.Get "audit.again"}}{{else}}{{.L.Get "audit.run"}}{{end}}</button></div></form>
{{with .Run}}{{$rep := .Report}}<section aria-labelledby="audit-h"><h2 id="audit-h">{{$.L.Get "audit.report"}}</h2>
{{if $rep.Clean}}<p class="eula-notice" role="status"><span class="ok">{{$.L.Get "audit.clean"}}</span></p>
{{else}}<div class="problem" role="alert">{{if $rep.Alert}}<p><strong>{{$.L.Get "audit.alert"}}</strong></p>{{end}}<p>{{$.L.Format "audit.found" (len $rep.Findings)}}</p></div>{{end}}
<table class="console audit-figures"><caption class="eula-visually-hidden">{{$.L.Get "audit.report"}}</caption><tbody>
<tr><th scope="row">{{$.L.Get "audit.records"}}</th><td class="num">{{$rep.Records}}</td></tr>
<tr><th scope="row">{{$.L.Get "audit.erasures"}}</th><td class="num">{{$rep.Erasures}}</td></tr>
<tr><th scope="row">{{$.L.Get "audit.checkpoints"}}</th><td class="num">{{$rep.Checkpoints}}</td></tr>
<tr><th scope="row">{{$.L.Get "audit.treesize"}}</th><td class="num">{{$rep.TreeSize}}</td></tr>
<tr><th scope="row">{{$.L.Get "audit.known"}}</th><td class="num">{{$rep.Known}}</td></tr>
<tr><th scope="row">{{$.L.Get "audit.receipts"}}</th><td class="num">{{$rep.Receipts}}</td></tr>
</tbody></table>
<h3 id="witnessed-h">{{$.L.Get "audit.witnessed"}}</h3>
{{if .Witnessed}}<ul aria-labelledby="witnessed-h">{{range .Witnessed}}<li class="witnessed">{{if .Cosigned}}{{$.L.Format "audit.witnessed.cosigned" .TreeSize .File (utcTimes .Cosigned)}}{{else}}{{$.L.Format "audit.witnessed.file" .TreeSize .File}}{{end}}</li>{{end}}</ul>
{{else}}<p>{{$.L.Get "audit.witnessed.none"}}</p>{{end}}
<p id="witness-kept">{{if .Kept}}{{if .NewWitness}}{{$.L.Format "audit.kept.new" .Witness $rep.TreeSize}}{{else}}{{$.L.Format "audit.kept" .Witness $rep.TreeSize}}{{end}}{{else if .Witness}}{{$.L.Format "audit.notkept" .Witness}}{{else}}{{$.L.Get "audit.src.nowitness"}}{{end}}</p>
{{if $rep.Findings}}<table class="console" aria-labelledby="audit-h"><thead><tr><th scope="col">{{$.L.Get "audit.col.kind"}}</th><th scope="col" class="num">{{$.L.Get "audit.col.index"}}</th><th scope="col">{{$.L.Get "audit.col.record"}}</th><th scope="col">{{$.L.Get "audit.col.detail"}}</th></tr></thead><tbody>
{{range $rep.Findings}}<tr><td><code>{{.Kind}}</code></td><td class="num">{{.Index}}</td><td>{{with .RecordID}}<code>{{.}}</code>{{end}}</td><td>{{.Detail}}</td></tr>{{end}}
</tbody></table>{{end}}</section>{{end}}{{end}}`)
