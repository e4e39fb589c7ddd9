package web

import (
	"log/slog"
	"net/http"
	"sync"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula/translog"
)

// PathConsoleAudit is the console's audit: GET shows what the audit holds
// the log to, POST runs it (the same check as `eulagate audit`).
const PathConsoleAudit = ui.PathConsoleAudit

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
	s.consoleServe(w, r, http.StatusOK, c.L, auditData{consoleData: s.consoleData(c, PathConsoleAudit), Src: s.audit.src}.view())
}

// consoleAuditRun runs the audit and shows its report. The witness file
// keeps the log's latest checkpoint when the audit is clean, as after
// `eulagate audit`.
func (s *Server) consoleAuditRun(w http.ResponseWriter, r *http.Request, c *consoleCtx) {
	d := auditData{consoleData: s.consoleData(c, PathConsoleAudit), Src: s.audit.src}
	if !s.audit.mu.TryLock() {
		d.Busy = true
		s.consoleServe(w, r, http.StatusConflict, c.L, d.view())
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
	s.consoleServe(w, r, http.StatusOK, c.L, d.view())
}
