// Package fonts holds the fonts eulagate ships, so that every page is
// drawn without the machine's fonts for scripts beyond Latin, Greek and
// Cyrillic: an offline appliance's kiosk browser may have no CJK font at
// all.
//
// # What is shipped
//
// Noto Sans CJK JP (SIL Open Font License, OFL.txt), Regular (400) and
// Bold (700), from Debian's fonts-noto-cjk, cut to exactly the characters
// that the documents and catalogs of locales/ use outside System, as
// WOFF2 (already compressed: the server sends the files as they are). The
// characters are split into slices by the languages whose pages show
// them (Text.Slices): "common" holds what every page shows, the name
// "日本語" in the language picker; "ja" what only Japanese pages show. Each
// face's unicode-range (Face.Ranges) holds none of another slice's
// characters nor of System, so that an English or Russian page downloads
// at most the common slice (about 1.3 kB a weight, and only when the
// picker shows it), never the Japanese text.
//
// System, the ranges left to the system's fonts, is a decision: Latin,
// Greek, Cyrillic and the punctuation and symbols that DejaVu Sans and
// Liberation Sans cover. A page names Family first in its font stack; the
// unicode-ranges make it apply to the shipped characters only.
//
// # Regenerating
//
// `make fonts` (go run ./locales/fonts/internal/subset) installs fontTools
// when missing and rewrites the faces and OFL.txt from the files under
// locales/. A test fails when the shipped faces differ from what the
// documents and catalogs need, and Check, the publisher's check, names
// each file and character that no shipped face has. A character that Noto
// Sans CJK lacks (a script it does not cover) makes the subset command
// fail with where it is used: another font is then needed.
package fonts
