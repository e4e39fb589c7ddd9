// Package render turns eulagate documents (package eula) into safe HTML
// with goldmark. It runs on the server only, so that the WebAssembly front
// end does not carry goldmark.
//
// # Safety
//
// Raw HTML in a document is never passed through (goldmark's renderer is
// used without html.WithUnsafe), dangerous link targets are dropped, and an
// AST transformer removes every attribute a document sets except a
// well-formed section id on a heading. The result is carried as the HTML
// type, which only this package produces.
//
// # Anchors
//
// Section headings keep their ids ({id="general/affiliated-companies"} in
// the Markdown becomes <h2 id="general/affiliated-companies">), so a link
// to #products/husky-m-series lands on that section in every language.
// RenderDocument also wraps each section in
// <section data-section="…" data-hash="…">, so a page can pair a
// translated section with its original and say which exact text was shown.
//
// # Changes
//
// RenderChange renders one section of a comparison between two versions
// (eula.Library.Compare) as plain text with the words removed in <del> and
// those added in <ins>, each line a paragraph marked "changed" or
// "unchanged", for the reader who is asked to accept a new version.
package render
