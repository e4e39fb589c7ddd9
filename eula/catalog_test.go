package eula_test

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

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
	for _, p := range lib.Products() {
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

// testCatalogJSON is a catalog for the rules' tests, apart from the one the
// library ships, which a publisher changes.
const testCatalogJSON = `{"products": [
  {"key": "xprotect-corporate", "name": "Milestone XProtect® Corporate", "group": "groups/xprotect-vms", "section": "products/xprotect-corporate", "rules": ["grants-affiliates"]},
  {"key": "xprotect-express-plus", "name": "Milestone XProtect® Express+", "group": "groups/xprotect-vms", "section": "products/xprotect-express-plus"},
  {"key": "update-manager", "name": "XProtect Update Manager", "group": "groups/xprotect-extensions", "section": "products/xprotect-update-manager"},
  {"key": "husky-ivo-150d", "name": "Milestone Husky 150D", "group": "groups/husky", "section": "products/husky-ivo-series", "rules": ["no-return-right"]},
  {"key": "husky-x2", "name": "Milestone Husky™ X2", "group": "groups/husky", "section": "products/husky-x-series", "rules": ["no-return-right"]},
  {"key": "husky-m", "name": "Milestone Husky™ M-series NVRs", "group": "groups/husky", "section": "products/husky-m-series", "rules": ["no-return-right", "acceptance-before-purchase"]},
  {"key": "husky-m20", "name": "Milestone Husky™ M20", "group": "groups/husky", "section": "products/husky-m-series", "rules": ["no-return-right", "acceptance-before-purchase"]},
  {"key": "husky-m50", "name": "Milestone Husky™ M50", "group": "groups/husky", "section": "products/husky-m-series", "rules": ["no-return-right", "acceptance-before-purchase"]},
  {"key": "customer-dashboard", "name": "Milestone Customer Dashboard", "section": "products/customer-dashboard"}
]}`

// testCatalog is testCatalogJSON parsed.
var testCatalog = func() *eula.Catalog {
	c, err := eula.ParseCatalog([]byte(testCatalogJSON))
	if err != nil {
		panic(err)
	}
	return c
}()

func TestCatalogProduct(t *testing.T) {
	for _, test := range []struct {
		key, wantSection, wantGroup string
	}{
		{"xprotect-corporate", "products/xprotect-corporate", "groups/xprotect-vms"},
		{"husky-m20", "products/husky-m-series", "groups/husky"},
		{"customer-dashboard", "products/customer-dashboard", ""},
	} {
		t.Run(test.key, func(t *testing.T) {
			p, err := testCatalog.Product(test.key)
			if err != nil {
				t.Fatal(err)
			}
			if p.SectionID != test.wantSection || p.GroupID != test.wantGroup {
				t.Errorf("Product(%q) = %+v, want section %s group %q", test.key, p, test.wantSection, test.wantGroup)
			}
		})
	}
	if _, err := testCatalog.Product("xprotect-nope"); !errors.Is(err, eula.ErrNotFound) {
		t.Errorf("Product(unknown) error = %v, want ErrNotFound", err)
	}
	var none *eula.Catalog
	if _, err := none.Product("husky-m20"); !errors.Is(err, eula.ErrNotFound) {
		t.Errorf("nil catalog: Product error = %v, want ErrNotFound", err)
	}
}

func TestParseCatalogRefuses(t *testing.T) {
	for _, test := range []struct {
		name, src, want string
	}{
		{"not json", `{`, "catalog"},
		{"unknown field", `{"products": [{"key": "a", "name": "A", "section": "products/a", "price": 1}]}`, "unknown field"},
		{"unknown rule", `{"products": [{"key": "a", "name": "A", "section": "products/a", "rules": ["free"]}]}`, `unknown rule "free"`},
		{"key twice", `{"products": [{"key": "a", "name": "A", "section": "products/a"}, {"key": "a", "name": "B", "section": "products/b"}]}`, "listed twice"},
		{"bad key", `{"products": [{"key": "A B", "name": "A", "section": "products/a"}]}`, "key must be"},
		{"no name", `{"products": [{"key": "a", "section": "products/a"}]}`, "name missing"},
		{"bad section", `{"products": [{"key": "a", "name": "A", "section": "Products A"}]}`, "not a section id"},
		{"text after", `{"products": []} {}`, "text after"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := eula.ParseCatalog([]byte(test.src))
			if !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), test.want) {
				t.Errorf("error %v, want ErrInvalid with %q", err, test.want)
			}
		})
	}
}

// TestLoadCatalog checks that a version's catalog is checked against its
// original and that a version without one keeps the one before.
func TestLoadCatalog(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, data := range mustMapFS(t) {
		fsys[name] = data
	}
	latest := ""
	lib, err := eula.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	latest = lib.Latest(eula.DocEULA)
	if len(lib.Products()) == 0 {
		t.Fatalf("the bundled EULA %s has no products", latest)
	}
	// A new version without a catalog keeps the products.
	en := fsys[eula.DocEULA+"/"+latest+"/en.md"].Data
	next := "99991231"
	fsys[eula.DocEULA+"/"+next+"/en.md"] = &fstest.MapFile{Data: bytes.Replace(en, []byte(`version: "`+latest+`"`), []byte(`version: "`+next+`"`), 1)}
	lib, err = eula.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(lib.Catalog(eula.DocEULA, next).Products()), len(lib.Catalog(eula.DocEULA, latest).Products()); got != want || got == 0 {
		t.Errorf("version %s: %d products, want the %d of %s", next, got, want, latest)
	}
	if err := lib.CheckCatalogs(); err != nil {
		t.Errorf("CheckCatalogs of the bundled library: %v", err)
	}
	// A catalog naming a section the version does not have fails the
	// check, naming the version and the section.
	fsys[eula.DocEULA+"/"+next+"/"+eula.CatalogFile] = &fstest.MapFile{Data: []byte(`{"products": [{"key": "new-thing", "name": "New", "section": "products/new-thing"}]}`)}
	if lib, err = eula.Load(fsys); err != nil {
		t.Fatal(err)
	}
	err = lib.CheckCatalogs()
	if !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), next) || !strings.Contains(err.Error(), "products/new-thing") {
		t.Errorf("CheckCatalogs with a catalog naming a missing section: %v", err)
	}
	// A catalog file in a directory without documents is refused.
	fsys[eula.DocEULA+"/19990101/"+eula.CatalogFile] = &fstest.MapFile{Data: []byte(`{"products": []}`)}
	if _, err := eula.Load(fsys); !errors.Is(err, eula.ErrInvalid) {
		t.Errorf("Load with a catalog alone: %v, want ErrInvalid", err)
	}
}

// mustMapFS copies the bundled locales into memory.
func mustMapFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(locales.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(locales.FS, name)
		m[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
