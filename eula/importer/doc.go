// Package importer turns the seed files (plain text extracted from the
// publisher's PDFs and web pages) into the Markdown documents under
// locales/.
package importer
