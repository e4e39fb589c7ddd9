package eula

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SectionChangeKind says how a section differs between two versions of a
// document.
type SectionChangeKind string

// Kinds of section change.
const (
	// SectionUnchanged: same id, same canonical hash.
	SectionUnchanged SectionChangeKind = "unchanged"
	// SectionChanged: same id, different canonical hash.
	SectionChanged SectionChangeKind = "changed"
	// SectionAdded: the id is only in the newer version.
	SectionAdded SectionChangeKind = "added"
	// SectionRemoved: the id is only in the older version.
	SectionRemoved SectionChangeKind = "removed"
)

// SectionChange is one section of a comparison between two versions of a
// document.
type SectionChange struct {
	// ID is the section id.
	ID string
	// Kind says what changed; the canonical section hashes decide.
	Kind SectionChangeKind
	// Old is the section in the older version, nil if Kind is
	// SectionAdded; New is the section in the newer version, nil if Kind
	// is SectionRemoved.
	Old, New *Section
	// Edits is the word-level difference of the sections' plain text
	// (PlainText), nil for an unchanged section: all Insert for an added
	// section, all Delete for a removed one.
	Edits []Edit
}

// Title returns the section's title in the newer version, or in the older
// one if the section was removed.
func (c SectionChange) Title() string {
	if c.New != nil {
		return c.New.Title
	}
	if c.Old != nil {
		return c.Old.Title
	}
	return ""
}

// Changes compares two versions of a document (normally in the same
// language) section by section: by id, and by canonical hash for the ids
// both have. The result follows the newer version's order; a removed
// section comes after the section that preceded it in the older version.
// Every section of either version appears exactly once.
func Changes(old, new *Document) []SectionChange {
	inNew := make(map[string]bool, len(new.Sections))
	for _, s := range new.Sections {
		inNew[s.ID] = true
	}
	// removedAfter[id] lists the old sections removed after section id
	// ("" for those before every kept section).
	removedAfter := map[string][]*Section{}
	anchor := ""
	for i := range old.Sections {
		s := &old.Sections[i]
		if inNew[s.ID] {
			anchor = s.ID
			continue
		}
		removedAfter[anchor] = append(removedAfter[anchor], s)
	}
	var out []SectionChange
	emitRemoved := func(anchor string) {
		for _, s := range removedAfter[anchor] {
			out = append(out, SectionChange{ID: s.ID, Kind: SectionRemoved, Old: s, Edits: DiffText(PlainText(s.Markdown), "")})
		}
	}
	emitRemoved("")
	for i := range new.Sections {
		n := &new.Sections[i]
		o, ok := old.Section(n.ID)
		switch {
		case !ok:
			out = append(out, SectionChange{ID: n.ID, Kind: SectionAdded, New: n, Edits: DiffText("", PlainText(n.Markdown))})
		case o.Hash == n.Hash && o.Hash != "":
			out = append(out, SectionChange{ID: n.ID, Kind: SectionUnchanged, Old: o, New: n})
		default:
			out = append(out, SectionChange{ID: n.ID, Kind: SectionChanged, Old: o, New: n, Edits: DiffText(PlainText(o.Markdown), PlainText(n.Markdown))})
		}
		if ok {
			emitRemoved(n.ID)
		}
	}
	return out
}

// Op is the operation of an Edit.
type Op int

// The operations of a difference.
const (
	// Equal text is in both versions.
	Equal Op = iota
	// Insert text is only in the newer version.
	Insert
	// Delete text is only in the older version.
	Delete
)

// String returns "equal", "insert" or "delete".
func (op Op) String() string {
	switch op {
	case Equal:
		return "equal"
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	}
	return "op(" + strconv.Itoa(int(op)) + ")"
}

// Edit is one run of text of a difference.
type Edit struct {
	Op   Op
	Text string
}

// MaxDiffEdits bounds the work of DiffText: when two runs of lines differ
// by more than this many tokens (or two texts by more than this many
// lines), the old run is reported deleted whole and the new one inserted.
const MaxDiffEdits = 2000

// DiffText returns the word-level difference between two texts: the edits
// that turn old into new. Words are compared whole in scripts written with
// spaces; in Chinese, Japanese, Thai and similar scripts each character is a
// word. White space and punctuation are tokens of their own. Lines (the
// paragraphs of PlainText) are matched first, then the words of each run of
// changed lines, so words never match across paragraphs.
//
// Concatenating the Equal and Delete texts in order gives old; the Equal
// and Insert texts give new. Adjacent edits are merged, white space within
// a line between two changes is counted as changed (so "a b" replaced by
// "c d" reads as one deletion and one insertion), and within a run of
// changes the deletion comes first. A run of changed lines that differs by
// more than MaxDiffEdits tokens is reported as replaced whole.
func DiffText(old, new string) []Edit {
	if old == new {
		if old == "" {
			return nil
		}
		return []Edit{{Equal, old}}
	}
	// Lines (paragraphs, in plain text) first, then the words of each run
	// of changed lines: a rewritten paragraph is not matched word by word
	// against another one, and long texts stay cheap.
	var edits []Edit
	lines, ok := diffTokens(strings.SplitAfter(old, "\n"), strings.SplitAfter(new, "\n"))
	if !ok {
		return tidy(diffTokens2(tokenize(old), tokenize(new)))
	}
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 || ins.Len() > 0 {
			edits = append(edits, diffTokens2(tokenize(del.String()), tokenize(ins.String()))...)
		}
		del.Reset()
		ins.Reset()
	}
	for _, e := range lines {
		switch e.Op {
		case Equal:
			flush()
			edits = append(edits, e)
		case Delete:
			del.WriteString(e.Text)
		case Insert:
			ins.WriteString(e.Text)
		}
	}
	flush()
	return tidy(edits)
}

// diffTokens2 is diffTokens falling back, past MaxDiffEdits, to the whole
// of a deleted and the whole of b inserted.
func diffTokens2(a, b []string) []Edit {
	edits, ok := diffTokens(a, b)
	if !ok {
		return []Edit{{Delete, strings.Join(a, "")}, {Insert, strings.Join(b, "")}}
	}
	return edits
}

// diffTokens returns the edits turning the tokens a into b, one edit a
// token, or false if that takes more than MaxDiffEdits edits.
func diffTokens(a, b []string) ([]Edit, bool) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	script, ok := myers(a[pre:len(a)-suf], b[pre:len(b)-suf], MaxDiffEdits)
	if !ok {
		return nil, false
	}
	edits := make([]Edit, 0, pre+len(script)+suf)
	for _, t := range a[:pre] {
		edits = append(edits, Edit{Equal, t})
	}
	edits = append(edits, script...)
	for _, t := range a[len(a)-suf:] {
		edits = append(edits, Edit{Equal, t})
	}
	return edits, true
}

// tidy turns white space (within a line) that stands alone between two
// changes into a change, puts deletions before insertions within a run of changes, and
// merges adjacent edits of the same kind.
func tidy(edits []Edit) []Edit {
	for i := 1; i+1 < len(edits); i++ {
		if t := edits[i].Text; edits[i].Op == Equal && edits[i-1].Op != Equal && edits[i+1].Op != Equal &&
			strings.TrimSpace(t) == "" && !strings.Contains(t, "\n") {
			edits[i].Op = -1 // both a deletion and an insertion
		}
	}
	var out []Edit
	var del, ins strings.Builder
	equal := func(text string) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == Equal {
			out[n-1].Text += text
			return
		}
		out = append(out, Edit{Equal, text})
	}
	flush := func() {
		d, i := del.String(), ins.String()
		del.Reset()
		ins.Reset()
		// White space that both sides start or end with is not a change.
		var pre, suf string
		if d != "" && i != "" {
			pre = commonSpace(d, i, false)
			d, i = d[len(pre):], i[len(pre):]
			suf = commonSpace(d, i, true)
			d, i = d[:len(d)-len(suf)], i[:len(i)-len(suf)]
		}
		equal(pre)
		if d != "" {
			out = append(out, Edit{Delete, d})
		}
		if i != "" {
			out = append(out, Edit{Insert, i})
		}
		equal(suf)
	}
	for _, e := range edits {
		switch e.Op {
		case Equal:
			flush()
			equal(e.Text)
		case Delete:
			del.WriteString(e.Text)
		case Insert:
			ins.WriteString(e.Text)
		default:
			del.WriteString(e.Text)
			ins.WriteString(e.Text)
		}
	}
	flush()
	return out
}

// commonSpace returns the longest run of white space that a and b both
// start with (or, if atEnd, end with).
func commonSpace(a, b string, atEnd bool) string {
	n := 0
	for n < len(a) && n < len(b) {
		x, y := a[n], b[n]
		if atEnd {
			x, y = a[len(a)-1-n], b[len(b)-1-n]
		}
		if x != y || (x != ' ' && x != '\t' && x != '\n') {
			break
		}
		n++
	}
	if atEnd {
		return a[len(a)-n:]
	}
	return a[:n]
}

// OldText returns the older text of a difference: its Equal and Delete
// texts.
func OldText(edits []Edit) string { return joinEdits(edits, Delete) }

// NewText returns the newer text of a difference: its Equal and Insert
// texts.
func NewText(edits []Edit) string { return joinEdits(edits, Insert) }

func joinEdits(edits []Edit, side Op) string {
	var b strings.Builder
	for _, e := range edits {
		if e.Op == Equal || e.Op == side {
			b.WriteString(e.Text)
		}
	}
	return b.String()
}

// tokenize splits s into words (letters, digits and marks), runs of white
// space, and single other characters; in scripts written without spaces
// each character is a token. Concatenating the tokens gives s back.
func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		switch {
		case unspaced(r):
			// one character
		case isWordRune(r):
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) || unspaced(r2) {
					break
				}
				j += n
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n
			}
		}
		toks = append(toks, s[i:j])
		i = j
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// unspaced reports whether r belongs to a script written without spaces
// between words, whose characters are compared one by one.
func unspaced(r rune) bool {
	return r >= 0x0E00 && (unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan) ||
		r == 0x30FC) // katakana-hiragana prolonged sound mark (script Common)
}

// myers returns the shortest edit script turning a into b (Myers' O(ND)
// algorithm), or false if it needs more than maxD edits.
func myers(a, b []string, maxD int) ([]Edit, bool) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		var out []Edit
		for _, t := range a {
			out = append(out, Edit{Delete, t})
		}
		for _, t := range b {
			out = append(out, Edit{Insert, t})
		}
		return out, n+m <= maxD
	}
	limit := min(n+m, maxD)
	off := limit + 1
	v := make([]int32, 2*limit+3)
	// trace[d] is v[k] for k in -d..d after step d.
	var trace [][]int32
	for d := 0; d <= limit; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = int(v[off+k+1]) // down: insertion
			} else {
				x = int(v[off+k-1]) + 1 // right: deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				trace = append(trace, append([]int32(nil), v[off-d:off+d+1]...))
				return backtrack(a, b, trace), true
			}
		}
		trace = append(trace, append([]int32(nil), v[off-d:off+d+1]...))
	}
	return nil, false
}

// backtrack walks the trace of myers back from the end and returns the
// edits in order.
func backtrack(a, b []string, trace [][]int32) []Edit {
	x, y := len(a), len(b)
	var rev []Edit
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1] // indexed by k + (d-1)
		k := x - y
		var pk int
		if k == -d || (k != d && prev[k-1+(d-1)] < prev[k+1+(d-1)]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := int(prev[pk+(d-1)])
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, Edit{Equal, a[x]})
		}
		if x == px {
			y--
			rev = append(rev, Edit{Insert, b[y]})
		} else {
			x--
			rev = append(rev, Edit{Delete, a[x]})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, Edit{Equal, a[x]})
	}
	out := make([]Edit, len(rev))
	for i, e := range rev {
		out[len(rev)-1-i] = e
	}
	return out
}
