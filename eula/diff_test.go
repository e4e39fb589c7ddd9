package eula_test

import (
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// show writes a difference as git's word diff does: [-deleted-]{+inserted+}.
func show(edits []eula.Edit) string {
	var b strings.Builder
	for _, e := range edits {
		switch e.Op {
		case eula.Equal:
			b.WriteString(e.Text)
		case eula.Delete:
			b.WriteString("[-" + e.Text + "-]")
		case eula.Insert:
			b.WriteString("{+" + e.Text + "+}")
		}
	}
	return b.String()
}

func TestDiffText(t *testing.T) {
	for _, test := range []struct {
		name, old, new, want string
	}{
		{"empty", "", "", ""},
		{"same", "a b", "a b", "a b"},
		{"all new", "", "a b", "{+a b+}"},
		{"all gone", "a b", "", "[-a b-]"},
		{"one word", "the price paid", "the fees paid", "the [-price-]{+fees+} paid"},
		{"words added", "paid for the licence.", "paid for the licence in the twelve months.", "paid for the licence{+ in the twelve months+}."},
		{"spaces between changes join", "on any number of servers", "on as many servers", "on [-any number of-]{+as many+} servers"},
		{"typo", "on it's behalf", "on its behalf", "on [-it's-]{+its+} behalf"},
		{"punctuation is a token", "a, b", "a; b", "a[-,-]{+;+} b"},
		{"russian", "не превышает цену, уплаченную", "не превышает сборы, уплаченные", "не превышает [-цену-]{+сборы+}, [-уплаченную-]{+уплаченные+}"},
		{"japanese by character", "支払われた価格を超えない", "支払われた料金を超えない", "支払われた[-価格-]{+料金+}を超えない"},
		{"hungarian accents", "árat fizetett", "díjat fizetett", "[-árat-]{+díjat+} fizetett"},
		{"combining mark stays in its word", "cafe\u0301 ok", "cafe ok", "[-cafe\u0301-]{+cafe+} ok"},
		{"newlines", "a\nb\n", "a\nc\n", "a\n[-b-]{+c+}\n"},
		{"paragraphs stay apart", "p1 old\n\np2 old\n", "p1 new\n\np2 new\n", "p1 [-old-]{+new+}\n\np2 [-old-]{+new+}\n"},
		{"a paragraph replaced", "T\n\nthe cat sat on the mat\n\nend\n", "T\n\nno dogs in the house\n\nend\n",
			"T\n\n[-the cat sat on-]{+no dogs in+} the [-mat-]{+house+}\n\nend\n"},
		{"a paragraph added", "T\n\nend\n", "T\n\nnew one\n\nend\n", "T\n\n{+new one\n\n+}end\n"},
	} {
		t.Run(test.name, func(t *testing.T) {
			edits := eula.DiffText(test.old, test.new)
			if diff := cmp.Diff(test.want, show(edits)); diff != "" {
				t.Errorf("DiffText(%q, %q) (-want +got):\n%s", test.old, test.new, diff)
			}
			checkEdits(t, test.old, test.new, edits)
		})
	}
}

// checkEdits checks that the edits give back both texts and are tidy: no
// empty edit, no two adjacent edits of the same kind, deletions first.
func checkEdits(t *testing.T, old, new string, edits []eula.Edit) {
	t.Helper()
	if got := eula.OldText(edits); got != old {
		t.Errorf("OldText = %q, want %q", got, old)
	}
	if got := eula.NewText(edits); got != new {
		t.Errorf("NewText = %q, want %q", got, new)
	}
	for i, e := range edits {
		if e.Text == "" {
			t.Errorf("edit %d is empty", i)
		}
		if i > 0 && edits[i-1].Op == e.Op {
			t.Errorf("edits %d and %d are both %s", i-1, i, e.Op)
		}
		if i > 0 && edits[i-1].Op == eula.Insert && e.Op == eula.Delete {
			t.Errorf("edit %d: a deletion after an insertion", i)
		}
	}
}

// TestDiffTextLarge: texts too different for the limit are replaced whole,
// and the result is still exact.
func TestDiffTextLarge(t *testing.T) {
	var a, b strings.Builder
	for i := range eula.MaxDiffEdits {
		a.WriteString("x" + strings.Repeat("a", i%7) + " ")
		b.WriteString("y" + strings.Repeat("b", i%5) + " ")
	}
	edits := eula.DiffText(a.String(), b.String())
	checkEdits(t, a.String(), b.String(), edits)
	if len(edits) != 3 { // a shared trailing space
		t.Errorf("%d edits, want 3 (whole replacement)", len(edits))
	}
}

func FuzzDiffText(f *testing.F) {
	f.Add("the price paid", "the fees paid")
	f.Add("支払われた価格を超えない", "支払われた料金を超えない")
	f.Add("a\n\nb", "a b\n")
	f.Add("", "x")
	f.Add("\xff\xfe", "\xff")
	f.Fuzz(func(t *testing.T, old, new string) {
		if len(old)+len(new) > 4000 {
			return
		}
		checkEdits(t, old, new, eula.DiffText(old, new))
	})
}

// TestChanges: from A to B exactly the two material changes, from B to C
// exactly the editorial one, from A to C all three.
func TestChanges(t *testing.T) {
	lib := versionsLibrary(t)
	for _, test := range []struct {
		from, to string
		changed  []string
	}{
		{verA, verA, nil},
		{verA, verB, []string{"general/limitation-of-liability", "products/xprotect-corporate"}},
		{verB, verC, []string{"general/affiliated-companies"}},
		{verA, verC, []string{"general/affiliated-companies", "general/limitation-of-liability", "products/xprotect-corporate"}},
	} {
		from, _ := lib.Document(eula.DocEULA, test.from, language.English)
		to, _ := lib.Document(eula.DocEULA, test.to, language.English)
		changes := eula.Changes(from, to)
		var changed []string
		for _, c := range changes {
			if c.Kind != eula.SectionUnchanged {
				changed = append(changed, c.ID)
				if c.Kind != eula.SectionChanged || c.Old == nil || c.New == nil || c.Edits == nil {
					t.Errorf("%s: %+v", c.ID, c)
				}
			} else if c.Edits != nil {
				t.Errorf("%s unchanged but has edits", c.ID)
			}
		}
		if diff := cmp.Diff(test.changed, changed); diff != "" {
			t.Errorf("%s to %s: changed sections (-want +got):\n%s", test.from, test.to, diff)
		}
		if len(changes) != len(to.Sections) {
			t.Errorf("%s to %s: %d changes for %d sections", test.from, test.to, len(changes), len(to.Sections))
		}
	}
}

// TestChangesAddedRemoved: sections only in one version, in place.
func TestChangesAddedRemoved(t *testing.T) {
	doc := func(ids ...string) *eula.Document {
		var b strings.Builder
		b.WriteString("---\ndocument: eula\nversion: \"1\"\nlanguage: en\ntitle: T\nsource: s\nprevails: en\n---\n\n# T {id=\"preamble\"}\n\nText.\n")
		for _, id := range ids {
			b.WriteString("\n## " + id + " {id=\"" + id + "\"}\n\nAbout " + id + ".\n")
		}
		d, err := eula.Parse([]byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	old := doc("general/a", "general/b", "general/c", "general/d")
	new := doc("general/x", "general/a", "general/c", "general/d", "general/e")
	var got []string
	for _, c := range eula.Changes(old, new) {
		got = append(got, string(c.Kind)+" "+c.ID+": "+show(c.Edits))
	}
	want := []string{
		"unchanged preamble: ",
		"added general/x: {+general/x\n\nAbout general/x.\n+}",
		"unchanged general/a: ",
		"removed general/b: [-general/b\n\nAbout general/b.\n-]",
		"unchanged general/c: ",
		"unchanged general/d: ",
		"added general/e: {+general/e\n\nAbout general/e.\n+}",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Changes (-want +got):\n%s", diff)
	}
}

// TestCompare: the reader's language where both versions have it, else the
// original; which sections changed follows the originals.
func TestCompare(t *testing.T) {
	lib := versionsLibrary(t)
	for _, test := range []struct {
		from, to string
		lang     language.Tag
		shown    string
		edits    map[string]string // section id -> marked plain text of its changed line
	}{
		{verA, verB, language.Russian, "ru", map[string]string{
			"general/limitation-of-liability": "Ответственность Example A/S не превышает [-цену-]{+сборы+}, [-уплаченную-]{+уплаченные+} за лицензию{+ за двенадцать месяцев до претензии+}.",
			"products/xprotect-corporate":     "Вы можете установить продукт на [-любое количество-]{+столько+} серверов{+, сколько указано в вашей лицензии+}.",
		}},
		{verA, verB, language.Hungarian, "en", map[string]string{ // B has no Hungarian
			"general/limitation-of-liability": "The liability of Example A/S shall not exceed the [-price-]{+fees+} paid for the licence{+ in the twelve months before the claim+}.",
			"products/xprotect-corporate":     "You may install the product on [-any number of-]{+as many+} servers{+ as your licence names+}.",
		}},
		{verB, verC, language.Japanese, "ja", map[string]string{ // the Japanese had no typo
			"general/affiliated-companies": "Example A/Sの関連会社は、同社に代わってライセンスを付与することができます。",
		}},
		{verB, verC, language.English, "en", map[string]string{
			"general/affiliated-companies": "Affiliated companies of Example A/S may grant the licence on [-it's-]{+its+} behalf.",
		}},
	} {
		c, err := lib.Compare(eula.DocEULA, test.from, test.to, test.lang)
		if err != nil {
			t.Fatal(err)
		}
		if c.Language.String() != test.shown {
			t.Errorf("%s to %s in %s: language %s, want %s", test.from, test.to, test.lang, c.Language, test.shown)
		}
		got := map[string]string{}
		for _, s := range c.Changed() {
			lines := strings.Split(show(s.Edits), "\n")
			got[s.ID] = lines[len(lines)-2] // the clause, after the heading and a blank line
			if s.New.Title == "" || s.Title() != s.New.Title {
				t.Errorf("%s: title %q", s.ID, s.Title())
			}
		}
		if diff := cmp.Diff(test.edits, got); diff != "" {
			t.Errorf("%s to %s in %s (-want +got):\n%s", test.from, test.to, test.lang, diff)
		}
		if c.Unchanged() != 7-len(test.edits) {
			t.Errorf("%d unchanged, want %d", c.Unchanged(), 7-len(test.edits))
		}
	}
	if _, err := lib.Compare(eula.DocEULA, "19990101", verC, language.English); err == nil {
		t.Error("Compare with an unknown version succeeded")
	}
}
