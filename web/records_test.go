package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/web"
)

// do sends a request and returns the status and body.
func (ts *testServer) do(t *testing.T, method, path, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var decisionJSON = `{"decision":"accepted","document":{"id":"eula","version":"` + currentEULA + `","language":"hu"},"product":"xprotect-corporate","installer":{"machine_id":"srv-1","version":"24.1"},"role":"dealer","actor":{"name":"Dana Dealer","email":"dana@dealer.example","organization":"Dealer Ltd"},"bound":{"name":"Carl Customer","email":"Carl@Customer.example","organization":"Customer A/S"},"register_consent":true}`

func TestDecisionAPI(t *testing.T) {
	ts := newTestServer(t)
	for _, test := range []struct {
		name, body, ctype string
		header            []string
		status            int
		want              string
	}{
		{"ok", decisionJSON, "application/json", nil, 201, `"decision":"accepted"`},
		{"not json", "decision=accepted", "application/x-www-form-urlencoded", nil, 415, "application/json"},
		{"unknown field", `{"decision":"accepted","sudo":true}`, "application/json", nil, 400, `unknown field \"sudo\"`},
		{"unknown product", strings.Replace(decisionJSON, "xprotect-corporate", "xprotect-bogus", 1), "application/json", nil, 400, "xprotect-bogus"},
		{"unknown language", strings.Replace(decisionJSON, `"language":"hu"`, `"language":"x-unknown"`, 1), "application/json", nil, 400, "document"},
		{"unknown version", strings.Replace(decisionJSON, currentEULA, "19990101", 1), "application/json", nil, 400, "document"},
		{"control character in name", strings.Replace(decisionJSON, "Dana Dealer", `Dana\u0007Dealer`, 1), "application/json", nil, 400, "personal.actor.name"},
		{"over-long name", strings.Replace(decisionJSON, "Dana Dealer", strings.Repeat("D", 5000), 1), "application/json", nil, 400, "personal.actor.name"},
		{"dealer without customer", strings.Replace(decisionJSON, `"bound":{"name":"Carl Customer","email":"Carl@Customer.example","organization":"Customer A/S"},`, "", 1), "application/json", nil, 400, "personal.bound"},
		{"oversized body", `{"decision":"` + strings.Repeat("a", 70<<10) + `"}`, "application/json", nil, 413, "larger than"},
		{"browser without token", decisionJSON, "application/json", []string{"Origin", ts.URL}, 403, "security token"},
		{"other origin", decisionJSON, "application/json", []string{"Origin", "https://evil.example"}, 403, "another site"},
		{"cross-site", decisionJSON, "application/json", []string{"Sec-Fetch-Site", "cross-site"}, 403, "another site"},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := len(ts.records(t))
			status, body := ts.do(t, "POST", api.PathDecisions, test.body, append([]string{"Content-Type", test.ctype}, test.header...)...)
			if status != test.status || !strings.Contains(body, test.want) {
				t.Errorf("status %d body %s; want %d containing %q", status, body, test.status, test.want)
			}
			after := len(ts.records(t))
			if status >= 400 && after != before {
				t.Errorf("a rejected request wrote %d records", after-before)
			}
			if status < 400 && !strings.Contains(body, `"error"`) {
				var out struct{ Receipt eula.Receipt }
				if err := json.Unmarshal([]byte(body), &out); err != nil {
					t.Fatal(err)
				}
				if err := eula.VerifyReceipt(out.Receipt, ts.verifier); err != nil {
					t.Errorf("receipt: %v", err)
				}
				if out.Receipt.Record.Personal != nil {
					t.Error("the receipt carries personal data")
				}
			}
		})
	}
}

func TestIdempotentDecision(t *testing.T) {
	ts := newTestServer(t)
	h := []string{"Content-Type", "application/json", "Idempotency-Key", "install-42-try"}
	s1, b1 := ts.do(t, "POST", api.PathDecisions, decisionJSON, h...)
	s2, b2 := ts.do(t, "POST", api.PathDecisions, decisionJSON, h...)
	if s1 != 201 || s2 != 200 || !strings.Contains(b2, `"replayed":true`) {
		t.Fatalf("first %d, retry %d %s", s1, s2, b2)
	}
	var r1, r2 struct{ ID string }
	json.Unmarshal([]byte(b1), &r1)
	json.Unmarshal([]byte(b2), &r2)
	if r1.ID != r2.ID || len(ts.records(t)) != 1 {
		t.Errorf("retry recorded again: %s vs %s, %d records", r1.ID, r2.ID, len(ts.records(t)))
	}
	s3, b3 := ts.do(t, "POST", api.PathDecisions, strings.Replace(decisionJSON, "accepted", "declined", 1), h...)
	if s3 != http.StatusConflict {
		t.Errorf("same key, other body: %d %s", s3, b3)
	}
}

func TestAdminEndpoints(t *testing.T) {
	ts := newTestServer(t)
	if s, b := ts.do(t, "POST", api.PathDecisions, decisionJSON, "Content-Type", "application/json"); s != 201 {
		t.Fatal(b)
	}
	auth := []string{"Authorization", "Bearer " + testAdminToken}
	for _, path := range []string{api.PathRecords, api.PathSubjects + "?email=dana@dealer.example"} {
		if s, _ := ts.do(t, "GET", path, ""); s != http.StatusUnauthorized {
			t.Errorf("%s without a token: %d", path, s)
		}
		if s, _ := ts.do(t, "GET", path, "", "Authorization", "Bearer wrong"); s != http.StatusUnauthorized {
			t.Errorf("%s with a wrong token: %d", path, s)
		}
	}
	s, body := ts.do(t, "GET", api.PathRecords+"?format=csv&product=xprotect-corporate", "", auth...)
	if s != 200 || !strings.Contains(body, "Dana Dealer") || !strings.Contains(body, "Customer A/S") {
		t.Errorf("csv export: %d %s", s, body)
	}
	s, body = ts.do(t, "GET", api.PathSubjects+"?email=carl@customer.example", "", auth...)
	if s != 200 || !strings.Contains(body, "Carl Customer") {
		t.Errorf("subject access: %d %s", s, body)
	}
	s, body = ts.do(t, "POST", api.PathErase, `{"email":"CARL@customer.example"}`, auth...)
	if s != 200 || !strings.Contains(body, `"erased":["`) {
		t.Fatalf("erase: %d %s", s, body)
	}
	_, body = ts.do(t, "GET", api.PathRecords, "", auth...)
	if strings.Contains(body, "Carl") || strings.Contains(body, "Dana") || !strings.Contains(body, `"erased":true`) {
		t.Errorf("after erasure the export still names the person: %s", body)
	}
	var rec struct{ ID string }
	json.Unmarshal([]byte(strings.SplitN(body, "\n", 2)[0]), &rec)
	_, rbody := ts.do(t, "GET", api.ReceiptPath(rec.ID), "")
	rc, err := eula.DecodeReceipt(strings.NewReader(rbody))
	if err != nil {
		t.Fatal(err)
	}
	if err := eula.VerifyReceipt(rc, ts.verifier); err != nil {
		t.Errorf("receipt after erasure: %v", err)
	}
}

func TestAdminTokenRules(t *testing.T) {
	ts := newTestServer(t)
	if s, _ := ts.do(t, "GET", api.PathRecords, "", "Authorization", "bearer "+testAdminToken); s != 200 {
		t.Errorf("lower-case bearer scheme: %d", s)
	}
	var cfg web.Config
	newTestServer(t, func(c *web.Config) { cfg = *c })
	cfg.AdminToken = "short"
	if _, err := web.New(cfg); err == nil {
		t.Error("a 5-character administrator token was accepted")
	}
}
