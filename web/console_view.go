package web

import (
	"crypto/rand"
	"net/http"
	"strconv"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
)

// consoleViewParam carries, in the URL that go-app's prerendering sees, the
// token of the ConsoleView consoleServe was given: go-app's action
// handlers see the page's URL but not the request (the same workaround as
// goappfix's view handover, for the console's pages).
const consoleViewParam = "_console"

// consolePending holds the ConsoleViews of the console pages being
// prerendered, by token. It is process-wide, as go-app's action handlers
// are.
var consolePending sync.Map

// consoleHandleOnce registers publishConsole with go-app, once per
// process.
var consoleHandleOnce sync.Once

// publishConsole answers ui.ActionConsoleLoad during prerendering: it
// publishes the ConsoleView consoleServe was given for the page, with the
// page's language and title.
func publishConsole(ctx app.Context, a app.Action) {
	v, ok := consolePending.Load(ctx.Page().URL().Query().Get(consoleViewParam))
	if !ok {
		return
	}
	cv := v.(ui.ConsoleView)
	ctx.Page().SetLang(cv.Lang)
	ctx.Page().SetTitle(cv.Title + " – " + cv.Labels.Get(consoleKeys+"title"))
	ctx.SetState(ui.StateConsole, cv)
}

// consoleServe answers with the console page of v, prerendered by go-app
// (ui.ConsolePage) with status: plain forms and links, working without the
// wasm. The language, labels and URL come from L and r.
func (s *Server) consoleServe(w http.ResponseWriter, r *http.Request, status int, L consoleLabels, v ui.ConsoleView) {
	v.Lang, v.Labels, v.Languages = L.lang, L.l, catalogLanguages()
	v.Path = r.URL.Path
	if r.Method == http.MethodGet {
		v.Query = r.URL.Query()
	}
	token := rand.Text()
	consolePending.Store(token, v)
	defer consolePending.Delete(token)
	u := *r.URL
	u.RawQuery = consoleViewParam + "=" + token
	r2 := getOf(r, &u)
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	compressed(func(w http.ResponseWriter, r *http.Request) {
		s.goapp.ServePage(&consoleStatus{ResponseWriter: w, status: status}, r, ui.View{Lang: v.Lang})
	})(w, r2)
}

// consoleStatus answers with its status where go-app answers 200.
type consoleStatus struct {
	http.ResponseWriter
	status int
}

// WriteHeader implements http.ResponseWriter.
func (w *consoleStatus) WriteHeader(code int) {
	if code == http.StatusOK {
		code = w.status
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (w *consoleStatus) Write(b []byte) (int, error) { return w.ResponseWriter.Write(b) }

// view is the sign-in page.
func (d signInData) view() ui.ConsoleView {
	return ui.ConsoleView{Page: ui.ConsoleSignIn, Title: d.L.Get("signin.title"), SignInToken: d.Token, Problem: d.Problem}
}

// base is the part of a page that every signed-in page shows.
func (d consoleData) base(page, title string) ui.ConsoleView {
	return ui.ConsoleView{Page: page, Title: title, CSRF: d.CSRF, Nav: d.Nav}
}

// view is the privacy page.
func (d privacyData) view() ui.ConsoleView {
	v := d.base(ui.ConsolePrivacy, d.L.Get("privacy"))
	v.Problem = d.Problem
	if d.Done {
		v.Notice = d.L.Format("erase.done", d.Erased)
	}
	v.Privacy = &ui.ConsolePrivacyView{Email: d.Email, Confirm: d.Confirm}
	if d.Confirm {
		v.Privacy.Found = d.L.Format("erase.found", d.Found, d.Email)
	}
	return v
}

// view is the audit page, with the report of the audit run, if any.
func (d auditData) view() ui.ConsoleView {
	L := d.L
	v := d.base(ui.ConsoleAudit, L.Get("audit"))
	a := &ui.ConsoleAuditView{}
	v.Audit = a
	if d.Src.Witness != "" {
		a.Sources = append(a.Sources, L.Format("audit.src.witness", d.Src.Witness))
	} else {
		a.Sources = append(a.Sources, L.Get("audit.src.nowitness"))
	}
	for _, f := range d.Src.Cosigned {
		a.Sources = append(a.Sources, L.Format("audit.src.cosigned", f))
	}
	if d.Src.Receipts != "" {
		a.Sources = append(a.Sources, L.Format("audit.src.receipts", d.Src.Receipts))
	}
	if d.Busy {
		v.Problem = L.Get("audit.busy")
	}
	run := d.Run
	if run == nil {
		return v
	}
	rep := &run.Report
	a.Ran, a.Clean = true, rep.Clean()
	if !a.Clean {
		a.Found = L.Format("audit.found", len(rep.Findings))
		if rep.Alert() {
			a.Alert = L.Get("audit.alert")
		}
	}
	a.Figures = []ui.ConsoleFigure{
		{Label: L.Get("audit.records"), Value: rep.Records},
		{Label: L.Get("audit.erasures"), Value: rep.Erasures},
		{Label: L.Get("audit.checkpoints"), Value: int64(rep.Checkpoints)},
		{Label: L.Get("audit.treesize"), Value: rep.TreeSize},
		{Label: L.Get("audit.known"), Value: int64(rep.Known)},
		{Label: L.Get("audit.receipts"), Value: int64(rep.Receipts)},
	}
	for _, w := range run.Witnessed {
		if len(w.Cosigned) > 0 {
			a.Witnessed = append(a.Witnessed, L.Format("audit.witnessed.cosigned", w.TreeSize, w.File, utcTimes(w.Cosigned)))
		} else {
			a.Witnessed = append(a.Witnessed, L.Format("audit.witnessed.file", w.TreeSize, w.File))
		}
	}
	switch {
	case run.Kept && run.NewWitness:
		a.Kept = L.Format("audit.kept.new", run.Witness, rep.TreeSize)
	case run.Kept:
		a.Kept = L.Format("audit.kept", run.Witness, rep.TreeSize)
	case run.Witness != "":
		a.Kept = L.Format("audit.notkept", run.Witness)
	default:
		a.Kept = L.Get("audit.src.nowitness")
	}
	for _, f := range rep.Findings {
		a.Findings = append(a.Findings, auditFinding(L, f))
	}
	return v
}

// auditFinding is one finding as the console shows it: its kind, what the
// kind means in the reader's language, and the audit's own detail, which is
// English and exact (it names hashes, sizes and sources).
func auditFinding(L consoleLabels, f translog.Finding) ui.ConsoleFinding {
	return ui.ConsoleFinding{Kind: string(f.Kind), Meaning: L.Get(auditKindKey(f.Kind)), Index: strconv.FormatInt(f.Index, 10), Record: f.RecordID, Detail: f.Detail}
}

// auditKindKey is the console catalog's key of what kind k means.
func auditKindKey(k translog.Kind) string {
	return "audit.kind." + string(k)
}

// view is the search page, with its results once a search ran.
func (d searchData) view() ui.ConsoleView {
	L := d.L
	v := d.base(ui.ConsoleSearch, L.Get("search"))
	v.Problem = d.Problem
	sv := &ui.ConsoleSearchView{Values: map[string]string{}, Roles: d.Roles}
	v.Search = sv
	for k := range d.V {
		sv.Values[k] = d.V.Get(k)
	}
	for _, p := range d.Products {
		sv.Products = append(sv.Products, ui.ProductOption{Key: p.Key, Name: p.Name})
	}
	for _, dec := range d.Decisions {
		sv.Decisions = append(sv.Decisions, ui.ProductOption{Key: dec, Name: L.Get(dec)})
	}
	res := d.Result
	if res == nil {
		return v
	}
	sv.Searched, sv.Total, sv.More = true, res.Total, res.More
	if res.More {
		// The count stopped at a bound: the export holds more.
		sv.Count = L.Format("search.count.more", res.Total)
		sv.Range = L.Format("search.range.more", d.From, d.To, res.Total)
		sv.ExportCount = L.Format("export.count.more", res.Total)
	} else {
		sv.Count = L.Format("search.count", res.Total)
		sv.Range = L.Format("search.range", d.From, d.To, res.Total)
		sv.ExportCount = L.Format("export.count", res.Total)
		sv.ExportStatus = L.Format("export.status", "{n}", res.Total)
	}
	sv.ExportDone = L.Format("export.done", "{n}")
	sv.ExportNative = L.Get("export.native")
	sv.ExportFailed = L.Get("export.failed")
	sv.PrevURL, sv.NextURL, sv.CSVURL, sv.JSONLURL = d.PrevURL, d.NextURL, d.CSVURL, d.JSONLURL
	for _, r := range res.Records {
		actor := recordActor(r)
		if r.Erased {
			actor = L.Get("erased")
		}
		sv.Records = append(sv.Records, ui.ConsoleRecord{
			Time: recordTime(r), Machine: r.Installer.MachineID, InstallationURL: installationURL(r.Installer.MachineID, r.Product),
			Product: r.Product, Version: r.Document.Version, Language: r.Document.Language,
			Decision: L.Get(string(r.Decision)), Role: string(r.Role), Channel: string(r.Channel), Actor: actor,
		})
	}
	return v
}

// installationView is an installation's page.
func installationView(d consoleData, in eula.Installation) ui.ConsoleView {
	L := d.L
	v := d.base(ui.ConsoleInstallation, L.Format("inst.title", in.MachineID))
	iv := &ui.ConsoleInstallationView{
		Product: L.Format("inst.product", in.Product),
		State:   L.Get("state." + string(in.Status.State)),
		Current: L.Format("inst.current", in.Status.CurrentVersion),
	}
	v.Installation = iv
	for _, r := range in.Records {
		summary := L.Get(string(r.Decision)) + ", " + r.Document.ID + " " + r.Document.Version + " (" + r.Document.Language + "), " +
			string(r.Role) + ", " + string(r.Channel)
		if r.Erased {
			summary += ", " + L.Get("erased")
		} else if a := recordActor(r); a != "" {
			summary += ", " + a
		}
		dv := ui.ConsoleDecision{Time: recordTime(r), Summary: summary, ID: r.ID, Index: L.Format("inst.index", r.Index)}
		if n, ok := in.Verified[r.ID]; ok && n > 0 {
			dv.Verified = L.Format("verified", n)
		} else {
			dv.Failed = in.Failed[r.ID]
		}
		if ch := in.Chains[r.ID]; ch != nil {
			for _, rc := range ch.Chain {
				dv.Chain = append(dv.Chain, string(rc.Record.Role)+" · "+rc.Record.Installer.MachineID+" · "+recordTime(rc.Record))
			}
			dv.ChainOK, dv.ChainCheck = ch.Check == "ok", ch.Check
		}
		iv.Decisions = append(iv.Decisions, dv)
	}
	return v
}
