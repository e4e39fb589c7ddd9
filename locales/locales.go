// Package locales holds the data eulagate shows, as files: the documents,
// one Markdown file per version and language, written by the importer
// (eulagate import) from the seed files and committed.
//
// # Layout
//
//	eula/<version>/<language>.md      the end-user license agreement
//	eula/<version>/products.json      the product catalog and its rules (see eula.ParseCatalog);
//	                                  a version without one keeps the one before
//	privacy/<version>/<language>.md   the privacy policy
//	fonts/                            the fonts for the characters of these
//	                                  files that system fonts may lack
//	                                  (package fonts; make fonts)
//
// Each file starts with front matter (document, version, language, title,
// source, prevails) and has one section per heading, each carrying a stable
// id such as {id="general/affiliated-companies"}; see package eula for the
// format, and eula.Load to read them.
//
// # Editing
//
// The product catalog is written by hand: a product added by a new version
// of the EULA is a line in that version's products.json, naming its
// section and group and the rules of its terms.
//
// Do not edit the generated documents by hand: change the importer or its
// data (eula/importer/data) and run
//
//	go test ./eula/importer -run TestLocalesUpToDate -update
//
// A test fails when the committed files are out of date with the importer.
// Files a publisher writes by hand (a translation, a version, a product)
// sit beside the imported ones: docs/publishing.md walks through each,
// and `eulagate check` is the publisher's check.
package locales

import "embed"

// FS holds the documents, rooted so that eula.Load(FS) finds
// "eula/20250212/en.md".
//
//go:embed eula privacy
var FS embed.FS
