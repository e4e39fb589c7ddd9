package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/api/apihttp"
	"github.com/eulagate/eulagate/eula"
)

// recorder is an api.Doer that keeps the body of the last answer.
type recorder struct {
	api.Doer
	last []byte
}

func (r *recorder) Do(ctx context.Context, method, path string, h map[string]string, body []byte) (int, []byte, error) {
	status, b, err := r.Doer.Do(ctx, method, path, h, body)
	r.last = b
	return status, b, err
}

// TestAPIContract calls every endpoint through api.Client and checks that
// each answer decodes into its api type without loss: the type, encoded
// again, is the same JSON as the server's answer (no field of the answer
// missing from the type, none of the type missing from the answer). It is
// the contract between the server and every client in the module.
func TestAPIContract(t *testing.T) {
	ts := newTestServer(t)
	base, err := apihttp.ParseBase(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Doer: apihttp.New(base)}
	c := api.NewClient(rec)
	admin := api.NewClient(rec, api.WithAdminToken(testAdminToken))
	ctx := context.Background()

	// same checks that the last answer and v are the same JSON.
	same := func(what string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var want, got any
		if err := json.Unmarshal(rec.last, &want); err != nil {
			t.Fatalf("%s: the answer is not JSON: %v", what, err)
		}
		json.Unmarshal(again, &got) // Marshal's output
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: the api type loses or adds fields:\nanswer  %s\nencoded %s", what, bytes.TrimSpace(rec.last), again)
		}
	}
	receipt := func(what string, raw json.RawMessage) eula.Receipt {
		t.Helper()
		rc, err := eula.DecodeReceipt(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if err := eula.VerifyReceipt(rc, ts.verifier); err != nil {
			t.Errorf("%s: %v", what, err)
		}
		return rc
	}

	h, err := c.Health(ctx)
	same("health", h, err)
	if h.Status != "ok" {
		t.Errorf("health %+v", h)
	}
	doc, err := c.OpenAPI(ctx)
	same("openapi", doc, err)

	v, err := c.View(ctx, api.ViewRequest{Query: api.Query{Product: "xprotect-corporate", Lang: "ja", Installer: "srv-1"}})
	same("view", v, err)
	if v.Lang != "ja" || len(v.Sections) == 0 || len(v.Original) == 0 || v.Labels.Get("accept") == "accept" {
		t.Errorf("view: lang %q, %d sections, %d originals", v.Lang, len(v.Sections), len(v.Original))
	}

	// The viewer's decision, as the wasm sends it, retried once.
	decision := api.DecisionRequest{
		Decision:  api.DecisionAccepted,
		Document:  api.DocumentRef{ID: v.DocumentID, Version: v.Version, Language: v.Lang},
		Product:   v.ProductKey,
		Installer: api.InstallerRef{MachineID: v.Query.Installer, Version: "2025.1"},
	}
	d, err := c.Decide(ctx, decision, api.WithIdempotencyKey(v.IdempotencyKey+"-accepted"))
	same("decision", d, err)
	if receipt("decision", d.Receipt).Record.ID != d.ID || d.Replayed {
		t.Errorf("decision %+v", d)
	}
	again, err := c.Decide(ctx, decision, api.WithIdempotencyKey(v.IdempotencyKey+"-accepted"))
	same("decision replayed", again, err)
	if again.ID != d.ID || !again.Replayed {
		t.Errorf("retry: %+v", again)
	}
	rc, err := c.Receipt(ctx, d.ID)
	same("receipt", rc, err)
	receipt("receipt", rc)
	st, err := c.Status(ctx, api.StatusQuery{Installer: "srv-1", Product: "xprotect-corporate"})
	same("status", st, err)
	if st.State != api.StateAccepted || st.RecordID != d.ID || st.Time == nil {
		t.Errorf("status %+v", st)
	}

	// Update Manager: the administrator's acceptance, then a delegation.
	aa, err := admin.AdminAccept(ctx, api.AdminAcceptanceRequest{Administrator: api.Person{Name: "Ada"}, Computers: []string{"srv-1", "srv-2"}},
		api.WithIdempotencyKey("admin-1"))
	same("admin acceptance", aa, err)
	if len(aa.Acceptances) != 2 || aa.Acceptances[0].Computer != "srv-1" {
		t.Errorf("admin acceptance %+v", aa)
	}
	del, err := admin.Delegate(ctx, api.DelegationRequest{Product: "xprotect-corporate", Version: "2025.2", Computers: []string{"srv-1", "srv-2"}})
	same("delegation", del, err)
	if len(del.Results) != 2 || del.Results[0].Result != api.ResultRecorded || del.Results[1].Result != api.ResultPromptUser {
		t.Fatalf("delegation %+v", del)
	}
	chain, err := c.Chain(ctx, del.Results[0].ID)
	same("chain", chain, err)
	if len(chain.Chain) != 3 || chain.Check != "ok" {
		t.Errorf("chain of %d, check %q", len(chain.Chain), chain.Check)
	}

	// A dealer's acceptance, its reference, the end user's confirmation.
	dealer, err := c.DealerAccept(ctx, api.DealerAcceptanceRequest{
		Dealer:   api.Person{Organization: "Dealer Ltd", Name: "Dana", Email: "dana@dealer.example"},
		Customer: api.Person{Organization: "Kunde GmbH", Name: "Karl", Email: "karl@kunde.example"},
		Product:  "husky-m", CustomerAccepted: true, ReturnRightUnderstood: true,
	})
	same("dealer acceptance", dealer, err)
	ref, err := c.Reference(ctx, dealer.Reference)
	same("reference", ref, err)
	if ref.Dealer != "Dealer Ltd" || ref.Customer != "Kunde GmbH" || ref.RecordID != dealer.ID {
		t.Errorf("reference %+v", ref)
	}
	conf, err := c.Confirm(ctx, dealer.Reference, api.ConfirmationRequest{Product: "husky-m20", Installer: api.ConfirmationInstaller{MachineID: "nvr-1"}})
	same("confirmation", conf, err)
	if conf.Attribution.RecordID != dealer.ID {
		t.Errorf("confirmation %+v", conf)
	}

	// An affiliate.
	aff, err := c.AffiliateAccept(ctx, api.AffiliateAcceptanceRequest{Licensee: "Big Corp A/S", Affiliate: "Big Corp AB", Actor: api.Person{Name: "Sven"}, Product: "xprotect-expert"})
	same("affiliate acceptance", aff, err)
	as, err := c.AffiliateStatus(ctx, api.AffiliateStatusQuery{Licensee: "big corp a/s", Affiliate: "Big Corp AB", Product: "xprotect-expert"})
	same("affiliate status", as, err)
	if as.State != api.StateAccepted || as.RecordID != aff.ID {
		t.Errorf("affiliate status %+v", as)
	}

	// The administrator's export, subject access and erasure.
	if lines, err := admin.Records(ctx, api.RecordsQuery{Product: "xprotect-corporate"}); err != nil || bytes.Count(lines, []byte("\n")) != 2 { // the decision and the delegated acceptance
		t.Errorf("export: %v\n%s", err, lines)
	}
	subj, err := admin.Subject(ctx, api.SubjectQuery{Email: "karl@kunde.example"})
	same("subject", subj, err)
	if len(subj.Records) != 1 {
		t.Errorf("subject export of %d records", len(subj.Records))
	}
	erased, err := admin.Erase(ctx, api.EraseRequest{Email: "karl@kunde.example"})
	same("erase", erased, err)
	if len(erased.Erased) != 1 || erased.Erased[0] != dealer.ID {
		t.Errorf("erased %v", erased.Erased)
	}

	// Refusals come back as *api.Error with the error body's code.
	for _, test := range []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"unknown product", func() error {
			_, err := c.Status(ctx, api.StatusQuery{Installer: "srv-1", Product: "no-such-product"})
			return err
		}, 404, api.CodeNotFound},
		{"no installer", func() error { _, err := c.Status(ctx, api.StatusQuery{Product: "xprotect-corporate"}); return err }, 400, api.CodeInvalid},
		{"no token", func() error {
			_, err := c.Delegate(ctx, api.DelegationRequest{Product: "xprotect-corporate"})
			return err
		}, 401, api.CodeUnauthorized},
		{"administrator's record", func() error {
			r := decision
			r.Role = api.RoleDelegated
			_, err := c.Decide(ctx, r)
			return err
		}, 403, api.CodeForbidden},
		{"unknown record", func() error { _, err := c.Receipt(ctx, "0190"); return err }, 404, api.CodeNotFound},
		{"key reused", func() error {
			r := decision
			r.Decision = api.DecisionDeclined
			_, err := c.Decide(ctx, r, api.WithIdempotencyKey(v.IdempotencyKey+"-accepted"))
			return err
		}, 409, api.CodeConflict},
	} {
		t.Run(test.name, func(t *testing.T) {
			err := test.call()
			var e *api.Error
			if !errors.As(err, &e) || e.Status != test.status || e.Code != test.code || e.Message == "" {
				t.Errorf("got %v, want %d %s", err, test.status, test.code)
			}
			var body api.ErrorBody
			if err := json.Unmarshal(rec.last, &body); err != nil || body.Error.Code != test.code {
				t.Errorf("error body %s", rec.last)
			}
		})
	}
}
