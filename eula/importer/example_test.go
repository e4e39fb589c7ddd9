package importer_test

import (
	"fmt"
	"log"
	"os"

	"github.com/eulagate/eulagate/eula/importer"
)

// The eulagate import subcommand runs Import from the repository root.
func ExampleImport() {
	if err := importer.Import("../shared/seeds", "locales"); err != nil {
		log.Fatal(err)
	}
}

// Build returns the files without writing them.
func ExampleBuild() {
	files, err := importer.Build(os.DirFS("../shared/seeds"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(files["eula/20250212/ja.md"]) > 0)
}
