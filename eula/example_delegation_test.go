package eula_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eulagate/eulagate/eula"
)

// Ids of the records in the examples.
const (
	idUser  = "00000000-0000-4000-8000-000000000001"
	idAdmin = "00000000-0000-4000-8000-000000000002"
	idDeleg = "00000000-0000-4000-8000-000000000003"
	idDeal  = "00000000-0000-4000-8000-000000000004"
)

// userAccepted is the end user's own acceptance of version 20250212 on
// computer srv-1, which assigned acceptance of later versions to the system
// administrator.
func userAccepted() eula.Record {
	return eula.Record{
		ID: idUser, Index: 1, Installer: eula.Installer{Product: "xprotect-corporate", Version: "2025.1", MachineID: "srv-1"},
		Product: "xprotect-corporate", Document: eula.Shown{ID: "eula", Version: "20250212", Language: "hu"},
		Decision: eula.Accepted, Role: eula.RoleEndUser, Channel: eula.ChannelInstaller,
	}
}

// adminAccepted is the administrator's acceptance of the Update Manager
// terms for srv-1.
func adminAccepted() eula.Record {
	recs, err := eula.AdminAcceptance(eula.Person{Name: "Ada Admin"}, eula.Shown{Version: "20250212", Language: "en"}, []string{"srv-1", "srv-2"})
	if err != nil {
		panic(err)
	}
	r := recs[0]
	r.ID, r.Index = idAdmin, 2
	return r
}

func ExampleDelegate() {
	update := eula.Delegation{Computer: "srv-1", Product: "xprotect-corporate", Version: "2025.2", Document: eula.Shown{Version: "20260101"}}
	d, err := eula.Delegate(update, []eula.Record{adminAccepted()}, []eula.Record{userAccepted()})
	fmt.Println(err)
	fmt.Println(d.Role, d.Channel, d.Installer.MachineID, d.Document.Version, d.Document.Language)
	fmt.Println(d.DerivedFrom[0] == idAdmin, d.DerivedFrom[1] == idUser)
	// Output:
	// <nil>
	// delegated unattended-update srv-1 20260101 hu
	// true true
}

func ExampleDelegate_withoutAssignment() {
	// The user's own latest decision declines: nothing was assigned.
	declined := userAccepted()
	declined.Decision = eula.Declined
	update := eula.Delegation{Computer: "srv-1", Product: "xprotect-corporate", Version: "2025.2", Document: eula.Shown{Version: "20260101"}}
	_, err := eula.Delegate(update, []eula.Record{adminAccepted()}, []eula.Record{declined})
	fmt.Println(errors.Is(err, eula.ErrNoAssignment), errors.Is(err, eula.ErrForbidden), eula.RefusalCode(err))
	// Output:
	// true true no-assignment
}

func ExampleDelegate_withoutAdministrator() {
	update := eula.Delegation{Computer: "srv-1", Product: "xprotect-corporate", Version: "2025.2", Document: eula.Shown{Version: "20260101"}}
	_, err := eula.Delegate(update, nil, []eula.Record{userAccepted()})
	fmt.Println(eula.RefusalCode(err))
	fmt.Println(err)

	// An administrator's acceptance for other computers does not cover srv-1.
	other := adminAccepted()
	other.Installer.MachineID = "srv-9"
	_, err = eula.Delegate(update, []eula.Record{other}, []eula.Record{userAccepted()})
	fmt.Println(eula.RefusalCode(err))
	// Output:
	// no-administrator
	// srv-1: no system administrator has accepted the XProtect Update Manager terms for this computer: its user must be prompted: forbidden
	// not-covered
}

func ExampleDelegate_firstInstall() {
	// A computer that never decided about the product: its user is prompted.
	install := eula.Delegation{Computer: "srv-2", Product: "xprotect-corporate", Version: "2025.2", Document: eula.Shown{Version: "20260101"}}
	_, err := eula.Delegate(install, []eula.Record{adminAccepted()}, nil)
	fmt.Println(eula.RefusalCode(err))
	// Output:
	// first-install
}

func ExampleDelegate_newVersion() {
	// After a delegated acceptance of 20260101, a later update brings
	// version 20270101: delegated again, from the same original assignment
	// (the user's own acceptance), not from the earlier delegated record.
	first := eula.Delegation{Computer: "srv-1", Product: "xprotect-corporate", Version: "2025.2", Document: eula.Shown{Version: "20260101"}}
	admin, history := []eula.Record{adminAccepted()}, []eula.Record{userAccepted()}
	d, _ := eula.Delegate(first, admin, history)
	d.ID, d.Index = idDeleg, 3
	history = append(history, d)

	_, err := eula.Delegate(first, admin, history)
	fmt.Println(eula.RefusalCode(err)) // the same update again

	next := eula.Delegation{Computer: "srv-1", Product: "xprotect-corporate", Version: "2026.1", Document: eula.Shown{Version: "20270101"}}
	d2, err := eula.Delegate(next, admin, history)
	fmt.Println(err, d2.Document.Version, d2.DerivedFrom[1] == idUser)
	fmt.Println(eula.CheckDelegation(eula.Record{Index: 4, Role: d2.Role, Product: d2.Product, Installer: d2.Installer, DerivedFrom: d2.DerivedFrom}, []eula.Record{adminAccepted(), userAccepted()}))
	// Output:
	// already-recorded
	// <nil> 20270101 true
	// <nil>
}

// zeros is a reader of zero bytes, for a reproducible reference code.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func ExampleConfirm() {
	ref, _ := eula.NewReference(zeros{})
	dealer, err := eula.DealerAcceptance{
		Dealer:           eula.Person{Organization: "Dealer Ltd", Name: "Dana Dealer", Email: "dana@dealer.example"},
		Customer:         eula.Person{Organization: "Kunde GmbH", Name: "Karl Kunde", Email: "karl@kunde.example"},
		Product:          "husky-m",
		Document:         eula.Shown{Version: "20250212", Language: "en"},
		CustomerAccepted: true, ReturnRightUnderstood: true,
	}.Record(testCatalog, ref)
	if err != nil {
		panic(err)
	}
	dealer.ID, dealer.Time = idDeal, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a, _ := eula.AttributionOf(dealer)
	fmt.Println(ref, a.Text)
	// The record, public in receipts, holds only the code's commitment.
	fmt.Println(dealer.Reference == eula.ReferenceCommitment(ref))

	// At first boot the appliance's user is given the code, sees who
	// accepted, and confirms; the confirmation derives from the dealer's
	// acceptance.
	typed, _ := eula.ParseReference(strings.ToLower(strings.ReplaceAll(ref, "-", "")))
	fmt.Println(typed == ref)
	boot := eula.Record{Installer: eula.Installer{Product: "husky-m20", Version: "1.0", MachineID: "nvr-7"}, Product: "husky-m20",
		Document: dealer.Document, Decision: eula.Accepted, Role: eula.RoleEndUser, Channel: eula.ChannelFirstBoot}
	c, err := eula.Confirm(testCatalog, dealer, boot)
	fmt.Println(err, c.Reference == eula.ReferenceCommitment(ref), c.DerivedFrom[0] == idDeal)
	// Output:
	// 0000-0000-000 accepted by Dealer Ltd for Kunde GmbH on 2026-03-01
	// true
	// true
	// <nil> true true
}

func ExampleAffiliateAcceptance() {
	r, err := eula.AffiliateAcceptance{
		Licensee: "Big Corp A/S", Affiliate: "Big Corp Sverige AB",
		Actor: eula.Person{Name: "Sven", Email: "sven@bigcorp.example"}, Product: "xprotect-corporate",
		Document: eula.Shown{Version: "20250212", Language: "en"},
	}.Record(testCatalog)
	fmt.Println(err, r.Licensee, strings.HasPrefix(r.Installer.MachineID, "affiliate-"))
	r.ID, r.Index = idUser, 1
	// The status is asked by both names, written however.
	st := eula.AffiliateStatus([]eula.Record{r}, "big corp  a/s", "BIG CORP SVERIGE AB", "20250212", nil)
	fmt.Println(st.State)
	st = eula.AffiliateStatus([]eula.Record{r}, "Other Corp", "Big Corp Sverige AB", "20250212", nil)
	fmt.Println(st.State)

	_, err = eula.AffiliateAcceptance{Licensee: "L", Affiliate: "A", Actor: eula.Person{Name: "x"}, Product: "xprotect-express-plus"}.Record(testCatalog)
	fmt.Println(errors.Is(err, eula.ErrForbidden))
	// Output:
	// <nil> Big Corp A/S true
	// accepted
	// none
	// true
}
