package web_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	"github.com/eulagate/eulagate/web"
)

// postJSON posts body as JSON and decodes the answer into out (if status is
// want); it fails the test on another status.
func (ts *testServer) postJSON(t *testing.T, path, body string, want int, out any, header ...string) string {
	t.Helper()
	status, got := ts.do(t, "POST", path, body, append([]string{"Content-Type", "application/json"}, header...)...)
	if status != want {
		t.Fatalf("POST %s: %d %s, want %d", path, status, got, want)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(got), out); err != nil {
			t.Fatalf("POST %s: %v in %s", path, err, got)
		}
	}
	return got
}

// getJSON fetches path and decodes the answer into out; it fails the test
// unless the status is 200.
func (ts *testServer) getJSON(t *testing.T, path string, out any, header ...string) string {
	t.Helper()
	status, got := ts.do(t, "GET", path, "", header...)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, got)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(got), out); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, got)
		}
	}
	return got
}

// exported returns the administrator's JSON Lines export by record id.
func (ts *testServer) exported(t *testing.T) map[string]eula.Record {
	t.Helper()
	body := ts.getJSON(t, api.PathRecords, nil, "Authorization", "Bearer "+testAdminToken)
	out := map[string]eula.Record{}
	for line := range strings.Lines(body) {
		var r eula.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		out[r.ID] = r
	}
	return out
}

// dealerOutput is api.DealerResponse with its receipt decoded.
type dealerOutput struct {
	ID          string          `json:"id"`
	Reference   string          `json:"reference"`
	Attribution api.Attribution `json:"attribution"`
	Replayed    bool            `json:"replayed,omitempty"`
	Receipt     eula.Receipt    `json:"receipt"`
}

// chainOutput is api.ChainResponse with its receipts decoded.
type chainOutput struct {
	Chain []eula.Receipt `json:"chain"`
	Check string         `json:"check,omitempty"`
}

// checkChain fetches the chain of id, verifies every receipt and returns
// the ids in order.
func (ts *testServer) checkChain(t *testing.T, id string) ([]string, chainOutput) {
	t.Helper()
	var out chainOutput
	body := ts.getJSON(t, api.ChainPath(id), &out)
	var ids []string
	for _, rc := range out.Chain {
		if err := eula.VerifyReceipt(rc, ts.verifier); err != nil {
			t.Errorf("receipt of %s in the chain: %v", rc.Record.ID, err)
		}
		if rc.Record.Personal != nil {
			t.Errorf("the chain shows personal data of %s", rc.Record.ID)
		}
		ids = append(ids, rc.Record.ID)
	}
	if strings.Contains(body, "@") {
		t.Errorf("the chain shows an e-mail address: %s", body)
	}
	return ids, out
}

func userDecision(machine string) string {
	return `{"decision":"accepted","document":{"id":"eula","version":"20250212","language":"ja"},"product":"xprotect-corporate","installer":{"machine_id":"` + machine + `","version":"2025.1"},"actor":{"name":"User","email":"user@customer.example"}}`
}

func TestDelegationEndToEnd(t *testing.T) {
	ts := newTestServer(t)
	auth := []string{"Authorization", "Bearer " + testAdminToken}
	var direct struct{ ID string }
	ts.postJSON(t, api.PathDecisions, userDecision("srv-1"), 201, &direct)
	ts.postJSON(t, api.PathDecisions, userDecision("srv-3"), 201, nil)

	// The administrator accepts the Update Manager terms for srv-1 and
	// srv-2 (never installed); srv-3 is not theirs.
	adminBody := `{"administrator":{"name":"Ada Admin","email":"ada@customer.example"},"computers":["srv-1","srv-2"]}`
	for _, h := range [][]string{nil, {"Authorization", "Bearer wrong"}} {
		if s, b := ts.do(t, "POST", api.PathAdminAcceptances, adminBody, append([]string{"Content-Type", "application/json"}, h...)...); s != 401 {
			t.Errorf("administrator acceptance without a valid token: %d %s", s, b)
		}
	}
	var adm struct {
		Acceptances []struct{ Computer, ID string }
	}
	ts.postJSON(t, api.PathAdminAcceptances, adminBody, 201, &adm, auth...)
	if len(adm.Acceptances) != 2 || adm.Acceptances[0].Computer != "srv-1" {
		t.Fatalf("administrator acceptances: %+v", adm)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"administrator":{"name":"Ada"},"computers":[]}`, "computers"},
		{`{"administrator":{},"computers":["srv-1"]}`, "administrator"},
		{`{"administrator":{"name":"Ada"},"computers":["<script>"]}`, "computers[0]"},
		{`{"administrator":{"name":"Ada"},"computers":["srv-1"],"document":{"version":"19990101"}}`, "document"},
	} {
		if s, b := ts.do(t, "POST", api.PathAdminAcceptances, bad.body, append([]string{"Content-Type", "application/json"}, auth...)...); s != 400 || !strings.Contains(b, bad.want) {
			t.Errorf("%s: %d %s", bad.body, s, b)
		}
	}

	// Update Manager updates xprotect-corporate on the three computers.
	update := `{"product":"xprotect-corporate","version":"2025.2","computers":["srv-1","srv-2","srv-3"]}`
	if s, _ := ts.do(t, "POST", api.PathDelegations, update, "Content-Type", "application/json"); s != 401 {
		t.Errorf("delegation without a token: %d", s)
	}
	var out api.DelegationResponse
	ts.postJSON(t, api.PathDelegations, update, 200, &out, auth...)
	results := map[string]api.DelegationResult{}
	for _, r := range out.Results {
		results[r.Computer] = r
	}
	for _, want := range []struct{ computer, result, reason string }{
		{"srv-1", api.ResultRecorded, ""},
		{"srv-2", api.ResultPromptUser, "first-install"},
		{"srv-3", api.ResultPromptUser, "no-administrator"},
	} {
		got := results[want.computer]
		if got.Result != want.result || got.Reason != want.reason {
			t.Errorf("%s: %+v, want %s %s", want.computer, got, want.result, want.reason)
		}
	}
	delegated := results["srv-1"]
	if !slices.Equal(delegated.DerivedFrom, []string{adm.Acceptances[0].ID, direct.ID}) {
		t.Errorf("derived from %v, want administrator %s and user %s", delegated.DerivedFrom, adm.Acceptances[0].ID, direct.ID)
	}

	// A retry records nothing new.
	before := len(ts.records(t))
	var again api.DelegationResponse
	ts.postJSON(t, api.PathDelegations, update, 200, &again, auth...)
	if again.Results[0].Result != api.ResultAlreadyRecorded || again.Results[0].ID != delegated.ID || len(ts.records(t)) != before {
		t.Errorf("retry: %+v, %d records (was %d)", again.Results[0], len(ts.records(t)), before)
	}

	// The status of srv-1 is accepted, by the delegated record; srv-2's
	// user must be prompted.
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=srv-1&product=xprotect-corporate", &st)
	if st.State != eula.StateAccepted || st.RecordID != delegated.ID {
		t.Errorf("srv-1 status %+v", st)
	}
	ts.getJSON(t, api.PathStatus+"?installer=srv-2&product=xprotect-corporate", &st)
	if st.State != eula.StateNone {
		t.Errorf("srv-2 status %+v", st)
	}

	// The chain: delegated → administrator's acceptance → assignment, each
	// receipt verifying.
	ids, chain := ts.checkChain(t, delegated.ID)
	if !slices.Equal(ids, []string{delegated.ID, adm.Acceptances[0].ID, direct.ID}) || chain.Check != "ok" {
		t.Errorf("chain %v, check %q", ids, chain.Check)
	}
	if r := chain.Chain[0].Record; r.Role != eula.RoleDelegated || r.Channel != eula.ChannelUnattended || r.Installer.Version != "2025.2" || r.Document.Language != "ja" {
		t.Errorf("delegated record %+v", r)
	}

	// The export shows the chain.
	exp := ts.exported(t)
	if got := exp[delegated.ID].DerivedFrom; !slices.Equal(got, delegated.DerivedFrom) {
		t.Errorf("export: derived_from %v", got)
	}
	if a := exp[adm.Acceptances[0].ID]; a.Role != eula.RoleAdministrator || a.Product != eula.ProductUpdateManager || a.Personal == nil || a.Personal.Actor.Name != "Ada Admin" {
		t.Errorf("export: administrator's acceptance %+v", a)
	}

	// The user of srv-1 declines later: the same update is no longer
	// covered, and the report says so.
	ts.postJSON(t, api.PathDecisions, strings.Replace(userDecision("srv-1"), `"accepted"`, `"declined"`, 1), 201, nil)
	var after api.DelegationResponse
	ts.postJSON(t, api.PathDelegations, update, 200, &after, auth...)
	if r := after.Results[0]; r.Result != api.ResultPromptUser || r.Reason != "no-assignment" {
		t.Errorf("after the user declined: %+v", r)
	}

	// A request wrong as a whole.
	for _, bad := range []string{
		`{"product":"xprotect-bogus","computers":["srv-1"]}`,
		`{"product":"xprotect-corporate","computers":[]}`,
		`{"product":"xprotect-corporate","computers":["srv-1"],"sudo":true}`,
	} {
		if s, b := ts.do(t, "POST", api.PathDelegations, bad, append([]string{"Content-Type", "application/json"}, auth...)...); s != 400 {
			t.Errorf("%s: %d %s", bad, s, b)
		}
	}
	var odd api.DelegationResponse
	ts.postJSON(t, api.PathDelegations, `{"product":"xprotect-corporate","computers":["a b","`+strings.Repeat("x", 200)+`"]}`, 200, &odd, auth...)
	for _, r := range odd.Results {
		if r.Result != api.ResultInvalid {
			t.Errorf("invalid computer id: %+v", r)
		}
	}
}

const dealerJSON = `{"dealer":{"organization":"Dealer <b>Ltd</b>","name":"Dana Dealer","email":"dana@dealer.example"},` +
	`"customer":{"organization":"Kunde GmbH","name":"Karl Kunde","email":"karl@kunde.example"},` +
	`"product":"husky-m","document":{"language":"hu"},"customer_accepted":true,"return_right_understood":true,"register_consent":true}`

func TestDealerEndToEnd(t *testing.T) {
	ts := newTestServer(t)
	for _, bad := range []struct{ name, body, want string }{
		{"no customer e-mail", strings.Replace(dealerJSON, `"email":"karl@kunde.example"`, `"email":""`, 1), "customer.email: missing"},
		{"no statement", strings.Replace(dealerJSON, `"customer_accepted":true`, `"customer_accepted":false`, 1), "customer_accepted"},
		{"no acknowledgment", strings.Replace(dealerJSON, `"return_right_understood":true`, `"return_right_understood":false`, 1), "return_right_understood"},
		{"unknown product", strings.Replace(dealerJSON, "husky-m", "husky-q", 1), "husky-q"},
		{"control character", strings.Replace(dealerJSON, "Kunde GmbH", `Kunde\u0000GmbH`, 1), "customer.organization"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			s, b := ts.do(t, "POST", api.PathDealerAcceptances, bad.body, "Content-Type", "application/json")
			if s != 400 || !strings.Contains(b, bad.want) {
				t.Errorf("%d %s, want 400 with %q", s, b, bad.want)
			}
		})
	}
	if n := len(ts.records(t)); n != 0 {
		t.Fatalf("rejected requests wrote %d records", n)
	}
	if s, _ := ts.do(t, "POST", api.PathDealerAcceptances, dealerJSON, "Content-Type", "application/json", "Origin", "http://127.0.0.1"); s != 403 {
		t.Errorf("browser without CSRF token: %d", s)
	}

	var dealer dealerOutput
	idem := []string{"Idempotency-Key", "dealer-form-1"}
	ts.postJSON(t, api.PathDealerAcceptances, dealerJSON, 201, &dealer, idem...)
	if err := eula.VerifyReceipt(dealer.Receipt, ts.verifier); err != nil {
		t.Error(err)
	}
	// The public receipt holds only the code's keyed commitment, never the
	// code, nor its unkeyed hash (anyone could test the codes against it).
	if r := dealer.Receipt.Record; !strings.HasPrefix(r.Reference, "k") || r.Reference == eula.ReferenceCommitment(dealer.Reference) || r.Role != eula.RoleDealer ||
		strings.Contains(r.Installer.MachineID, dealer.Reference) || strings.Contains(r.Reference, strings.ReplaceAll(dealer.Reference, "-", "")) {
		t.Errorf("receipt record %+v", dealer.Receipt.Record)
	}
	var retry dealerOutput
	ts.postJSON(t, api.PathDealerAcceptances, dealerJSON, 200, &retry, idem...)
	if retry.ID != dealer.ID || retry.Reference != dealer.Reference {
		t.Errorf("retry made %s %s, first %s %s", retry.ID, retry.Reference, dealer.ID, dealer.Reference)
	}

	// The reference as a person types it.
	typed := strings.ToLower(strings.ReplaceAll(dealer.Reference, "-", " "))
	var attr eula.Attribution
	body := ts.getJSON(t, api.ReferencePath(typed), &attr)
	want := "accepted by Dealer <b>Ltd</b> for Kunde GmbH on " + dealer.Receipt.Record.Time.UTC().Format("2006-01-02")
	if attr.Text != want || attr.RecordID != dealer.ID {
		t.Errorf("attribution %+v, want %q", attr, want)
	}
	if strings.Contains(body, "@") || strings.Contains(body, "Dana") || strings.Contains(body, "Karl") || strings.Contains(body, "<b>") {
		t.Errorf("the reference reveals a person or unescaped markup: %s", body)
	}
	if s, _ := ts.do(t, "GET", api.ReferencePath("0000-0000-000"), ""); s != 404 {
		t.Errorf("unknown reference: %d", s)
	}
	if s, _ := ts.do(t, "GET", api.ReferencePath("<script>"), ""); s != 400 {
		t.Errorf("malformed reference: %d", s)
	}

	// First boot of the appliance: the end user confirms with the code.
	confirm := `{"product":"husky-m20","installer":{"machine_id":"nvr-7","version":"1.0"},"document":{"language":"en"}}`
	var conf dealerOutput
	ts.postJSON(t, api.ConfirmationsPath(dealer.Reference), confirm, 201, &conf)
	if conf.Attribution.Text != want || conf.Reference != dealer.Reference {
		t.Errorf("confirmation %+v", conf)
	}
	if err := eula.VerifyReceipt(conf.Receipt, ts.verifier); err != nil {
		t.Error(err)
	}
	if s, b := ts.do(t, "POST", api.ConfirmationsPath(dealer.Reference), strings.Replace(confirm, "husky-m20", "husky-x2", 1), "Content-Type", "application/json"); s != 403 {
		t.Errorf("confirmation for another product: %d %s", s, b)
	}
	ids, _ := ts.checkChain(t, conf.ID)
	if !slices.Equal(ids, []string{conf.ID, dealer.ID}) {
		t.Errorf("chain %v", ids)
	}
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=nvr-7&product=husky-m20", &st)
	if st.State != eula.StateAccepted || st.RecordID != conf.ID {
		t.Errorf("status %+v", st)
	}
	exp := ts.exported(t)
	if c := exp[conf.ID]; !slices.Equal(c.DerivedFrom, []string{dealer.ID}) || c.Reference != dealer.Receipt.Record.Reference || c.Channel != eula.ChannelFirstBoot {
		t.Errorf("export of the confirmation %+v", c)
	}
	if d := exp[dealer.ID]; d.Personal == nil || d.Personal.Bound == nil || d.Personal.Bound.Email != "karl@kunde.example" || d.RegisterConsent == nil || !*d.RegisterConsent {
		t.Errorf("export of the dealer's acceptance %+v", d)
	}
}

func TestAffiliateEndToEnd(t *testing.T) {
	ts := newTestServer(t)
	body := `{"licensee":"Big Corp A/S","affiliate":"Big Corp Sverige AB","actor":{"name":"Sven","email":"sven@bigcorp.example"},"product":"xprotect-expert"}`
	var out struct {
		ID      string
		Receipt eula.Receipt
	}
	ts.postJSON(t, api.PathAffiliateAcceptances, body, 201, &out)
	if err := eula.VerifyReceipt(out.Receipt, ts.verifier); err != nil {
		t.Error(err)
	}
	if s, b := ts.do(t, "POST", api.PathAffiliateAcceptances, strings.Replace(body, "xprotect-expert", "xprotect-express-plus", 1), "Content-Type", "application/json"); s != 403 {
		t.Errorf("affiliate of an Express+ licensee: %d %s", s, b)
	}
	for _, test := range []struct {
		query string
		state eula.State
	}{
		{"licensee=Big+Corp+A/S&affiliate=Big+Corp+Sverige+AB&product=xprotect-expert", eula.StateAccepted},
		{"licensee=big+corp++a/s&affiliate=BIG+CORP+SVERIGE+AB&product=xprotect-expert", eula.StateAccepted},
		{"licensee=Big+Corp+A/S&affiliate=Big+Corp+Norge+AS&product=xprotect-expert", eula.StateNone},
		{"licensee=Other&affiliate=Big+Corp+Sverige+AB&product=xprotect-expert", eula.StateNone},
		{"licensee=Big+Corp+A/S&affiliate=Big+Corp+Sverige+AB&product=xprotect-corporate", eula.StateNone},
	} {
		var st api.AffiliateStatus
		ts.getJSON(t, api.PathAffiliateStatus+"?"+test.query, &st)
		if st.State != string(test.state) {
			t.Errorf("%s: %s, want %s", test.query, st.State, test.state)
		}
		if test.state == eula.StateAccepted && st.RecordID != out.ID {
			t.Errorf("%s: record %s, want %s", test.query, st.RecordID, out.ID)
		}
	}
	for _, q := range []string{"licensee=L&product=xprotect-expert", "licensee=L&affiliate=A&product=xprotect-express-plus"} {
		if s, _ := ts.do(t, "GET", api.PathAffiliateStatus+"?"+q, ""); s != 400 {
			t.Errorf("%s: %d", q, s)
		}
	}
	if r := ts.exported(t)[out.ID]; r.Licensee != "Big Corp A/S" || r.Personal.Bound.Organization != "Big Corp Sverige AB" {
		t.Errorf("export %+v", r)
	}
}

// newVersionServer is a test server whose library has a second EULA
// version, 20260101, a copy of 20250212.
func newVersionServer(t *testing.T) *testServer {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(locales.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(locales.FS, path)
		if err != nil {
			return err
		}
		files[path] = &fstest.MapFile{Data: b}
		if strings.HasPrefix(path, "eula/20250212/") {
			files[strings.Replace(path, "20250212", "20260101", 1)] = &fstest.MapFile{Data: bytes.Replace(b, []byte(`version: "20250212"`), []byte(`version: "20260101"`), 1)}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := eula.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	if got := lib.Latest(eula.DocEULA); got != "20260101" {
		t.Fatalf("latest version %s", got)
	}
	return newTestServer(t, func(c *web.Config) { c.Library = lib })
}

func TestDelegationNewVersion(t *testing.T) {
	ts := newVersionServer(t)
	auth := []string{"Authorization", "Bearer " + testAdminToken}
	var direct struct{ ID string }
	ts.postJSON(t, api.PathDecisions, userDecision("srv-1"), 201, &direct)
	var st eula.Status
	ts.getJSON(t, api.PathStatus+"?installer=srv-1&product=xprotect-corporate", &st)
	if st.State != eula.StateReacceptanceDue || st.CurrentVersion != "20260101" {
		t.Fatalf("before: %+v", st)
	}
	ts.postJSON(t, api.PathAdminAcceptances, `{"administrator":{"name":"Ada"},"computers":["srv-1"]}`, 201, nil, auth...)
	var out api.DelegationResponse
	ts.postJSON(t, api.PathDelegations, `{"product":"xprotect-corporate","version":"2026.1","computers":["srv-1"]}`, 200, &out, auth...)
	if r := out.Results[0]; r.Result != api.ResultRecorded || out.DocumentVersion != "20260101" || r.DerivedFrom[1] != direct.ID {
		t.Fatalf("delegation: %+v", out)
	}
	ts.getJSON(t, api.PathStatus+"?installer=srv-1&product=xprotect-corporate", &st)
	if st.State != eula.StateAccepted || st.Version != "20260101" || st.RecordID != out.Results[0].ID {
		t.Errorf("after: %+v", st)
	}
	ids, chain := ts.checkChain(t, out.Results[0].ID)
	if len(ids) != 3 || chain.Check != "ok" || chain.Chain[0].Record.Document.Language != "ja" || chain.Chain[2].Record.Document.Version != "20250212" {
		t.Errorf("chain %v %q", ids, chain.Check)
	}
}
