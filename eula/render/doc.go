// Package render turns eulagate documents (package eula) into safe HTML
// with goldmark. It runs on the server only, so that the WebAssembly front
// end does not carry goldmark.
//
// # Safety
//
// Raw HTML in a document is never passed through (goldmark's renderer is
// used without html.WithUnsafe), links and images whose URL has a scheme
// other than those below are rendered as their text, and an AST transformer
// removes every attribute a document sets except a well-formed section id
// on a heading. The result is carried as the HTML type, which only this
// package produces.
//
// # Output contract
//
// What Renderer.Section returns holds these elements, and on each only the
// attributes listed, with the values described:
//
//   - p, blockquote, ul, li, pre, code, em, strong, hr, br: none;
//   - h1 to h6: id, a section id (eula.ValidSectionID), where the Markdown
//     gives a valid one;
//   - ol: start, a decimal number;
//   - a: href, a URL whose scheme is http, https or mailto, or that has no
//     scheme (a relative URL or a fragment, possibly empty); rel, exactly
//     "noopener noreferrer"; title, any text;
//   - img: src, a URL whose scheme is http or https, or that has none;
//     alt and title, any text.
//
// A URL's scheme is read as a browser reads it (leading spaces and control
// characters, and tabs and newlines anywhere, ignored). Tags are written
// lower-case as <name attr="value">, end tags as </name>; attribute values
// are double-quoted, and in values and text "&", "<", ">" and the double
// quote appear only as character references. The one comment is
// <!-- raw HTML omitted -->, written where the Markdown held raw HTML.
// With WithoutLinks there is no a element. Fenced code keeps no info string
// (goldmark would write it as class="language-…").
//
// FuzzRenderSection checks this contract on any Markdown. Document adds
// the section element described under Anchors; RenderChange writes the
// elements described under Changes.
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
