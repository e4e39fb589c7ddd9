// Package importer turns the seed files (plain text extracted from the
// publisher's PDFs and web pages, see ../shared/seeds) into the Markdown
// documents under locales/ that package eula loads. It runs on the server
// only (eulagate import); its output is committed.
//
// # Data, not code
//
// What the importer knows about each document and language lives in data
// files embedded from data/: seeds.txt lists the seed files and the
// language parts each holds; data/<document>.<language>.txt gives the
// title, the page footers, how paragraphs are delimited and, for every
// section id, the text that opens the section in that language. Adding a
// language is mostly adding such a file and a line to seeds.txt.
//
// # New versions
//
// A new version of a document is a new seed file and a line for it in
// data/seeds.txt naming the new version; the seeds of earlier versions stay
// listed, so their files stay as they are and the new ones appear beside
// them. No flag is needed. The English original may come first and the
// translations follow in later seed files: until then the Hungarian reader
// (say) is shown the new English with a note (see eula.Library.Resolve).
// The option reaccept=editorial at the end of the line marks a version that
// does not require re-acceptance (formatting, typos); without it a version
// is material, and every acceptance of an earlier version is due again.
// Page footers written with "{version}" in the profiles match every
// version's footers; a version whose sections differ gets profiles of its
// own, with a "version" line (data/eula.en.20260101.txt, say).
//
// # Cleaning
//
// Without losing a word:
//   - page footers (such as "EULA 20250212" and its translated forms) are
//     dropped wherever they occur, and lines of spaces left by page breaks
//     count as blank;
//   - lines broken mid-sentence are joined; a blank line ends a paragraph
//     only after a sentence end (modes "blank"); in Japanese (mode "cjk")
//     every line is followed by a blank line that means nothing, a paragraph
//     ends with sentence-final punctuation followed by spaces, and lines join
//     without a space between wide characters;
//   - a hyphen at a line end is a real hyphen, so "non-" / "transferable"
//     gives "non-transferable", and URLs broken after a hyphen stay whole;
//   - numbered clauses ("1.", "2." … in sequence) become Markdown ordered
//     list items; lettered clauses ("(a)", "(i)") stay text;
//   - Markdown metacharacters of the text are escaped, so the documents
//     contain no raw HTML and no accidental markup.
//
// # Structure
//
// Each document starts with its title as the level-1 heading of the
// "preamble" section; general clauses ("general/…", whose titles open a
// paragraph in the source) and product groups ("groups/…") are level 2;
// products ("products/…") are level 3, or 2 outside a group. Every heading
// carries its id ({id="general/affiliated-companies"}), the same in every
// language.
//
// # Checks
//
// The importer fails loudly if a section is not found, if the English
// copies found in several seed files do not import to the same document,
// or if a document fails eula.Parse. The tests check fidelity (the tokens
// of each source part equal those of the imported document), alignment of
// section ids across languages, and that the committed locales/ files are
// up to date (go test ./eula/importer -run TestLocalesUpToDate -update
// rewrites them).
package importer
