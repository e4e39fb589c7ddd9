package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
)

// seen is a request as the test server received it.
type seen struct {
	Method, Path, Query, Body string
	Header                    http.Header
}

// fakeServer answers every request with status and body, and records the
// last request.
func fakeServer(t *testing.T, status int, body string) (*httptest.Server, *seen) {
	t.Helper()
	var got seen
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = seen{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Body: string(b), Header: r.Header.Clone()}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(ts.Close)
	return ts, &got
}

func newClient(t *testing.T, rawURL string, opts ...api.ClientOption) *api.Client {
	t.Helper()
	base, err := apihttp.ParseBase(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return api.NewClient(apihttp.New(base), opts...)
}

// TestClientEndpoints: each method sends its endpoint's method, path, query
// and body, and decodes the answer.
func TestClientEndpoints(t *testing.T) {
	ctx := context.Background()
	yes := true
	for _, test := range []struct {
		name   string
		answer string
		call   func(*api.Client) (any, error)
		want   seen
		out    any
	}{
		{
			name:   "health",
			answer: `{"status":"ok","version":"v1"}`,
			call:   func(c *api.Client) (any, error) { return c.Health(ctx) },
			want:   seen{Method: "GET", Path: "/healthz"},
			out:    api.Health{Status: "ok", Version: "v1"},
		},
		{
			name:   "view",
			answer: `{"lang":"ru","sections":[{"id":"s1","title":"T","level":2,"html":"<p>x</p>","hash":"h"}],"labels":{"accept":"Принимаю"}}`,
			call: func(c *api.Client) (any, error) {
				return c.View(ctx, api.ViewRequest{Query: api.Query{Lang: "ru", Product: "husky-m20", Kiosk: true}, Prefer: "ru,en"})
			},
			want: seen{Method: "GET", Path: "/api/v1/view", Query: "kiosk=1&lang=ru&prefer=ru%2Cen&product=husky-m20"},
			out:  api.View{Lang: "ru", Sections: []api.Section{{ID: "s1", Title: "T", Level: 2, HTML: "<p>x</p>", Hash: "h"}}, Labels: api.Labels{"accept": "Принимаю"}},
		},
		{
			name:   "decide",
			answer: `{"id":"r1","decision":"accepted","index":7,"receipt":{"index":7}}`,
			call: func(c *api.Client) (any, error) {
				return c.Decide(ctx, api.DecisionRequest{
					Decision: api.DecisionAccepted, Document: api.DocumentRef{ID: "eula", Version: "20250212", Language: "en"},
					Product: "husky-m20", Installer: api.InstallerRef{MachineID: "box-1"}, RegisterConsent: &yes,
				})
			},
			want: seen{Method: "POST", Path: "/api/v1/decisions",
				Body: `{"decision":"accepted","document":{"id":"eula","version":"20250212","language":"en"},"product":"husky-m20","installer":{"machine_id":"box-1"},"register_consent":true}`},
			out: api.DecisionResponse{ID: "r1", Decision: "accepted", Index: 7, Receipt: json.RawMessage(`{"index":7}`)},
		},
		{
			name:   "receipt, id escaped",
			answer: `{"index":3}`,
			call:   func(c *api.Client) (any, error) { return c.Receipt(ctx, "a/b c") },
			want:   seen{Method: "GET", Path: "/api/v1/records/a%2Fb%20c/receipt"},
			out:    json.RawMessage(`{"index":3}`),
		},
		{
			name:   "chain",
			answer: `{"chain":[{"index":1},{"index":0}],"check":"ok"}`,
			call:   func(c *api.Client) (any, error) { return c.Chain(ctx, "r1") },
			want:   seen{Method: "GET", Path: "/api/v1/records/r1/chain"},
			out:    api.ChainResponse{Chain: []json.RawMessage{json.RawMessage(`{"index":1}`), json.RawMessage(`{"index":0}`)}, Check: "ok"},
		},
		{
			name:   "status",
			answer: `{"state":"accepted","current_version":"20250212","version":"20250212","record_id":"r1","index":4}`,
			call: func(c *api.Client) (any, error) {
				return c.Status(ctx, api.StatusQuery{Installer: "box 1", Product: "husky-m20"})
			},
			want: seen{Method: "GET", Path: "/api/v1/status", Query: "installer=box+1&product=husky-m20"},
			out:  api.Status{State: api.StateAccepted, CurrentVersion: "20250212", Version: "20250212", RecordID: "r1", Index: 4},
		},
		{
			name:   "records",
			answer: "{\"id\":\"r1\"}\n{\"id\":\"r2\"}\n",
			call: func(c *api.Client) (any, error) {
				return c.Records(ctx, api.RecordsQuery{Format: "jsonl", Role: "dealer"})
			},
			want: seen{Method: "GET", Path: "/api/v1/records", Query: "format=jsonl&role=dealer"},
			out:  []byte("{\"id\":\"r1\"}\n{\"id\":\"r2\"}\n"),
		},
		{
			name:   "subject",
			answer: `{"email":"a@b.example","exported":"2026-01-02T03:04:05Z","records":[{"id":"r1"}]}`,
			call:   func(c *api.Client) (any, error) { return c.Subject(ctx, api.SubjectQuery{Email: "a@b.example"}) },
			want:   seen{Method: "GET", Path: "/api/v1/subjects", Query: "email=a%40b.example"},
		},
		{
			name:   "erase",
			answer: `{"erased":["r1"]}`,
			call:   func(c *api.Client) (any, error) { return c.Erase(ctx, api.EraseRequest{Email: "a@b.example"}) },
			want:   seen{Method: "POST", Path: "/api/v1/subjects/erase", Body: `{"email":"a@b.example"}`},
			out:    api.EraseResponse{Erased: []string{"r1"}},
		},
		{
			name:   "admin acceptance",
			answer: `{"acceptances":[{"computer":"srv-1","id":"r1","index":1}]}`,
			call: func(c *api.Client) (any, error) {
				return c.AdminAccept(ctx, api.AdminAcceptanceRequest{Administrator: api.Person{Name: "Ada"}, Computers: []string{"srv-1"}})
			},
			want: seen{Method: "POST", Path: "/api/v1/admin/acceptances", Body: `{"administrator":{"name":"Ada"},"document":{},"computers":["srv-1"]}`},
			out:  api.AdminAcceptanceResponse{Acceptances: []api.AdminAcceptance{{Computer: "srv-1", ID: "r1", Index: 1}}},
		},
		{
			name:   "delegation",
			answer: `{"product":"p","version":"1","document_version":"d","results":[{"computer":"srv-1","result":"prompt-user","reason":"first-install","message":"m"}]}`,
			call: func(c *api.Client) (any, error) {
				return c.Delegate(ctx, api.DelegationRequest{Product: "p", Version: "1", Document: api.DocumentRef{Version: "d"}, Computers: []string{"srv-1"}})
			},
			want: seen{Method: "POST", Path: "/api/v1/delegations", Body: `{"product":"p","version":"1","document":{"version":"d"},"computers":["srv-1"]}`},
			out: api.DelegationResponse{Product: "p", Version: "1", DocumentVersion: "d",
				Results: []api.DelegationResult{{Computer: "srv-1", Result: api.ResultPromptUser, Reason: "first-install", Message: "m"}}},
		},
		{
			name:   "dealer acceptance",
			answer: `{"id":"r1","reference":"7K3M-Q9TZ-4HR","attribution":{"reference":"7K3M-Q9TZ-4HR","record_id":"r1","role":"dealer","product":"husky-m20","document_version":"d","date":"2026-01-02","text":"t"},"receipt":{}}`,
			call: func(c *api.Client) (any, error) {
				return c.DealerAccept(ctx, api.DealerAcceptanceRequest{Dealer: api.Person{Organization: "D"}, Customer: api.Person{Organization: "C"},
					Product: "husky-m20", CustomerAccepted: true, ReturnRightUnderstood: true})
			},
			want: seen{Method: "POST", Path: "/api/v1/dealer/acceptances",
				Body: `{"dealer":{"organization":"D"},"customer":{"organization":"C"},"product":"husky-m20","document":{},"customer_accepted":true,"return_right_understood":true}`},
			out: api.DealerResponse{ID: "r1", Reference: "7K3M-Q9TZ-4HR", Receipt: json.RawMessage(`{}`), Attribution: api.Attribution{
				Reference: "7K3M-Q9TZ-4HR", RecordID: "r1", Role: api.RoleDealer, Product: "husky-m20", DocumentVersion: "d", Date: "2026-01-02", Text: "t"}},
		},
		{
			name:   "reference",
			answer: `{"reference":"7K3M-Q9TZ-4HR","record_id":"r1","role":"dealer","product":"p","document_version":"d","dealer":"D","customer":"C","date":"2026-01-02","text":"t"}`,
			call:   func(c *api.Client) (any, error) { return c.Reference(ctx, "7K3M-Q9TZ-4HR") },
			want:   seen{Method: "GET", Path: "/api/v1/references/7K3M-Q9TZ-4HR"},
			out: api.Attribution{Reference: "7K3M-Q9TZ-4HR", RecordID: "r1", Role: "dealer", Product: "p", DocumentVersion: "d",
				Dealer: "D", Customer: "C", Date: "2026-01-02", Text: "t"},
		},
		{
			name:   "confirmation",
			answer: `{"id":"r2","reference":"R","attribution":{"reference":"R","record_id":"r1","role":"dealer","product":"p","document_version":"d","date":"x","text":"t"},"receipt":{}}`,
			call: func(c *api.Client) (any, error) {
				return c.Confirm(ctx, "R", api.ConfirmationRequest{Product: "p", Installer: api.ConfirmationInstaller{MachineID: "nvr-1"}})
			},
			want: seen{Method: "POST", Path: "/api/v1/references/R/confirmations", Body: `{"product":"p","installer":{"machine_id":"nvr-1"},"document":{}}`},
		},
		{
			name:   "affiliate acceptance",
			answer: `{"id":"r3","decision":"accepted","index":2,"receipt":{}}`,
			call: func(c *api.Client) (any, error) {
				return c.AffiliateAccept(ctx, api.AffiliateAcceptanceRequest{Licensee: "L", Affiliate: "A", Actor: api.Person{Name: "N"}, Product: "p"})
			},
			want: seen{Method: "POST", Path: "/api/v1/affiliates/acceptances",
				Body: `{"licensee":"L","affiliate":"A","actor":{"name":"N"},"product":"p","document":{}}`},
			out: api.DecisionResponse{ID: "r3", Decision: "accepted", Index: 2, Receipt: json.RawMessage(`{}`)},
		},
		{
			name:   "affiliate status",
			answer: `{"licensee":"L","affiliate":"A","product":"p","state":"none","current_version":"d"}`,
			call: func(c *api.Client) (any, error) {
				return c.AffiliateStatus(ctx, api.AffiliateStatusQuery{Licensee: "L", Affiliate: "A", Product: "p"})
			},
			want: seen{Method: "GET", Path: "/api/v1/affiliates/status", Query: "affiliate=A&licensee=L&product=p"},
			out:  api.AffiliateStatus{Licensee: "L", Affiliate: "A", Product: "p", Status: api.Status{State: api.StateNone, CurrentVersion: "d"}},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			ts, got := fakeServer(t, http.StatusOK, test.answer)
			out, err := test.call(newClient(t, ts.URL))
			if err != nil {
				t.Fatal(err)
			}
			req := *got
			req.Header = nil
			if diff := cmp.Diff(test.want, req); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if test.out != nil {
				if diff := cmp.Diff(test.out, out); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
			}
			if test.want.Body != "" && got.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", got.Header.Get("Content-Type"))
			}
		})
	}
}

// TestClientHeaders: the administrator token, the CSRF token and the
// idempotency key go as headers, and only when given.
func TestClientHeaders(t *testing.T) {
	ctx := context.Background()
	ts, got := fakeServer(t, http.StatusCreated, `{"id":"r1","decision":"accepted","index":1,"receipt":{}}`)
	req := api.DecisionRequest{Decision: api.DecisionAccepted, Product: "p"}

	if _, err := newClient(t, ts.URL).Decide(ctx, req); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Authorization", "X-CSRF-Token", "Idempotency-Key"} {
		if v, ok := got.Header[h]; ok {
			t.Errorf("%s: %q sent though not given", h, v)
		}
	}
	if got.Header.Get("Accept") != "application/json" {
		t.Errorf("Accept %q", got.Header.Get("Accept"))
	}

	c := newClient(t, ts.URL, api.WithAdminToken("token-0123456789abcdef"))
	if _, err := c.Decide(ctx, req, api.WithCSRFToken("csrf-1"), api.WithIdempotencyKey("idem-1"), api.WithIdempotencyKey("")); err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]string{
		"Authorization":   "Bearer token-0123456789abcdef",
		"X-CSRF-Token":    "csrf-1",
		"Idempotency-Key": "idem-1",
	} {
		if v := got.Header.Get(h); v != want {
			t.Errorf("%s: %q, want %q", h, v, want)
		}
	}
}

// TestClientErrors: answers that are not a success come back as *api.Error
// with the status and the body's code; other failures are told apart.
func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	for _, test := range []struct {
		name          string
		status        int
		body          string
		code, message string
	}{
		{"invalid", 400, `{"error":{"code":"invalid","message":"document.language \"xx\": invalid"}}`, api.CodeInvalid, `document.language "xx": invalid`},
		{"unauthorized", 401, `{"error":{"code":"unauthorized","message":"the administrator token is wrong"}}`, api.CodeUnauthorized, "the administrator token is wrong"},
		{"not found", 404, `{"error":{"code":"not_found","message":"no such record"}}`, api.CodeNotFound, "no such record"},
		{"conflict", 409, `{"error":{"code":"conflict","message":"key reused"}}`, api.CodeConflict, "key reused"},
		{"proxy page", 502, "<html>Bad Gateway</html>\n", "", "<html>Bad Gateway</html>"},
		{"long page", 503, strings.Repeat("é", 600), "", strings.Repeat("é", 256) + "…"},
	} {
		t.Run(test.name, func(t *testing.T) {
			ts, _ := fakeServer(t, test.status, test.body)
			_, err := newClient(t, ts.URL).Status(ctx, api.StatusQuery{Installer: "i", Product: "p"})
			var e *api.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *api.Error", err, err)
			}
			if e.Status != test.status || e.Code != test.code || e.Message != test.message || e.Method != "GET" || !strings.HasPrefix(e.Path, api.PathStatus+"?") {
				t.Errorf("got %+v", e)
			}
			if api.ErrorCode(err) != test.code || api.HTTPStatus(err) != test.status {
				t.Errorf("ErrorCode %q, HTTPStatus %d", api.ErrorCode(err), api.HTTPStatus(err))
			}
			if wrapped := errors.Join(errors.New("context"), err); api.ErrorCode(wrapped) != test.code {
				t.Errorf("ErrorCode of a joined error: %q", api.ErrorCode(wrapped))
			}
		})
	}

	t.Run("unexpected answer", func(t *testing.T) {
		ts, _ := fakeServer(t, http.StatusOK, `<html>a captive portal</html>`)
		_, err := newClient(t, ts.URL).Status(ctx, api.StatusQuery{})
		if !errors.Is(err, api.ErrUnexpectedAnswer) || api.HTTPStatus(err) != 0 {
			t.Errorf("got %v", err)
		}
	})
	t.Run("no answer", func(t *testing.T) {
		ts, _ := fakeServer(t, http.StatusOK, `{}`)
		ts.Close()
		_, err := newClient(t, ts.URL).Status(ctx, api.StatusQuery{})
		if err == nil || errors.Is(err, api.ErrUnexpectedAnswer) || api.HTTPStatus(err) != 0 {
			t.Errorf("got %v", err)
		}
	})
}

// TestPaths: the functions that fill in a path escape the value once.
func TestPaths(t *testing.T) {
	for _, test := range []struct{ got, want string }{
		{api.ReceiptPath("0190-ab"), "/api/v1/records/0190-ab/receipt"},
		{api.ChainPath("a/b"), "/api/v1/records/a%2Fb/chain"},
		{api.ReferencePath("7K3M-Q9TZ-4HR"), "/api/v1/references/7K3M-Q9TZ-4HR"},
		{api.ConfirmationsPath("<x>"), "/api/v1/references/%3Cx%3E/confirmations"},
		{api.WithQuery(api.PathStatus, nil), "/api/v1/status"},
		{api.WithQuery(api.PathStatus, url.Values{"product": {"p"}}), "/api/v1/status?product=p"},
	} {
		if test.got != test.want {
			t.Errorf("got %q, want %q", test.got, test.want)
		}
	}
}

// TestQueryRoundTrip: ParseQuery reads back what Query.Encode writes.
func TestQueryRoundTrip(t *testing.T) {
	q := api.Query{Lang: "ja", Product: "husky-m20", Installer: "box 1", InstallerVersion: "2.0", MustRead: true, Kiosk: true, Return: "https://host.example/done?x=1"}
	u, _ := url.Parse(api.PathViewer + "?" + q.Encode())
	if diff := cmp.Diff(q, api.ParseQuery(u)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
