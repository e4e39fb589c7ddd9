package render

import (
	"fmt"
	"html"
	"strings"

	"github.com/eulagate/eulagate/eula"
)

// RenderChange renders one section of a comparison (eula.Library.Compare)
// with its differences marked, for a reader asked to accept a new version:
//
//	<section data-section="<id>" data-change="<kind>">
//	<hN id="change-<id>">the title</hN>   (N: one below the section's level)
//	<p class="changed">… <del>removed</del><ins>added</ins> …</p>
//	<p class="unchanged">…</p>
//	</section>
//
// The text is the sections' plain text (eula.PlainText), one paragraph a
// line, escaped; Markdown emphasis and links are not rendered here.
// Paragraphs without a change have class "unchanged", so that a page can
// fold them. An unchanged section gives only its <section> element with
// its title; render it with RenderSection to show it in full.
func RenderChange(c eula.SectionChange) HTML {
	level := 2
	if s := c.New; s != nil {
		level = s.Level
	} else if c.Old != nil {
		level = c.Old.Level
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<section data-section=\"%s\" data-change=\"%s\">\n", html.EscapeString(c.ID), html.EscapeString(string(c.Kind)))
	lines := splitEdits(c.Edits)
	if c.Kind == eula.SectionUnchanged || len(lines) == 0 {
		lines = [][]eula.Edit{{{Op: eula.Equal, Text: c.Title()}}}
	}
	// One level below the section's own, under the page's "what changed"
	// heading; the id is prefixed so it does not clash with the section's
	// own heading shown further down the same page.
	level = min(level+1, 6)
	fmt.Fprintf(&b, "<h%d id=\"change-%s\">%s</h%d>\n", level, html.EscapeString(c.ID), markEdits(lines[0]), level)
	for _, l := range lines[1:] {
		if len(l) == 0 {
			continue
		}
		class := "unchanged"
		for _, e := range l {
			if e.Op != eula.Equal {
				class = "changed"
			}
		}
		fmt.Fprintf(&b, "<p class=\"%s\">%s</p>\n", class, markEdits(l))
	}
	b.WriteString("</section>\n")
	return HTML(b.String())
}

// splitEdits cuts a difference into lines, dropping the line breaks and
// white space only lines.
func splitEdits(edits []eula.Edit) [][]eula.Edit {
	lines := [][]eula.Edit{nil}
	for _, e := range edits {
		for i, part := range strings.Split(e.Text, "\n") {
			if i > 0 {
				lines = append(lines, nil)
			}
			if part != "" {
				lines[len(lines)-1] = append(lines[len(lines)-1], eula.Edit{Op: e.Op, Text: part})
			}
		}
	}
	out := lines[:0]
	for _, l := range lines {
		if len(l) > 0 && strings.TrimSpace(eula.OldText(l)+eula.NewText(l)) != "" {
			out = append(out, l)
		}
	}
	return out
}

func markEdits(edits []eula.Edit) string {
	var b strings.Builder
	for _, e := range edits {
		t := html.EscapeString(e.Text)
		switch e.Op {
		case eula.Delete:
			b.WriteString("<del>" + t + "</del>")
		case eula.Insert:
			b.WriteString("<ins>" + t + "</ins>")
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}
