package eula_test

import (
	"errors"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	"golang.org/x/text/language"
)

// TestCatalogMatchesEULA checks every product against the committed English
// EULA: its section exists and is a product section, and its group is the
// group heading that section sits under.
func TestCatalogMatchesEULA(t *testing.T) {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	en, err := lib.Document(eula.DocEULA, lib.Latest(eula.DocEULA), language.English)
	if err != nil {
		t.Fatal(err)
	}
	groupOf := map[string]string{}
	group := ""
	for _, s := range en.Sections {
		switch {
		case s.Kind == eula.KindGroup:
			group = s.ID
		case s.Kind == eula.KindProduct && s.Level == 3:
			groupOf[s.ID] = group
		default:
			group = ""
			groupOf[s.ID] = ""
		}
	}
	keys := map[string]bool{}
	covered := map[string]bool{}
	for _, p := range eula.Products() {
		t.Run(p.Key, func(t *testing.T) {
			if keys[p.Key] {
				t.Errorf("key %q repeated", p.Key)
			}
			keys[p.Key] = true
			s, ok := en.Section(p.SectionID)
			if !ok || s.Kind != eula.KindProduct {
				t.Fatalf("section %q: not a product section of the EULA", p.SectionID)
			}
			if g := groupOf[p.SectionID]; g != p.GroupID {
				t.Errorf("group = %q, the EULA puts %s under %q", p.GroupID, p.SectionID, g)
			}
			if p.Name == "" {
				t.Errorf("no name")
			}
			covered[p.SectionID] = true
		})
	}
	for _, s := range en.Sections {
		if s.Kind == eula.KindProduct && !covered[s.ID] {
			t.Errorf("product section %s has no product in the catalog", s.ID)
		}
	}
}

func TestProductByKey(t *testing.T) {
	for _, test := range []struct {
		key, wantSection, wantGroup string
	}{
		{"xprotect-corporate", "products/xprotect-corporate", eula.GroupXProtectVMS},
		{"husky-m20", "products/husky-m-series", eula.GroupHusky},
		{"husky-x8", "products/husky-x-series", eula.GroupHusky},
		{"update-manager", "products/xprotect-update-manager", eula.GroupXProtectExtensions},
		{"customer-dashboard", "products/customer-dashboard", ""},
	} {
		t.Run(test.key, func(t *testing.T) {
			p, err := eula.ProductByKey(test.key)
			if err != nil {
				t.Fatal(err)
			}
			if p.SectionID != test.wantSection || p.GroupID != test.wantGroup {
				t.Errorf("ProductByKey(%q) = %+v, want section %s group %q", test.key, p, test.wantSection, test.wantGroup)
			}
		})
	}
	if _, err := eula.ProductByKey("xprotect-nope"); !errors.Is(err, eula.ErrNotFound) {
		t.Errorf("ProductByKey(unknown) error = %v, want ErrNotFound", err)
	}
}
