package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/eulagate/eulagate/eula/importer"
)

// Defaults of the import command, relative to the repository root.
const (
	defaultSeeds   = "../shared/seeds"
	defaultLocales = "locales"
)

func init() {
	register(&command{
		name:  "import",
		short: "turn the seed files into the documents under locales/",
		long: "Import reads the publisher's seed files (plain text extracted from the PDFs and\n" +
			"web pages) and writes the documents as locales/<document>/<version>/<lang>.md,\n" +
			"rewriting only files whose content changes. With --check it writes nothing and\n" +
			"exits 1 naming the files that are missing or out of date.\n\n" +
			"A new version is a new seed file: add a line for it to eula/importer/data/seeds.txt\n" +
			"(<file> <document> <version> <language>... [reaccept=editorial]) and run import;\n" +
			"the new files appear beside the old versions, which are kept. A version is\n" +
			"material (re-acceptance due) unless its line says reaccept=editorial.",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			seeds := fs.String("seeds", defaultSeeds, "directory holding the seed files")
			localesDir := fs.String("locales", defaultLocales, "directory to write the documents into")
			check := fs.Bool("check", false, "write nothing; fail if the documents are not up to date with the seeds")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				if len(args) > 0 {
					return usageErrorf("import: unexpected arguments %q", args)
				}
				return runImport(*seeds, *localesDir, *check, stdout)
			}
		},
	})
}

func runImport(seeds, localesDir string, check bool, stdout io.Writer) error {
	if fi, err := os.Stat(seeds); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		} else if errors.Is(err, fs.ErrNotExist) {
			err = errors.New("no such directory")
		}
		return fmt.Errorf("import: seeds %s: %v (give --seeds DIR)", seeds, err)
	}
	if check {
		if err := importer.Check(seeds, localesDir); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is up to date with %s\n", localesDir, seeds)
		return nil
	}
	if err := importer.Import(seeds, localesDir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %s into %s\n", seeds, localesDir)
	return nil
}
