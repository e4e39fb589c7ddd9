// Package eula is the domain of eulagate: license documents and their
// versions, the product catalog, decisions (acceptances and refusals) and the
// roles of who makes them, delegation, and the rule that opens the gate.
//
// # Documents
//
// Load reads a Library from an fs.FS laid out as <document>/<version>/<lang>.md
// (the server embeds locales/). Each Document is a sequence of Sections with
// ids that are the same in every language of a version, so a translation can
// be shown beside the English original, which prevails. SectionHash and
// DocumentHash are canonical SHA-256 hashes over NFC-normalised text: a
// record names the exact text shown by them. Each version's directory may
// hold a product catalog (products.json, see ParseCatalog): the products
// installers name by key, with the rules of their terms (Husky has no
// 30-day return right, the M-series needs acceptance before purchase, some
// products let a licensee grant affiliates access). Library.Products and
// Library.Product read the catalog of the version in force.
//
// # Versions
//
// A version's front matter says whether it needs re-acceptance (material,
// the default) or not (editorial). Library.StillValid states when an
// acceptance of an older version still counts; Library.Resolve never shows
// an older translation of a different text (a lagging translation gives the
// new English); Library.Compare and DiffText say what changed, by section
// hash and word by word.
//
// # Use cases
//
// Registrar is the service: every way a decision is recorded (an end
// user's, a dealer's on a customer's behalf and the end user's
// confirmation, an administrator's for Update Manager and the delegated
// acceptances that follow, an affiliate's) and every question asked of the
// records (status, receipts, chains, exports, a person's data, erasure).
// Each use case picks its defaults, checks what was shown against the
// Library and appends once; the Store validates. The HTTP handlers (package
// web) and the commands decode, call a use case and encode.
//
// # Records and the log
//
// A Record is one decision. Its LeafData, which holds no personal data but a
// salted hash of it, is a leaf of the transparency log kept by eula/translog;
// a Receipt (the record, an inclusion proof and a signed checkpoint) proves it
// offline with VerifyReceipt. Erasing a person's data leaves every proof
// valid and appends an Erasure entry to the log, naming the record; a
// receipt shows the erasure only with that entry's own inclusion proof. Stores implement Store (eula/sqlite, eula/postgres) and pass the
// conformance suite in eula/storetest. StatusOf is the gate's rule.
//
// # Dependencies
//
// The package imports neither go-app nor net/http nor a database driver nor
// goldmark, and builds for GOOS=js: the user interface (package app) and the
// server (package main, package web) depend on it, never the reverse.
// Rendering to HTML is in eula/render, server side only.
//
// # Errors
//
// Functions wrap errors with context. Callers branch on the sentinels
// ErrNotFound, ErrInvalid, ErrConflict, ErrForbidden and ErrUnauthorized with
// errors.Is; package web maps them to HTTP status codes in one table.
package eula
