package eula

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// affiliatePrefix starts the installation id of an affiliate's acceptance.
const affiliatePrefix = "affiliate-"

// GrantsAffiliates reports whether a licensee of product p may grant
// affiliated companies access ("Affiliated Companies."): XProtect Corporate,
// Expert and Professional+ (the catalog's rule RuleGrantsAffiliates).
func GrantsAffiliates(p Product) bool { return p.Rules.GrantsAffiliates }

// normalizeOrg is the form of an organisation name that AffiliateKey
// hashes: spaces collapsed, lower case.
func normalizeOrg(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// AffiliateKey returns the installation id under which the acceptances of
// affiliate of licensee are recorded: "affiliate-" and 32 hex digits of the
// SHA-256 of both names, normalised (spaces collapsed, lower case). The
// acceptance is of an organisation, not of a machine; the key puts it in
// the log leaf, lets Store.Latest find it, and lets anyone who knows both
// names recompute it, while the status API reveals no names.
func AffiliateKey(licensee, affiliate string) string {
	sum := sha256.Sum256([]byte(normalizeOrg(licensee) + "\x00" + normalizeOrg(affiliate)))
	return affiliatePrefix + hex.EncodeToString(sum[:16])
}

// AffiliateAcceptance is an affiliated company submitting to the EULA
// before it gets access under its licensee's licence.
type AffiliateAcceptance struct {
	// Licensee is the licensee organisation; Affiliate the affiliated
	// company. Both required.
	Licensee, Affiliate string
	// Actor is the person accepting for the affiliate; name or e-mail
	// address required.
	Actor Person
	// Product is the licensed product: one for which GrantsAffiliates holds.
	Product string
	// Document is the document shown (hashes filled in by the caller).
	Document Shown
	// Decision is Accepted or Declined; empty means Accepted.
	Decision Decision
}

// Record returns the record of an affiliate's decision: the installation
// is AffiliateKey(Licensee, Affiliate), Licensee is set, and the affiliate
// is the party bound. Errors wrap ErrInvalid and name the field, or
// ErrForbidden for a product whose licensees cannot grant affiliates access.
// The product is looked up in c, the catalog of the document's version.
func (a AffiliateAcceptance) Record(c *Catalog) (Record, error) {
	p, err := c.Product(a.Product)
	if err != nil {
		return Record{}, fmt.Errorf("product: %w", err)
	}
	if !GrantsAffiliates(p) {
		return Record{}, fmt.Errorf("product: licensees of %s may not grant affiliated companies access (only those of products whose terms allow it): %w", p.Name, ErrForbidden)
	}
	if a.Decision == "" {
		a.Decision = Accepted
	}
	var v validator
	switch {
	case strings.TrimSpace(a.Licensee) == "":
		v.fail("licensee", "missing")
	case strings.TrimSpace(a.Affiliate) == "":
		v.fail("affiliate", "missing")
	case a.Actor.Name == "" && a.Actor.Email == "":
		v.fail("actor", "give the name or e-mail address of who accepts for the affiliate")
	}
	v.text("licensee", a.Licensee, MaxNameLen)
	v.text("affiliate", a.Affiliate, MaxNameLen)
	v.person("actor", a.Actor)
	if v.err != nil {
		return Record{}, v.err
	}
	if a.Document.ID == "" {
		a.Document.ID = DocEULA
	}
	return Record{
		Installer: Installer{Product: a.Product, Version: VersionUnspecified, MachineID: AffiliateKey(a.Licensee, a.Affiliate)},
		Product:   a.Product,
		Document:  a.Document,
		Decision:  a.Decision,
		Role:      RoleEndUser,
		Channel:   ChannelBrowser,
		Licensee:  a.Licensee,
		Personal:  &Personal{Actor: a.Actor, Bound: &Person{Organization: a.Affiliate}},
	}, nil
}

// AffiliateStatus answers "has affiliate A of licensee L accepted?" from the
// history of AffiliateKey(licensee, affiliate) for a product: StatusOf over
// the records made under that licensee.
func AffiliateStatus(history []Record, licensee, affiliate, current string, still StillValid) Status {
	key := AffiliateKey(licensee, affiliate)
	var mine []Record
	for _, r := range history {
		if r.Installer.MachineID == key && normalizeOrg(r.Licensee) == normalizeOrg(licensee) {
			mine = append(mine, r)
		}
	}
	return StatusOf(mine, current, still)
}
