package eula

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// A reference code is how a dealer's acceptance before purchase is found
// again at the appliance's first boot: ReferenceRandomLen random symbols of
// Crockford's base 32 (no I, L, O or U, so nothing reads as another symbol)
// and one check symbol (Luhn mod 32, which catches every single wrong symbol
// and most swaps of neighbours), written in groups of four: "7K3M-Q9TZ-4HR".
const (
	// ReferenceRandomLen is the number of random symbols: 50 bits.
	ReferenceRandomLen = 10
	// referenceAlphabet is Crockford's base 32.
	referenceAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// NewReference returns a new reference code with randomness from rand.
func NewReference(rand io.Reader) (string, error) {
	var b [ReferenceRandomLen]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", fmt.Errorf("new reference: %w", err)
	}
	code := make([]byte, 0, ReferenceRandomLen+1)
	for _, c := range b {
		code = append(code, referenceAlphabet[c%32])
	}
	code = append(code, luhn32(code, 2))
	return formatReference(string(code)), nil
}

// ParseReference reads a reference code as a person types it: case and
// hyphens or spaces do not matter, O reads as 0 and I or L as 1. It returns
// the code in its canonical form, as stored, or an error wrapping
// ErrInvalid that says what is wrong.
func ParseReference(s string) (string, error) {
	if len(s) > MaxReferenceLen {
		return "", fmt.Errorf("reference: longer than %d characters: %w", MaxReferenceLen, ErrInvalid)
	}
	code := make([]byte, 0, ReferenceRandomLen+1)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		switch c {
		case '-', ' ':
			continue
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		if strings.IndexByte(referenceAlphabet, c) < 0 {
			return "", fmt.Errorf("reference: %q is not a symbol of a reference code: %w", clip(string(s[i])), ErrInvalid)
		}
		code = append(code, c)
	}
	if len(code) != ReferenceRandomLen+1 {
		return "", fmt.Errorf("reference: a code has %d symbols, not %d: %w", ReferenceRandomLen+1, len(code), ErrInvalid)
	}
	if luhn32(code, 1) != '0' {
		return "", fmt.Errorf("reference: the check symbol does not match: a symbol is mistyped: %w", ErrInvalid)
	}
	return formatReference(string(code)), nil
}

// luhn32 is Luhn mod 32 over code. With first factor 2 it returns the check
// symbol to append; with first factor 1 over a code that ends with its check
// symbol, it returns '0' if the check holds.
func luhn32(code []byte, factor int) byte {
	sum := 0
	for i := len(code) - 1; i >= 0; i-- {
		a := factor * strings.IndexByte(referenceAlphabet, code[i])
		sum += a/32 + a%32
		factor = 3 - factor
	}
	return referenceAlphabet[(32-sum%32)%32]
}

func formatReference(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(code[i])
	}
	return b.String()
}

// ReferenceCommitment is what records hold of a reference code: a hash of
// its canonical form. The code is the credential that shows who accepted
// for whom and lets the end user confirm; records and receipts are public
// to anyone who knows an installation id, so they must not give it out.
func ReferenceCommitment(reference string) string {
	if canon, err := ParseReference(reference); err == nil {
		reference = canon
	}
	sum := sha256.Sum256([]byte("eulagate reference v1\n" + reference))
	return "h" + hex.EncodeToString(sum[:15])
}

// KeyedReferenceCommitment is what new records hold of a reference code:
// an HMAC-SHA-256 of its canonical form under the server's key, so that
// whoever reads the records or receipts cannot test the 50-bit codes one by
// one. Records made before keyed commitments hold ReferenceCommitment; the
// server looks both up.
func KeyedReferenceCommitment(key []byte, reference string) string {
	if canon, err := ParseReference(reference); err == nil {
		reference = canon
	}
	mac := hmac.New(sha256.New, key)
	io.WriteString(mac, "eulagate reference v2\n"+reference)
	return "k" + hex.EncodeToString(mac.Sum(nil)[:15])
}

// ReferenceInstallation is the installation id of a dealer's acceptance
// before purchase: the appliance is not known yet, and the reference code
// (by its commitment) stands for it. Store.Latest with this id and a
// product finds the acceptance through the stores' index on installations.
func ReferenceInstallation(reference string) string {
	return referenceInstallationOf(ReferenceCommitment(reference))
}

// referenceInstallationOf is the installation id of a dealer's acceptance
// whose record holds commitment.
func referenceInstallationOf(commitment string) string { return "reference-" + commitment }

// ReturnRight reports whether the 30-day return right can apply to product
// p at all: the EULA's preamble excludes Husky products. Whatever it
// reports, a dealer's acceptance before or as part of the purchase ends the
// return right.
func ReturnRight(p Product) bool { return !p.Rules.NoReturnRight }

// RequiresPriorAcceptance reports whether any purchase of p requires prior
// acceptance of the EULA (Husky M-series, clause 1).
func RequiresPriorAcceptance(p Product) bool { return p.Rules.AcceptanceBeforePurchase }

// DealerAcceptance is a dealer or integrator accepting the EULA before a
// purchase, on behalf of a customer, in an ordinary browser.
type DealerAcceptance struct {
	// Role is RoleDealer or RoleIntegrator; empty means RoleDealer.
	Role Role
	// Dealer is the dealer's organisation, the person acting and their
	// e-mail address; all required.
	Dealer Person
	// Customer is the end-user company, its contact person and their
	// e-mail address; all required.
	Customer Person
	// Product is the product key from the catalog.
	Product string
	// Document is the document shown (hashes filled in by the caller's
	// catalog check).
	Document Shown
	// CustomerAccepted is the dealer's statement that it has the customer's
	// acceptance (the preamble's note); required.
	CustomerAccepted bool
	// ReturnRightUnderstood is the dealer's acknowledgment that acceptance
	// before purchase ends the 30-day return right; required.
	ReturnRightUnderstood bool
	// RegisterConsent is the customer's optional consent to register
	// end-user data; nil when not asked.
	RegisterConsent *bool
}

// Record returns the record of a dealer's acceptance with the given
// reference code, or an error wrapping ErrInvalid (or ErrNotFound for an
// unknown product) that names the field: dealer.organization, dealer.name,
// dealer.email, customer.organization, customer.name, customer.email,
// customer_accepted, return_right_understood, product, role. The product is
// looked up in c, the catalog of the document's version.
func (a DealerAcceptance) Record(c *Catalog, reference string) (Record, error) {
	if a.Role == "" {
		a.Role = RoleDealer
	}
	if a.Role != RoleDealer && a.Role != RoleIntegrator {
		return Record{}, fmt.Errorf("role: a dealer or an integrator accepts on a customer's behalf, not %q: %w", clip(string(a.Role)), ErrInvalid)
	}
	if _, err := c.Product(a.Product); err != nil {
		return Record{}, fmt.Errorf("product: %w", err)
	}
	for _, f := range []struct{ field, value string }{
		{"dealer.organization", a.Dealer.Organization}, {"dealer.name", a.Dealer.Name}, {"dealer.email", a.Dealer.Email},
		{"customer.organization", a.Customer.Organization}, {"customer.name", a.Customer.Name}, {"customer.email", a.Customer.Email},
	} {
		if strings.TrimSpace(f.value) == "" {
			return Record{}, fmt.Errorf("%s: missing: %w", f.field, ErrInvalid)
		}
	}
	var v validator
	v.person("dealer", a.Dealer)
	v.person("customer", a.Customer)
	if v.err != nil {
		return Record{}, v.err
	}
	if !a.CustomerAccepted {
		return Record{}, fmt.Errorf("customer_accepted: a dealer may accept only with the customer's acceptance: %w", ErrInvalid)
	}
	if !a.ReturnRightUnderstood {
		return Record{}, fmt.Errorf("return_right_understood: acceptance before purchase ends the 30-day return right; acknowledge it: %w", ErrInvalid)
	}
	if _, err := ParseReference(reference); err != nil {
		return Record{}, err
	}
	if a.Document.ID == "" {
		a.Document.ID = DocEULA
	}
	customer := a.Customer
	return Record{
		Installer:       Installer{Product: a.Product, Version: VersionUnspecified, MachineID: ReferenceInstallation(reference)},
		Product:         a.Product,
		Document:        a.Document,
		Decision:        Accepted,
		Role:            a.Role,
		Channel:         ChannelBrowser,
		RegisterConsent: a.RegisterConsent,
		Reference:       ReferenceCommitment(reference),
		Personal:        &Personal{Actor: a.Dealer, Bound: &customer},
	}, nil
}

// Confirm links an end user's confirmation at the appliance's first boot to
// the dealer's acceptance found by its reference code: it returns c with
// Reference and DerivedFrom set. The dealer's record must be an acceptance
// by a dealer or integrator with a reference, and c an end user's
// acceptance at first boot of a product with the same terms (a Husky M20
// confirms a dealer's acceptance for the M-series). The end user still
// confirms: the partner terms require the EULA to be presented to them.
// Products are looked up in cat. Errors wrap ErrForbidden.
func Confirm(cat *Catalog, dealer, c Record) (Record, error) {
	switch {
	case dealer.Role != RoleDealer && dealer.Role != RoleIntegrator || dealer.Reference == "":
		return Record{}, fmt.Errorf("record %s is not a dealer's acceptance with a reference: %w", dealer.ID, ErrForbidden)
	case dealer.Decision != Accepted:
		return Record{}, fmt.Errorf("the dealer's record %s declines: %w", dealer.ID, ErrForbidden)
	case c.Role != RoleEndUser || c.Channel != ChannelFirstBoot:
		return Record{}, fmt.Errorf("only the end user confirms a dealer's acceptance, at first boot: %w", ErrForbidden)
	}
	dp, err1 := cat.Product(dealer.Product)
	cp, err2 := cat.Product(c.Product)
	if err1 != nil || err2 != nil || dp.SectionID != cp.SectionID {
		return Record{}, fmt.Errorf("the dealer accepted for %s, not for %s: %w", dealer.Product, clip(c.Product), ErrForbidden)
	}
	c.Reference = dealer.Reference
	c.DerivedFrom = []string{dealer.ID}
	return c, nil
}

// Attribution is what a reference code reveals to whoever holds it: the
// organisations only, never the names or e-mail addresses of people.
type Attribution struct {
	// Reference is the code, filled in by whoever holds it: records keep
	// only its commitment (ReferenceCommitment).
	Reference       string `json:"reference"`
	RecordID        string `json:"record_id"`
	Role            Role   `json:"role"`
	Product         string `json:"product"`
	DocumentVersion string `json:"document_version"`
	// Dealer and Customer are the organisations; empty once erased.
	Dealer   string `json:"dealer,omitempty"`
	Customer string `json:"customer,omitempty"`
	// Date is the day of the acceptance, UTC, as YYYY-MM-DD.
	Date   string `json:"date"`
	Erased bool   `json:"erased,omitempty"`
	// Text is the attribution as a sentence, in English.
	Text string `json:"text"`
}

// AttributionOf returns the attribution of a dealer's acceptance (with its
// personal data, unless erased). Errors wrap ErrForbidden for a record that
// is not a dealer's acceptance with a reference.
func AttributionOf(r Record) (Attribution, error) {
	if r.Role != RoleDealer && r.Role != RoleIntegrator || r.Reference == "" || r.Decision != Accepted {
		return Attribution{}, fmt.Errorf("record %s is not a dealer's acceptance with a reference: %w", r.ID, ErrForbidden)
	}
	a := Attribution{
		RecordID: r.ID, Role: r.Role, Product: r.Product,
		DocumentVersion: r.Document.Version, Date: r.Time.UTC().Format("2006-01-02"), Erased: r.Erased,
	}
	if p := r.Personal; p != nil {
		a.Dealer = p.Actor.Organization
		if p.Bound != nil {
			a.Customer = p.Bound.Organization
		}
	}
	dealer, customer := a.Dealer, a.Customer
	if dealer == "" {
		dealer = "a " + string(r.Role) + " (name erased)"
	}
	if customer == "" {
		customer = "a customer (name erased)"
	}
	a.Text = fmt.Sprintf("accepted by %s for %s on %s", dealer, customer, a.Date)
	return a, nil
}

// DealerFields are the fields of a dealer's acceptance that a form asks
// for one by one, as FieldErrors names them.
var DealerFields = []string{
	"dealer.organization", "dealer.name", "dealer.email",
	"customer.organization", "customer.name", "customer.email",
}

// FieldErrors checks each field of a on its own, with the rules of Record
// (each field judged with every other field valid), so that a form can
// mark every wrong field at once. It returns the errors by field name
// (DealerFields, "product", "customer_accepted", "return_right_understood"),
// each wrapping ErrInvalid, or nil.
func (a DealerAcceptance) FieldErrors(c *Catalog) map[string]error {
	errs := map[string]error{}
	valid := DealerAcceptance{
		Dealer:   Person{Organization: "D", Name: "D", Email: "d@example.com"},
		Customer: Person{Organization: "C", Name: "C", Email: "c@example.com"},
		Document: a.Document, CustomerAccepted: true, ReturnRightUnderstood: true,
	}
	set := map[string]func(v *DealerAcceptance){
		"dealer.organization":   func(v *DealerAcceptance) { v.Dealer.Organization = a.Dealer.Organization },
		"dealer.name":           func(v *DealerAcceptance) { v.Dealer.Name = a.Dealer.Name },
		"dealer.email":          func(v *DealerAcceptance) { v.Dealer.Email = a.Dealer.Email },
		"customer.organization": func(v *DealerAcceptance) { v.Customer.Organization = a.Customer.Organization },
		"customer.name":         func(v *DealerAcceptance) { v.Customer.Name = a.Customer.Name },
		"customer.email":        func(v *DealerAcceptance) { v.Customer.Email = a.Customer.Email },
	}
	if p := c.Products(); len(p) > 0 {
		valid.Product = p[0].Key
	}
	const anyReference = "0000-0000-000"
	for _, field := range DealerFields {
		v := valid
		set[field](&v)
		if _, err := v.Record(c, anyReference); err != nil && strings.HasPrefix(err.Error(), field+":") {
			errs[field] = err
		}
	}
	if _, err := c.Product(a.Product); err != nil {
		errs["product"] = fmt.Errorf("product: %v: %w", err, ErrInvalid)
	}
	if !a.CustomerAccepted {
		errs["customer_accepted"] = fmt.Errorf("customer_accepted: a dealer may accept only with the customer's acceptance: %w", ErrInvalid)
	}
	if !a.ReturnRightUnderstood {
		errs["return_right_understood"] = fmt.Errorf("return_right_understood: acceptance before purchase ends the 30-day return right; acknowledge it: %w", ErrInvalid)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
