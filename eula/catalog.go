package eula

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// Product is one product the EULA has specific terms for, as an installer
// names it.
type Product struct {
	// Key is what installers send, such as "xprotect-corporate" or
	// "husky-m20".
	Key string
	// Name is the English product name as the EULA writes it.
	Name string
	// GroupID is the id of the product group section, such as
	// "groups/xprotect-vms"; empty for a product outside any group.
	GroupID string
	// SectionID is the id of the section with the product's specific terms,
	// such as "products/husky-m-series"; several products (the Husky models
	// of a series) share a section.
	SectionID string
	// Rules are the terms of the product that change what eulagate does.
	Rules ProductRules
}

// ProductRules are the product terms that change behaviour. Each is a
// named rule in the catalog file (see ParseCatalog).
type ProductRules struct {
	// GrantsAffiliates: a licensee may grant affiliated companies access
	// ("Affiliated Companies."; XProtect Corporate, Expert, Professional+).
	// Rule "grants-affiliates".
	GrantsAffiliates bool
	// NoReturnRight: the 30-day return right never applies (the preamble
	// excludes Husky). Rule "no-return-right".
	NoReturnRight bool
	// AcceptanceBeforePurchase: any purchase requires prior acceptance of
	// the EULA (Husky M-series, clause 1). Rule "acceptance-before-purchase".
	AcceptanceBeforePurchase bool
}

// Names of the rules in a catalog file.
const (
	RuleGrantsAffiliates         = "grants-affiliates"
	RuleNoReturnRight            = "no-return-right"
	RuleAcceptanceBeforePurchase = "acceptance-before-purchase"
)

// CatalogFile is the name of a version's product catalog in its directory,
// beside the documents: eula/<version>/products.json. A version without one
// keeps the catalog of the version before it.
const CatalogFile = "products.json"

// MaxCatalogBytes bounds a catalog file.
const MaxCatalogBytes = 1 << 20

// productKeyRE is the form of a product key: lower-case ASCII words joined
// by hyphens.
var productKeyRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Catalog is the list of products of one version of the EULA, in the
// order of the EULA. It is immutable and safe for concurrent use.
type Catalog struct {
	products []Product
	byKey    map[string]int
}

// catalogFile is the form of a catalog file.
type catalogFile struct {
	Products []struct {
		Key     string   `json:"key"`
		Name    string   `json:"name"`
		Group   string   `json:"group,omitempty"`
		Section string   `json:"section"`
		Rules   []string `json:"rules,omitempty"`
	} `json:"products"`
}

// ParseCatalog reads a catalog file:
//
//	{"products": [
//	  {"key": "husky-m20", "name": "Milestone Husky™ M20", "group": "groups/husky",
//	   "section": "products/husky-m-series", "rules": ["no-return-right", "acceptance-before-purchase"]}
//	]}
//
// Keys are unique lower-case words joined by hyphens; group and section are
// section ids of the EULA; rules are RuleGrantsAffiliates,
// RuleNoReturnRight and RuleAcceptanceBeforePurchase. Unknown fields and
// rules are errors. Errors wrap ErrInvalid and name the product.
func ParseCatalog(src []byte) (*Catalog, error) {
	if len(src) > MaxCatalogBytes {
		return nil, fmt.Errorf("catalog: larger than %d bytes: %w", MaxCatalogBytes, ErrInvalid)
	}
	var f catalogFile
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("catalog: %v: %w", err, ErrInvalid)
	}
	if dec.More() {
		return nil, fmt.Errorf("catalog: text after the catalog: %w", ErrInvalid)
	}
	c := &Catalog{byKey: map[string]int{}}
	for i, fp := range f.Products {
		p := Product{Key: fp.Key, Name: fp.Name, GroupID: fp.Group, SectionID: fp.Section}
		where := fmt.Sprintf("catalog: product %d (%q)", i+1, clip(fp.Key))
		switch {
		case !productKeyRE.MatchString(p.Key) || len(p.Key) > MaxProductKeyLen:
			return nil, fmt.Errorf("%s: key must be lower-case words joined by hyphens: %w", where, ErrInvalid)
		case p.Name == "":
			return nil, fmt.Errorf("%s: name missing: %w", where, ErrInvalid)
		case !ValidSectionID(p.SectionID):
			return nil, fmt.Errorf("%s: section %q is not a section id: %w", where, clip(p.SectionID), ErrInvalid)
		case p.GroupID != "" && !ValidSectionID(p.GroupID):
			return nil, fmt.Errorf("%s: group %q is not a section id: %w", where, clip(p.GroupID), ErrInvalid)
		}
		if _, dup := c.byKey[p.Key]; dup {
			return nil, fmt.Errorf("%s: key listed twice: %w", where, ErrInvalid)
		}
		for _, r := range fp.Rules {
			switch r {
			case RuleGrantsAffiliates:
				p.Rules.GrantsAffiliates = true
			case RuleNoReturnRight:
				p.Rules.NoReturnRight = true
			case RuleAcceptanceBeforePurchase:
				p.Rules.AcceptanceBeforePurchase = true
			default:
				return nil, fmt.Errorf("%s: unknown rule %q (known: %s, %s, %s): %w", where, clip(r),
					RuleGrantsAffiliates, RuleNoReturnRight, RuleAcceptanceBeforePurchase, ErrInvalid)
			}
		}
		c.byKey[p.Key] = len(c.products)
		c.products = append(c.products, p)
	}
	return c, nil
}

// checkSections reports the first product whose group or section is not a
// section of d, the English original of the catalog's version.
func (c *Catalog) checkSections(d *Document) error {
	for _, p := range c.products {
		for _, id := range p.ProductSections() {
			if _, ok := d.Section(id); !ok {
				return fmt.Errorf("product %q: section %q is not in %s: %w", p.Key, id, fileName(d), ErrInvalid)
			}
		}
	}
	return nil
}

// Products returns the products in the order of the EULA. The slice is a
// copy.
func (c *Catalog) Products() []Product {
	if c == nil {
		return nil
	}
	return slices.Clone(c.products)
}

// Product returns the product an installer names by key. The error wraps
// ErrNotFound.
func (c *Catalog) Product(key string) (Product, error) {
	if c != nil {
		if i, ok := c.byKey[key]; ok {
			return c.products[i], nil
		}
	}
	return Product{}, fmt.Errorf("product %q: %w", clip(key), ErrNotFound)
}

// ProductSections returns the ids of the sections that apply to a product
// beyond the preamble and the general clauses: its group (if any) and its
// own section.
func (p Product) ProductSections() []string {
	if p.GroupID == "" {
		return []string{p.SectionID}
	}
	return []string{p.GroupID, p.SectionID}
}
