package importer

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildParagraphs(t *testing.T) {
	footers := map[string]bool{"EULA 20250212": true}
	for _, test := range []struct {
		name  string
		mode  paragraphMode
		short int
		src   string
		want  []para
	}{
		{"join mid-sentence", modeBlank, 0, "The Product may \nbe used. \n", []para{{0, "The Product may be used."}}},
		{"real hyphen", modeBlank, 0, "This EULA is non-\ntransferable save that \n", []para{{0, "This EULA is non-transferable save that"}}},
		{"spaced dash is not a hyphen", modeBlank, 0, "A -\nB", []para{{0, "A - B"}}},
		{"URL broken after a hyphen", modeBlank, 0, "see https://www.milestonesys.com/privacy-\npolicy/). \n", []para{{0, "see https://www.milestonesys.com/privacy-policy/)."}}},
		{"footer and debris inside a paragraph", modeBlank, 0, "the title \n\n\n\nEULA 20250212 \n\n   \n\nand rights \n", []para{{0, "the title and rights"}}},
		{"blank line mid-sentence", modeBlank, 0, "collects and \n\nprocesses data. \n\nNext one. \n", []para{{0, "collects and processes data."}, {0, "Next one."}}},
		{"stray leading spaces", modeBlank, 0, "  A.  \n \nB  C. \n", []para{{0, "A."}, {0, "B C."}}},
		{"numbered clauses", modeBlank, 0, "restrictions: \n1. The first \nclause. \n\n2. The second. \n\nAfter.\n", []para{{0, "restrictions:"}, {1, "The first clause."}, {2, "The second."}, {0, "After."}}},
		{"number out of sequence is text", modeBlank, 0, "1. One, paragraph 9 \nand \n10. below\n", []para{{1, "One, paragraph 9 and 10. below"}}},
		{"lettered clauses stay text", modeBlank, 0, "(a) one; \n(b) two.\n", []para{{0, "(a) one; (b) two."}}},
		{"japanese: blank lines mean nothing", modeCJK, 0, "本製品をインストール\n\nする場合。 \n\n次の段落\n\nです。\n", []para{{0, "本製品をインストールする場合。"}, {0, "次の段落です。"}}},
		{"japanese: no space between wide characters", modeCJK, 0, "使用許諾契約を \n\n同意している", []para{{0, "使用許諾契約を同意している"}}},
		{"japanese: space kept next to Latin text", modeCJK, 0, "お客様が Milestone \n\nXProtect を", []para{{0, "お客様が Milestone XProtect を"}}},
		{"japanese: Latin word broken mid-word", modeCJK, 0, "Ser\n\nver です。 \n", []para{{0, "Server です。"}}},
		{"japanese: clause after a line with trailing space", modeCJK, 0, "付与するものとします \n\n1. 本製品は。\n\n2. 次\n", []para{{0, "付与するものとします"}, {1, "本製品は。"}, {2, "次"}}},
		{"short line ends a paragraph", modeBlank, 20, "reserved by \nMilestone. \nThe Product may \ninclude. \n", []para{{0, "reserved by Milestone."}, {0, "The Product may include."}}},
		{"long line does not", modeBlank, 5, "reserved by \nMilestone. \nThe Product.\n", []para{{0, "reserved by Milestone. The Product."}}},
		{"nor a lowercase continuation", modeBlank, 20, "see a. \nb. \n", []para{{0, "see a. b."}}},
		{"one paragraph a line", modeLine, 0, "Legal basis\nLegal basis\n\nA long\n", []para{{0, "Legal basis"}, {0, "Legal basis"}, {0, "A long"}}},
	} {
		t.Run(test.name, func(t *testing.T) {
			got := buildParagraphs(splitLines(test.src, footers), test.mode, test.short)
			if diff := cmp.Diff(test.want, got); diff != "" {
				t.Errorf("buildParagraphs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEscapeBlock(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"plain text, “quoted”.", "plain text, “quoted”."},
		{"<script>x</script> & [link](u) *em* `code` {a}", `\<script\>x\</script\> \& \[link\](u) \*em\* \` + "`" + `code\` + "`" + ` \{a\}`},
		{"legal_terms-conditions_dell", "legal_terms-conditions_dell"},
		{"_emphasis_", `\_emphasis\_`},
		{"# not a heading", `\# not a heading`},
		{"- not a list", `\- not a list`},
		{"10. not a list", `10\. not a list`},
		{"2024) not a list", `2024\) not a list`},
		{`back\slash`, `back\\slash`},
	} {
		if got := escapeBlock(test.in); got != test.want {
			t.Errorf("escapeBlock(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestTokens(t *testing.T) {
	for _, test := range []struct {
		in   string
		want []string
	}{
		{"non-\ntransferable.", []string{"non", "-", "transferable", "."}},
		{"Végfelhasználói  adatok,", []string{"Végfelhasználói", "adatok", ","}},
		{"本製品 XProtect®", []string{"本", "製", "品", "XProtect", "®"}},
	} {
		if diff := cmp.Diff(test.want, tokens(test.in)); diff != "" {
			t.Errorf("tokens(%q) (-want +got):\n%s", test.in, diff)
		}
	}
	// A lost word is seen.
	a, b := tokens("one two three"), tokens("one three")
	if i := firstDiff(a, b); i != 1 {
		t.Errorf("firstDiff = %d, want 1", i)
	}
}

// FuzzImportSeed runs the importer on arbitrary text as each seed file:
// it must not panic or hang, any error must name a line, and what it
// accepts must contain no raw HTML.
func FuzzImportSeed(f *testing.F) {
	profiles, err := loadProfiles(dataFS)
	if err != nil {
		f.Fatal(err)
	}
	list, err := loadSeeds(dataFS)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Лицензионное соглашение с конечным пользователем \nMilestone \n   \nЭто перевод.\n Milestone End-user License Agreement \n   \nNOTE: text \n", uint8(0))
	f.Add("Milestone End-user License Agreement \n   \nNOTE: text \n\nAffiliated Companies. The license \n", uint8(1))
	f.Add(" Milestone エンドユーザー使用許諾契約 \n   \n\n関係会社： 本 EULA\n\n", uint8(2))
	f.Add("Privacy Policy\n\n1. What personal data we process\n\nYou will be logged out in\n", uint8(3))
	f.Add("\n\n1.\n2. \n-\n\xff", uint8(3))
	footers := map[string]bool{"EULA 20250212": true}
	f.Fuzz(func(t *testing.T, src string, which uint8) {
		s := list[int(which)%len(list)]
		docs, err := importSeed(s, src, profiles, footers)
		if err != nil {
			if !strings.Contains(err.Error(), "line") {
				t.Fatalf("error names no line: %v", err)
			}
			return
		}
		for _, d := range docs {
			for _, sec := range d.Sections {
				if strings.Contains(strings.ReplaceAll(sec.Markdown, `\<`, ""), "<") {
					t.Fatalf("unescaped < in %q", sec.Markdown)
				}
			}
		}
	})
}
