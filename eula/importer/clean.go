package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// srcLine is one line of a seed file.
type srcLine struct {
	N             int    // 1-based line number in the seed file
	Text          string // trimmed of spaces and tabs, inner runs collapsed
	TrailingSpace bool   // the raw line ended with a space or tab
	LeadingSpace  bool   // the raw line started with a space or tab
	Width         int    // characters in the line as extracted, for shortLine
}

func (l srcLine) blank() bool { return l.Text == "" }

// splitLines turns a seed file into lines; footer lines become blank lines,
// and so does page-break debris (lines of spaces).
func splitLines(src string, footers map[string]bool) []srcLine {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	raw := strings.Split(src, "\n")
	out := make([]srcLine, len(raw))
	for i, r := range raw {
		t := collapseSpaces(r)
		if footers[t] {
			t = ""
		}
		out[i] = srcLine{N: i + 1, Text: t, Width: utf8.RuneCountInString(t),
			TrailingSpace: strings.HasSuffix(r, " ") || strings.HasSuffix(r, "\t"),
			LeadingSpace:  strings.HasPrefix(r, " ") || strings.HasPrefix(r, "\t")}
	}
	return out
}

// collapseSpaces trims spaces and tabs and turns inner runs of them into
// one space. Other white space (such as no-break spaces) is text and kept.
func collapseSpaces(s string) string {
	s = strings.Trim(s, " \t\r\f\v")
	if !strings.Contains(s, "  ") && !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\f' || r == '\v' || r == '\r' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wide reports whether r belongs to a script written without spaces between
// words (Han, Hiragana, Katakana) or is full-width punctuation.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == 'ー'
}

// joiner returns what goes between the text so far and the next line of the
// same paragraph: "" or " ".
//
// A hyphen at a line end is a real hyphen ("non-" + "transferable"), and a
// URL broken across lines always breaks after one, so the lines join
// without a space. In CJK text no space is inserted next to a wide
// character, and a line that ends without a space breaks in the middle of a
// word unless the next line starts with one.
func joiner(cur string, prev, next srcLine, mode paragraphMode) string {
	last, _ := utf8.DecodeLastRuneInString(cur)
	first, _ := utf8.DecodeRuneInString(next.Text)
	if mode == modeCJK {
		if (wide(last) && wide(first)) || !(prev.TrailingSpace || next.LeadingSpace) {
			return ""
		}
		return " "
	}
	if last == '-' && len(cur) >= 2 && cur[len(cur)-2] != ' ' {
		return ""
	}
	return " "
}

// endsSentence reports whether a line ends a sentence or introduces a list:
// its last character, after closing quotes and brackets, is one of . : ; ! ?
// (or their full-width forms).
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)]）」』")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".:;!?。：；！？", r)
}

// listNumber returns n if s starts with a clause number "n. " (or is just
// "n.").
func listNumber(s string) (int, bool) {
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != '.' || (i+1 < len(s) && s[i+1] != ' ') {
		return 0, false
	}
	n, err := strconv.Atoi(s[:i])
	return n, err == nil && n > 0
}

// para is one rebuilt paragraph; Num > 0 for a numbered clause.
type para struct {
	Num  int
	Text string // for a numbered clause, without its "n. " marker
}

// shortLine returns the width under which a line of a justified PDF page
// is short: the last line of its paragraph. It is 55% of the 90th
// percentile of the line widths, or 0 (no line is short) for other modes.
func shortLine(lines []srcLine, mode paragraphMode) int {
	if mode != modeBlank {
		return 0
	}
	var ws []int
	for _, l := range lines {
		if !l.blank() {
			ws = append(ws, l.Width)
		}
	}
	if len(ws) < 20 {
		return 0
	}
	slices.Sort(ws)
	return ws[len(ws)*9/10] * 55 / 100
}

// buildParagraphs joins lines broken mid-sentence and splits the text into
// paragraphs and numbered clauses. In mode blank, a sentence end on a line
// narrower than short, followed by a capital letter, also ends a paragraph
// (short 0 disables this).
func buildParagraphs(lines []srcLine, mode paragraphMode, short int) []para {
	var out []para
	var cur strings.Builder
	var prev srcLine
	curNum, lastNum := 0, 0
	sawBlank := false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, para{Num: curNum, Text: cur.String()})
		}
		cur.Reset()
		curNum = 0
	}
	for _, l := range lines {
		if l.blank() {
			sawBlank = true
			continue
		}
		t := l.Text
		start := cur.Len() == 0
		if !start {
			switch mode {
			case modeLine:
				start = true
			case modeBlank:
				first, _ := utf8.DecodeRuneInString(t)
				start = endsSentence(prev.Text) && (sawBlank || (prev.Width < short && unicode.IsUpper(first)))
			case modeCJK:
				start = prev.TrailingSpace && endsSentence(prev.Text)
			}
		}
		n, numbered := listNumber(t)
		numbered = numbered && (n == 1 || n == lastNum+1)
		if numbered && !start && (endsSentence(prev.Text) || (sawBlank && mode != modeCJK) || (mode == modeCJK && prev.TrailingSpace)) {
			start = true
		}
		if start {
			flush()
			if numbered {
				curNum, lastNum = n, n
				t = strings.TrimPrefix(t[strings.IndexByte(t, '.')+1:], " ")
			}
			cur.WriteString(t)
		} else {
			cur.WriteString(joiner(cur.String(), prev, l, mode))
			cur.WriteString(t)
		}
		prev = l
		sawBlank = false
	}
	flush()
	return out
}

// escapeInline escapes the characters that Markdown would read as markup
// inside a line: backslash, emphasis, code, links, raw HTML and entities.
// An underscore inside a word (as in URLs) is left alone: it cannot start
// emphasis.
func escapeInline(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '*', '`', '[', ']', '<', '>', '&', '{', '}':
			b.WriteByte('\\')
		case '_':
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+1:])
			if !(isWordRune(before) && isWordRune(after)) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// escapeBlock escapes a paragraph's text so that it stays one paragraph: in
// addition to escapeInline, a start that Markdown would read as a heading,
// quote, list item, thematic break or code fence is escaped.
func escapeBlock(s string) string {
	s = escapeInline(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=', '~', '|', ':':
		return `\` + s
	}
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// markdownParagraphs writes paragraphs as Markdown, one line each, separated
// by blank lines; numbered clauses become ordered-list items.
func markdownParagraphs(ps []para) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if p.Num > 0 {
			fmt.Fprintf(&b, "%d. %s", p.Num, escapeBlock(p.Text))
		} else {
			b.WriteString(escapeBlock(p.Text))
		}
	}
	return b.String()
}
