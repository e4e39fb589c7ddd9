package eula_test

import (
	"fmt"
	"log"
	"os"

	"github.com/eulagate/eulagate/eula"
	"golang.org/x/text/language"
)

// An acceptance counts for later versions only while every change since is
// editorial.
func ExampleLibrary_StillValid() {
	lib, err := eula.Load(os.DirFS("testdata/versions"))
	if err != nil {
		log.Fatal(err)
	}
	still := lib.StillValid(eula.DocEULA)
	for _, v := range lib.History(eula.DocEULA) {
		fmt.Println(v.Version, v.Change, v.Languages, "lagging:", v.Lagging)
	}
	fmt.Println(still("20250212", "20260101"), still("20260101", "20260301"))
	// Output:
	// 20250212 material [en hu ja ru] lagging: []
	// 20260101 material [en ja ru] lagging: [hu]
	// 20260301 editorial [en ja ru] lagging: [hu]
	// false true
}

// A Hungarian reader of the latest version is shown the English original:
// the Hungarian translation lags behind.
func ExampleLibrary_Resolve() {
	lib, err := eula.Load(os.DirFS("testdata/versions"))
	if err != nil {
		log.Fatal(err)
	}
	doc, lagging, err := lib.Resolve(eula.DocEULA, language.Hungarian)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.Meta.Version, doc.Meta.Language, lagging)
	// Output:
	// 20260301 en true
}

// What changed for a Russian reader who accepted the first version.
func ExampleLibrary_Compare() {
	lib, err := eula.Load(os.DirFS("testdata/versions"))
	if err != nil {
		log.Fatal(err)
	}
	c, err := lib.Compare(eula.DocEULA, "20250212", "20260301", language.Russian)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range c.Changed() {
		fmt.Println(s.Kind, s.ID, s.Title())
	}
	fmt.Println(c.Unchanged(), "unchanged")
	// Output:
	// changed general/affiliated-companies Аффилированные компании
	// changed general/limitation-of-liability Ограничение ответственности
	// changed products/xprotect-corporate Milestone XProtect® Corporate
	// 4 unchanged
}

func ExampleDiffText() {
	for _, e := range eula.DiffText("shall not exceed the price paid", "shall not exceed the fees paid") {
		fmt.Printf("%s %q\n", e.Op, e.Text)
	}
	// Output:
	// equal "shall not exceed the "
	// delete "price"
	// insert "fees"
	// equal " paid"
}
