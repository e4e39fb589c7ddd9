package eula_test

import (
	"fmt"
	"log"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/i18n"
	"github.com/eulagate/eulagate/locales"
	"golang.org/x/text/language"
)

func ExampleLoad() {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		log.Fatal(err)
	}
	v := lib.Latest(eula.DocEULA)
	// The original comes first; the other languages are whatever files
	// the version's directory holds.
	fmt.Println(lib.Languages(eula.DocEULA, v)[0])
	// Choose a language by the index the matcher returns.
	available := lib.Languages(eula.DocEULA, v)
	i, _ := i18n.NewMatcher(available).Match(language.MustParse("ru-RU"))
	d, err := lib.Document(eula.DocEULA, v, available[i])
	if err != nil {
		log.Fatal(err)
	}
	s, _ := d.Section("products/husky-m-series")
	fmt.Println(s.Title)
	// Output:
	// en
	// Сетевые видеорегистраторы Milestone Husky™ серии M
}

func ExampleCatalog_Product() {
	c, err := eula.ParseCatalog([]byte(`{"products": [
	  {"key": "husky-m20", "name": "Milestone Husky™ M20", "group": "groups/husky",
	   "section": "products/husky-m-series", "rules": ["no-return-right", "acceptance-before-purchase"]}]}`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := c.Product("husky-m20")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Name, "→", p.ProductSections(), eula.ReturnRight(p), eula.RequiresPriorAcceptance(p))
	// Output:
	// Milestone Husky™ M20 → [groups/husky products/husky-m-series] false true
}

func ExampleSectionHash() {
	// The hash covers the NFC-normalised text: composed and decomposed
	// forms of "é" give the same hash.
	a := eula.SectionHash("general/x", "## Café {id=\"general/x\"}")
	b := eula.SectionHash("general/x", "## Cafe\u0301 {id=\"general/x\"}")
	fmt.Println(a == b)
	// Output:
	// true
}
