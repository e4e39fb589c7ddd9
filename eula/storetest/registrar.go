package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	"golang.org/x/mod/sumdb/note"
)

// testRegistrar runs eulagate's use cases on s, without HTTP: what the
// server's handlers and the commands call. The versions, languages and
// products come from the bundled library, never a pinned list.
func testRegistrar(t *testing.T, s eula.Store, signer note.Signer, vkey string) {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	g, err := eula.NewRegistrar(lib, s, eula.WithSigner(signer))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	version := lib.Latest(eula.DocEULA)
	products := lib.Products()
	product := products[0].Key
	find := func(keep func(p eula.Product) bool) string {
		t.Helper()
		for _, p := range products {
			if keep(p) && p.Key != eula.ProductUpdateManager {
				return p.Key
			}
		}
		t.Skip("the bundled catalog has no product for this rule")
		return ""
	}
	from := eula.Origin{Addr: "192.0.2.7:1234", UserAgent: "storetest"}
	doc := func(lang string) eula.DocumentRef { return eula.DocumentRef{Version: version, Language: lang} }

	t.Run("Decide", func(t *testing.T) {
		lang := lib.CurrentLanguages(eula.DocEULA, version)
		shown := lang[len(lang)-1].String()
		rec, replayed, err := g.Decide(ctx, eula.DecisionRequest{
			Decision: eula.Accepted, Document: doc(shown), Product: product,
			Installer: eula.Installer{MachineID: "reg-decide"},
		}, from, "reg-decide-1")
		if err != nil || replayed {
			t.Fatalf("Decide: %v (replayed %v)", err, replayed)
		}
		d, _ := lib.Document(eula.DocEULA, version, lang[len(lang)-1])
		orig, _ := lib.OriginalHash(eula.DocEULA, version)
		if rec.Role != eula.RoleEndUser || rec.Channel != eula.ChannelInstaller || rec.Installer.Product != product ||
			rec.Installer.Version != eula.VersionUnspecified || rec.Document.Hash != d.Hash || rec.Document.OriginalHash != orig {
			t.Errorf("defaults or hashes not filled in: %+v", rec)
		}
		if rec.Personal == nil || rec.Personal.UserAgent != "storetest" {
			t.Errorf("origin not kept with the personal data: %+v", rec.Personal)
		}
		again, replayed, err := g.Decide(ctx, eula.DecisionRequest{
			Decision: eula.Accepted, Document: doc(shown), Product: product,
			Installer: eula.Installer{MachineID: "reg-decide"},
		}, from, "reg-decide-1")
		if err != nil || !replayed || again.ID != rec.ID {
			t.Errorf("retry: %v, replayed %v, id %s want %s", err, replayed, again.ID, rec.ID)
		}
		st, err := g.Status(ctx, "reg-decide", product)
		if err != nil || st.State != eula.StateAccepted || st.RecordID != rec.ID {
			t.Errorf("Status = %+v, %v; want accepted by %s", st, err, rec.ID)
		}
		if _, _, err := g.Decide(ctx, eula.DecisionRequest{Decision: eula.Declined, Document: doc("en"), Product: product,
			Installer: eula.Installer{MachineID: "reg-decide"}}, from, ""); err != nil {
			t.Fatal(err)
		}
		if st, _ := g.Status(ctx, "reg-decide", product); st.State != eula.StateDeclined {
			t.Errorf("after a refusal: %s, want declined", st.State)
		}
		rc, err := g.Receipt(ctx, rec.ID)
		if err != nil || rc.Record.Personal != nil {
			t.Fatalf("Receipt: %v, personal %v", err, rc.Record.Personal)
		}
		if err := eula.VerifyReceipt(rc, vkey); err != nil {
			t.Errorf("receipt does not verify: %v", err)
		}
	})

	t.Run("DecideRefused", func(t *testing.T) {
		valid := eula.DecisionRequest{Decision: eula.Accepted, Document: doc("en"), Product: product}
		for _, test := range []struct {
			name string
			edit func(r *eula.DecisionRequest)
			want error
			text string
		}{
			{"unknown product", func(r *eula.DecisionRequest) { r.Product = "x-unknown" }, eula.ErrInvalid, "product:"},
			{"unknown language", func(r *eula.DecisionRequest) { r.Document.Language = "x-unknown" }, eula.ErrInvalid, "document"},
			{"unknown version", func(r *eula.DecisionRequest) { r.Document.Version = "19990101" }, eula.ErrInvalid, "document"},
			{"no decision", func(r *eula.DecisionRequest) { r.Decision = "" }, eula.ErrInvalid, "decision"},
			{"delegated", func(r *eula.DecisionRequest) { r.Role = eula.RoleDelegated }, eula.ErrForbidden, "administrator"},
			{"api channel", func(r *eula.DecisionRequest) { r.Channel = eula.ChannelAPI }, eula.ErrForbidden, "administrator"},
			{"update manager administrator", func(r *eula.DecisionRequest) {
				r.Role, r.Product = eula.RoleAdministrator, eula.ProductUpdateManager
			}, eula.ErrForbidden, "administrator"},
		} {
			t.Run(test.name, func(t *testing.T) {
				in := valid
				test.edit(&in)
				_, _, err := g.Decide(ctx, in, from, "")
				if !errors.Is(err, test.want) || !strings.Contains(err.Error(), test.text) {
					t.Errorf("error %v, want %v with %q", err, test.want, test.text)
				}
			})
		}
	})

	t.Run("Delegation", func(t *testing.T) {
		if _, _, err := g.Decide(ctx, eula.DecisionRequest{Decision: eula.Accepted, Document: doc("en"), Product: product,
			Installer: eula.Installer{MachineID: "reg-pc-1"}}, from, ""); err != nil {
			t.Fatal(err)
		}
		admin := eula.Person{Name: "Ada Admin", Email: "ada@example.com"}
		recs, err := g.AcceptForComputers(ctx, eula.AdminAcceptanceRequest{Administrator: admin, Computers: []string{"reg-pc-1", "reg-pc-2"}}, from, "reg-admin")
		if err != nil || len(recs) != 2 {
			t.Fatalf("AcceptForComputers: %v, %d records", err, len(recs))
		}
		if recs[0].Record.Role != eula.RoleAdministrator || recs[0].Record.Document.Version != version {
			t.Errorf("administrator's record: %+v", recs[0].Record)
		}
		again, err := g.AcceptForComputers(ctx, eula.AdminAcceptanceRequest{Administrator: admin, Computers: []string{"reg-pc-1", "reg-pc-2"}}, from, "reg-admin")
		if err != nil || !again[0].Replayed || again[0].Record.ID != recs[0].Record.ID {
			t.Errorf("retry of the administrator's acceptance: %v %+v", err, again)
		}
		rep, err := g.Delegate(ctx, eula.DelegationRequest{Product: product, Version: "2.0", Computers: []string{"reg-pc-1", "reg-pc-2", "reg-pc-3"}}, from)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rep.Results {
			got[r.Computer] = r.Result + "/" + r.Reason
		}
		want := map[string]string{
			"reg-pc-1": eula.DelegationRecorded + "/",
			"reg-pc-2": eula.DelegationPromptUser + "/first-install",
			"reg-pc-3": eula.DelegationPromptUser + "/first-install",
		}
		for c, w := range want {
			if got[c] != w {
				t.Errorf("%s: %s, want %s", c, got[c], w)
			}
		}
		rep2, err := g.Delegate(ctx, eula.DelegationRequest{Product: product, Version: "2.0", Computers: []string{"reg-pc-1"}}, from)
		if err != nil || rep2.Results[0].Result != eula.DelegationAlreadyRecorded {
			t.Errorf("retry: %v %+v", err, rep2.Results)
		}
		chain, err := g.Chain(ctx, rep.Results[0].Record.ID)
		if err != nil || len(chain.Chain) != 3 || chain.Check != "ok" {
			t.Fatalf("Chain: %v, %d receipts, check %q", err, len(chain.Chain), chain.Check)
		}
		for _, rc := range chain.Chain {
			if err := eula.VerifyReceipt(rc, vkey); err != nil || rc.Record.Personal != nil {
				t.Errorf("chain receipt %s: %v (personal %v)", rc.Record.ID, err, rc.Record.Personal)
			}
		}
		if st, _ := g.Status(ctx, "reg-pc-1", product); st.State != eula.StateAccepted {
			t.Errorf("status after delegation: %s", st.State)
		}
		if _, err := g.Delegate(ctx, eula.DelegationRequest{Product: "x-unknown", Computers: []string{"reg-pc-1"}}, from); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("unknown product: %v, want ErrInvalid", err)
		}
		if _, err := g.Delegate(ctx, eula.DelegationRequest{Product: product}, from); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("no computers: %v, want ErrInvalid", err)
		}
	})

	t.Run("Dealer", func(t *testing.T) {
		mseries := find(func(p eula.Product) bool { return p.Rules.AcceptanceBeforePurchase })
		req := eula.DealerRequest{
			Dealer:   eula.Person{Organization: "Dealer Ltd", Name: "Dana", Email: "dana@dealer.example"},
			Customer: eula.Person{Organization: "Kunde GmbH", Name: "Karl", Email: "karl@kunde.example"},
			Product:  mseries, CustomerAccepted: true, ReturnRightUnderstood: true,
		}
		rc, err := g.AcceptForCustomer(ctx, req, from, "reg-dealer-1")
		if err != nil {
			t.Fatal(err)
		}
		if rc.Attribution.Dealer != "Dealer Ltd" || rc.Attribution.Customer != "Kunde GmbH" || rc.Reference == "" {
			t.Errorf("attribution: %+v", rc.Attribution)
		}
		again, err := g.AcceptForCustomer(ctx, req, from, "reg-dealer-1")
		if err != nil || !again.Replayed || again.Reference != rc.Reference {
			t.Errorf("retry: %v, replayed %v, reference %s want %s", err, again.Replayed, again.Reference, rc.Reference)
		}
		attr, err := g.Reference(ctx, strings.ToLower(strings.ReplaceAll(rc.Reference, "-", "")))
		if err != nil || attr.RecordID != rc.Record.ID || attr.Reference != rc.Reference {
			t.Errorf("Reference: %+v, %v", attr, err)
		}
		if _, err := g.CheckConfirmation(ctx, rc.Reference, mseries); err != nil {
			t.Errorf("CheckConfirmation for the same terms: %v", err)
		}
		other := find(func(p eula.Product) bool {
			want, _ := lib.Product(mseries)
			return p.SectionID != want.SectionID
		})
		if _, err := g.CheckConfirmation(ctx, rc.Reference, other); !errors.Is(err, eula.ErrForbidden) {
			t.Errorf("CheckConfirmation for %s: %v, want ErrForbidden", other, err)
		}
		c, err := g.Confirm(ctx, rc.Reference, eula.ConfirmationRequest{Decision: eula.Accepted, Product: mseries,
			Installer: eula.Installer{MachineID: "reg-nvr-1"}}, from, "")
		if err != nil {
			t.Fatal(err)
		}
		if c.Record.Channel != eula.ChannelFirstBoot || len(c.Record.DerivedFrom) != 1 || c.Record.DerivedFrom[0] != rc.Record.ID || c.Attribution.Dealer != "Dealer Ltd" {
			t.Errorf("confirmation: %+v", c)
		}
		if st, _ := g.Status(ctx, "reg-nvr-1", mseries); st.State != eula.StateAccepted {
			t.Errorf("status after confirmation: %s", st.State)
		}
		if _, err := g.Confirm(ctx, rc.Reference, eula.ConfirmationRequest{Decision: eula.Accepted, Product: other,
			Installer: eula.Installer{MachineID: "reg-nvr-2"}}, from, ""); !errors.Is(err, eula.ErrForbidden) {
			t.Errorf("confirmation for other terms: %v, want ErrForbidden", err)
		}
		// Records hold the keyed commitment, not the plain hash of the code.
		if rc.Record.Reference == eula.ReferenceCommitment(rc.Reference) || !g.HasReference(rc.Record, rc.Reference) {
			t.Errorf("the record's reference %q is not the keyed commitment of %s", rc.Record.Reference, rc.Reference)
		}
		// A dealer's acceptance recorded before keyed commitments (the
		// unkeyed hash) is still found.
		legacyRef, _ := eula.NewReference(strings.NewReader(strings.Repeat("legacy-code-", 4)))
		legacy, err := eula.DealerAcceptance{Dealer: req.Dealer, Customer: req.Customer, Product: mseries,
			Document: eula.Shown{ID: eula.DocEULA, Version: version, Language: "en"}, CustomerAccepted: true, ReturnRightUnderstood: true,
		}.Record(lib.Catalog(eula.DocEULA, version), legacyRef)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := lib.Document(eula.DocEULA, version, lib.Languages(eula.DocEULA, version)[0])
		legacy.Document.Hash, legacy.Document.OriginalHash = d.Hash, d.Hash
		if _, _, err := s.Append(ctx, legacy, ""); err != nil {
			t.Fatal(err)
		}
		if attr, err := g.Reference(ctx, legacyRef); err != nil || attr.Reference != legacyRef {
			t.Errorf("a code committed without a key: %+v %v", attr, err)
		}
		if _, err := g.Reference(ctx, "0000-0000-000"); !errors.Is(err, eula.ErrNotFound) {
			t.Errorf("unknown code: %v, want ErrNotFound", err)
		}
		bad := req
		bad.CustomerAccepted = false
		if _, err := g.AcceptForCustomer(ctx, bad, from, ""); !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), "customer_accepted") {
			t.Errorf("without the customer's acceptance: %v", err)
		}
	})

	t.Run("Affiliate", func(t *testing.T) {
		grants := find(func(p eula.Product) bool { return p.Rules.GrantsAffiliates })
		rec, _, err := g.AcceptForAffiliate(ctx, eula.AffiliateRequest{Licensee: "Big Corp A/S", Affiliate: "Big Corp AB",
			Actor: eula.Person{Name: "Sven"}, Product: grants}, from, "")
		if err != nil {
			t.Fatal(err)
		}
		st, err := g.AffiliateStatus(ctx, "big corp  a/s", "BIG CORP AB", grants)
		if err != nil || st.State != eula.StateAccepted || st.RecordID != rec.ID {
			t.Errorf("AffiliateStatus: %+v, %v", st, err)
		}
		not := find(func(p eula.Product) bool { return !p.Rules.GrantsAffiliates })
		if _, _, err := g.AcceptForAffiliate(ctx, eula.AffiliateRequest{Licensee: "L", Affiliate: "A",
			Actor: eula.Person{Name: "x"}, Product: not}, from, ""); !errors.Is(err, eula.ErrForbidden) {
			t.Errorf("affiliate of %s: %v, want ErrForbidden", not, err)
		}
	})

	t.Run("Records", func(t *testing.T) {
		email := "privacy-reg@example.com"
		rec, _, err := g.Decide(ctx, eula.DecisionRequest{Decision: eula.Accepted, Document: doc("en"), Product: product,
			Installer: eula.Installer{MachineID: "reg-privacy"}, Actor: &eula.Person{Name: "Pia", Email: email}}, from, "")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := g.Subject(ctx, email, &buf); err != nil || !strings.Contains(buf.String(), rec.ID) {
			t.Errorf("Subject: %v, %s", err, buf.String())
		}
		buf.Reset()
		if err := g.Export(ctx, eula.Filter{Product: product}, eula.FormatJSONL, &buf); err != nil || !strings.Contains(buf.String(), rec.ID) {
			t.Errorf("Export jsonl: %v", err)
		}
		buf.Reset()
		if err := g.Export(ctx, eula.Filter{}, eula.FormatCSV, &buf); err != nil || !strings.HasPrefix(buf.String(), strings.Join(eula.CSVHeader, ",")) {
			t.Errorf("Export csv: %v", err)
		}
		if err := g.Export(ctx, eula.Filter{}, "xml", &buf); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("Export xml: %v, want ErrInvalid", err)
		}
		ids, err := g.Erase(ctx, email)
		if err != nil || len(ids) != 1 || ids[0] != rec.ID {
			t.Fatalf("Erase: %v %v", ids, err)
		}
		rc, err := g.Receipt(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := eula.VerifyReceipt(rc, vkey); err != nil {
			t.Errorf("receipt after erasure: %v", err)
		}
		buf.Reset()
		if err := g.Subject(ctx, email, &buf); err != nil {
			t.Fatal(err)
		}
		var sub eula.SubjectExport
		if err := json.Unmarshal(buf.Bytes(), &sub); err != nil || len(sub.Records) != 0 {
			t.Errorf("Subject after erasure: %v, %d records", err, len(sub.Records))
		}
		if ids, err := g.Erase(ctx, "nobody@example.com"); err != nil || ids == nil || len(ids) != 0 {
			t.Errorf("Erase of nobody: %v %v, want an empty list", ids, err)
		}
		if _, err := g.Decision(ctx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, eula.ErrNotFound) {
			t.Errorf("Decision of an unknown id: %v", err)
		}
	})

	t.Run("Attest", func(t *testing.T) {
		const nonce = "nonce-0123456789abcdef"
		a, err := g.Attest(ctx, "reg-attest", product, nonce, "")
		if err != nil {
			t.Fatal(err)
		}
		st, rec, err := eula.VerifyAttestation(a, vkey, nonce, "reg-attest", product)
		if err != nil || rec != nil || st.Record != "" {
			t.Fatalf("no decision yet: %+v %v %v", st, rec, err)
		}
		accepted, _, err := g.Decide(ctx, eula.DecisionRequest{Decision: eula.Accepted, Document: doc("en"), Product: product,
			Installer: eula.Installer{MachineID: "reg-attest"}}, from, "")
		if err != nil {
			t.Fatal(err)
		}
		a, err = g.Attest(ctx, "reg-attest", product, nonce, accepted.ID)
		if err != nil {
			t.Fatal(err)
		}
		st, rec, err = eula.VerifyAttestation(a, vkey, nonce, "reg-attest", product)
		if err != nil || rec == nil || rec.ID != accepted.ID || st.Session != accepted.ID || rec.Decision != eula.Accepted {
			t.Fatalf("after acceptance: %+v %+v %v", st, rec, err)
		}
		// What a gate must refuse: another nonce (a replay), another
		// machine, a statement signed by another key, a receipt of another
		// record.
		if _, _, err := eula.VerifyAttestation(a, vkey, "nonce-replayed-0000000", "reg-attest", product); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("replayed nonce: %v", err)
		}
		if _, _, err := eula.VerifyAttestation(a, vkey, nonce, "reg-other", product); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("other machine: %v", err)
		}
		_, otherKey := Key(t)
		if _, _, err := eula.VerifyAttestation(a, otherKey, nonce, "reg-attest", product); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("other key: %v", err)
		}
		declined, _, err := g.Decide(ctx, eula.DecisionRequest{Decision: eula.Declined, Document: doc("en"), Product: product,
			Installer: eula.Installer{MachineID: "reg-attest"}}, from, "")
		if err != nil {
			t.Fatal(err)
		}
		// The old acceptance's receipt with the new statement: refused.
		fresh, err := g.Attest(ctx, "reg-attest", product, nonce, "")
		if err != nil {
			t.Fatal(err)
		}
		st, rec, err = eula.VerifyAttestation(fresh, vkey, nonce, "reg-attest", product)
		if err != nil || rec.ID != declined.ID {
			t.Fatalf("after refusal: %+v %v", rec, err)
		}
		// More than a page of other records after the decline (the privacy
		// notice): the decline still decides.
		for i := range eula.MaxHistoryPage + 1 {
			r := NewRecord(i)
			r.Installer.MachineID, r.Product, r.Document.ID = "reg-attest", product, eula.DocPrivacy
			if _, _, err := s.Append(ctx, r, ""); err != nil {
				t.Fatal(err)
			}
		}
		paged, err := g.Attest(ctx, "reg-attest", product, nonce, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, rec, err := eula.VerifyAttestation(paged, vkey, nonce, "reg-attest", product); err != nil || rec.ID != declined.ID {
			t.Fatalf("after a page of privacy records: %+v %v", rec, err)
		}
		mixed := eula.Attestation{Statement: fresh.Statement, Receipt: a.Receipt}
		if _, _, err := eula.VerifyAttestation(mixed, vkey, nonce, "reg-attest", product); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("statement with an older receipt: %v", err)
		}
		if _, err := g.Attest(ctx, "reg-attest", product, "short", ""); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("short nonce: %v", err)
		}
	})
}
