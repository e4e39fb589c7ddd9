package eula_test

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/google/go-cmp/cmp"
)

func TestDelegate(t *testing.T) {
	update := eula.Delegation{Computer: "srv-1", Product: "xprotect-corporate", Version: "2025.2", Document: eula.Shown{Version: "20260101"}}
	declinedAdmin := adminAccepted()
	declinedAdmin.ID, declinedAdmin.Index, declinedAdmin.Decision = "00000000-0000-4000-8000-00000000000a", 5, eula.Declined
	laterDecline := userAccepted()
	laterDecline.ID, laterDecline.Index, laterDecline.Decision = "00000000-0000-4000-8000-00000000000b", 6, eula.Declined
	onlyDelegated := userAccepted()
	onlyDelegated.Role = eula.RoleDelegated
	delegatedBefore, err := eula.Delegate(update, []eula.Record{adminAccepted()}, []eula.Record{userAccepted()})
	if err != nil {
		t.Fatal(err)
	}
	delegatedBefore.ID, delegatedBefore.Index = idDeleg, 3
	otherProduct := userAccepted()
	otherProduct.Product = "xprotect-expert"
	for _, test := range []struct {
		name    string
		d       eula.Delegation
		admin   []eula.Record
		history []eula.Record
		want    string // refusal code; "" for granted
	}{
		{"granted", update, []eula.Record{adminAccepted()}, []eula.Record{userAccepted()}, ""},
		{"first install", update, []eula.Record{adminAccepted()}, nil, "first-install"},
		{"first install of this product", update, []eula.Record{adminAccepted()}, []eula.Record{otherProduct}, "first-install"},
		{"no administrator", update, nil, []eula.Record{userAccepted()}, "no-administrator"},
		{"administrator declined later", update, []eula.Record{adminAccepted(), declinedAdmin}, []eula.Record{userAccepted()}, "no-administrator"},
		{"user declined later", update, []eula.Record{adminAccepted()}, []eula.Record{userAccepted(), laterDecline}, "no-assignment"},
		{"only delegated records", update, []eula.Record{adminAccepted()}, []eula.Record{onlyDelegated}, "no-assignment"},
		{"already recorded", update, []eula.Record{adminAccepted()}, []eula.Record{userAccepted(), delegatedBefore}, "already-recorded"},
		{"declined after the same update", update, []eula.Record{adminAccepted()}, []eula.Record{userAccepted(), delegatedBefore, laterDecline}, "no-assignment"},
		{"missing computer", eula.Delegation{Product: "xprotect-corporate", Document: eula.Shown{Version: "1"}}, nil, nil, "invalid"},
		{"hostile computer", eula.Delegation{Computer: "<script>", Product: "xprotect-corporate", Document: eula.Shown{Version: "1"}}, nil, nil, "invalid"},
		{"update manager itself", eula.Delegation{Computer: "srv-1", Product: eula.ProductUpdateManager, Document: eula.Shown{Version: "1"}}, nil, nil, "invalid"},
	} {
		t.Run(test.name, func(t *testing.T) {
			d, err := eula.Delegate(test.d, test.admin, test.history)
			if test.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				d.Document.Hash, d.Document.OriginalHash = "sha256:1", "sha256:2"
				if err := d.Validate(); err != nil {
					t.Errorf("delegated record does not validate: %v", err)
				}
				return
			}
			if got := eula.RefusalCode(err); got != test.want {
				t.Errorf("refusal %q (%v), want %q", got, err, test.want)
			}
		})
	}
}

func TestAdminAcceptance(t *testing.T) {
	admin := eula.Person{Name: "Ada"}
	for _, test := range []struct {
		name      string
		admin     eula.Person
		computers []string
		want      string
	}{
		{"ok", admin, []string{"a", "b"}, ""},
		{"nobody", eula.Person{}, []string{"a"}, "administrator:"},
		{"no computers", admin, nil, "computers:"},
		{"twice", admin, []string{"a", "a"}, "computers[1]"},
		{"space", admin, []string{"a b"}, "computers[0]"},
		{"too many", admin, make([]string, eula.MaxComputers+1), "more than"},
		{"control character", eula.Person{Name: "Ada\x1b[31m"}, []string{"a"}, "administrator.name"},
	} {
		t.Run(test.name, func(t *testing.T) {
			recs, err := eula.AdminAcceptance(test.admin, eula.Shown{Version: "20250212", Language: "en", Hash: "h", OriginalHash: "o"}, test.computers)
			if test.want == "" {
				if err != nil || len(recs) != len(test.computers) {
					t.Fatalf("%d records, %v", len(recs), err)
				}
				for _, r := range recs {
					if err := r.Validate(); err != nil {
						t.Error(err)
					}
				}
				return
			}
			if !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), test.want) {
				t.Errorf("error %v, want %q", err, test.want)
			}
		})
	}
}

func TestReference(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		ref, err := eula.NewReference(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if seen[ref] {
			t.Fatalf("reference %s twice", ref)
		}
		seen[ref] = true
		if got, err := eula.ParseReference(ref); err != nil || got != ref {
			t.Fatalf("ParseReference(%q) = %q, %v", ref, got, err)
		}
		// Every single wrong symbol is caught.
		for i := range ref {
			if ref[i] == '-' {
				continue
			}
			for _, c := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ" {
				if byte(c) == ref[i] {
					continue
				}
				typo := ref[:i] + string(c) + ref[i+1:]
				if _, err := eula.ParseReference(typo); err == nil {
					t.Fatalf("typo %s of %s accepted", typo, ref)
				}
			}
		}
	}
	for _, test := range []struct{ in, want string }{
		{"0000-0000-000", "0000-0000-000"},
		{"oooo oooo ooo", "0000-0000-000"},
		{"0000-0000-00", "symbols"},
		{"0000-0000-00U", "not a symbol"},
		{"<script>", "not a symbol"},
		{strings.Repeat("0", 40), "longer"},
	} {
		got, err := eula.ParseReference(test.in)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, test.want) {
			t.Errorf("ParseReference(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func FuzzParseReference(f *testing.F) {
	f.Add("7K3M-Q9TZ-4HR")
	f.Add("o0Il-")
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := eula.ParseReference(s)
		if err != nil {
			return
		}
		again, err := eula.ParseReference(ref)
		if err != nil || again != ref {
			t.Fatalf("%q parsed to %q, which parses to %q, %v", s, ref, again, err)
		}
	})
}

func TestDealerAcceptance(t *testing.T) {
	valid := func() eula.DealerAcceptance {
		return eula.DealerAcceptance{
			Dealer:   eula.Person{Organization: "Dealer Ltd", Name: "Dana", Email: "dana@dealer.example"},
			Customer: eula.Person{Organization: "Kunde GmbH", Name: "Karl", Email: "karl@kunde.example"},
			Product:  "husky-m20", Document: eula.Shown{Version: "20250212", Language: "en"},
			CustomerAccepted: true, ReturnRightUnderstood: true,
		}
	}
	for _, test := range []struct {
		name string
		edit func(a *eula.DealerAcceptance)
		want string
	}{
		{"ok", func(a *eula.DealerAcceptance) {}, ""},
		{"integrator", func(a *eula.DealerAcceptance) { a.Role = eula.RoleIntegrator }, ""},
		{"end user", func(a *eula.DealerAcceptance) { a.Role = eula.RoleEndUser }, "role:"},
		{"unknown product", func(a *eula.DealerAcceptance) { a.Product = "husky-z" }, "product:"},
		{"no dealer organisation", func(a *eula.DealerAcceptance) { a.Dealer.Organization = " " }, "dealer.organization: missing"},
		{"no dealer name", func(a *eula.DealerAcceptance) { a.Dealer.Name = "" }, "dealer.name: missing"},
		{"no dealer e-mail", func(a *eula.DealerAcceptance) { a.Dealer.Email = "" }, "dealer.email: missing"},
		{"no customer", func(a *eula.DealerAcceptance) { a.Customer.Organization = "" }, "customer.organization: missing"},
		{"no contact", func(a *eula.DealerAcceptance) { a.Customer.Name = "" }, "customer.name: missing"},
		{"no customer e-mail", func(a *eula.DealerAcceptance) { a.Customer.Email = "" }, "customer.email: missing"},
		{"bad e-mail", func(a *eula.DealerAcceptance) { a.Customer.Email = "karl" }, "customer.email: not an e-mail"},
		{"bidi in name", func(a *eula.DealerAcceptance) { a.Customer.Organization = "\u202eHbmG" }, "customer.organization: control"},
		{"without the customer's acceptance", func(a *eula.DealerAcceptance) { a.CustomerAccepted = false }, "customer_accepted"},
		{"return right not acknowledged", func(a *eula.DealerAcceptance) { a.ReturnRightUnderstood = false }, "return_right_understood"},
	} {
		t.Run(test.name, func(t *testing.T) {
			a := valid()
			test.edit(&a)
			r, err := a.Record(testCatalog, "0000-0000-000")
			if test.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				r.Document.Hash, r.Document.OriginalHash = "h", "o"
				if err := r.Validate(); err != nil {
					t.Error(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Errorf("error %v, want %q", err, test.want)
			}
		})
	}
}

func TestReturnRight(t *testing.T) {
	for _, test := range []struct {
		key          string
		returns, pre bool
	}{
		{"xprotect-corporate", true, false},
		{"husky-ivo-150d", false, false},
		{"husky-m20", false, true},
		{"husky-m", false, true},
	} {
		p, err := testCatalog.Product(test.key)
		if err != nil {
			t.Fatal(err)
		}
		if eula.ReturnRight(p) != test.returns || eula.RequiresPriorAcceptance(p) != test.pre {
			t.Errorf("%s: return right %v, prior acceptance %v", test.key, eula.ReturnRight(p), eula.RequiresPriorAcceptance(p))
		}
	}
}

func TestConfirmRefused(t *testing.T) {
	dealer := eula.Record{ID: idDeal, Role: eula.RoleDealer, Reference: "0000-0000-000", Decision: eula.Accepted, Product: "husky-m"}
	boot := eula.Record{Role: eula.RoleEndUser, Channel: eula.ChannelFirstBoot, Product: "husky-m50"}
	for _, test := range []struct {
		name          string
		dealer, boot  func(r *eula.Record)
		wantForbidden bool
	}{
		{"ok", func(*eula.Record) {}, func(*eula.Record) {}, false},
		{"other product", func(*eula.Record) {}, func(r *eula.Record) { r.Product = "husky-x2" }, true},
		{"not a dealer", func(r *eula.Record) { r.Role = eula.RoleEndUser }, func(*eula.Record) {}, true},
		{"dealer declined", func(r *eula.Record) { r.Decision = eula.Declined }, func(*eula.Record) {}, true},
		{"not at first boot", func(*eula.Record) {}, func(r *eula.Record) { r.Channel = eula.ChannelBrowser }, true},
	} {
		t.Run(test.name, func(t *testing.T) {
			d, b := dealer, boot
			test.dealer(&d)
			test.boot(&b)
			_, err := eula.Confirm(testCatalog, d, b)
			if got := errors.Is(err, eula.ErrForbidden); got != test.wantForbidden {
				t.Errorf("forbidden %v (%v), want %v", got, err, test.wantForbidden)
			}
		})
	}
}

// mapStore is a Store that only answers Get.
type mapStore struct {
	eula.Store
	recs map[string]eula.Record
}

func (s mapStore) Get(_ context.Context, id string) (eula.Record, error) {
	r, ok := s.recs[id]
	if !ok {
		return eula.Record{}, eula.ErrNotFound
	}
	return r, nil
}

func TestChain(t *testing.T) {
	d := eula.Record{ID: idDeleg, Index: 3, Role: eula.RoleDelegated, DerivedFrom: []string{idAdmin, idUser}}
	s := mapStore{recs: map[string]eula.Record{idDeleg: d, idAdmin: adminAccepted(), idUser: userAccepted()}}
	chain, err := eula.Chain(context.Background(), s, idDeleg)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range chain {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{idDeleg, idAdmin, idUser}, ids); diff != "" {
		t.Errorf("chain (-want +got):\n%s", diff)
	}
	delete(s.recs, idUser)
	if _, err := eula.Chain(context.Background(), s, idDeleg); !errors.Is(err, eula.ErrNotFound) || !strings.Contains(err.Error(), idUser) {
		t.Errorf("missing link: %v", err)
	}
	// A cycle ends.
	s.recs[idUser] = eula.Record{ID: idUser, DerivedFrom: []string{idDeleg}}
	if chain, err := eula.Chain(context.Background(), s, idDeleg); err != nil || len(chain) != 3 {
		t.Errorf("cycle: %d records, %v", len(chain), err)
	}
}
