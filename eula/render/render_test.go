package render

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func load(t *testing.T) *eula.Library {
	t.Helper()
	lib, err := eula.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// TestGolden renders a few sections of the committed documents and compares
// them with testdata/*.html; run with -update to rewrite those.
func TestGolden(t *testing.T) {
	lib := load(t)
	for _, test := range []struct {
		golden, doc, version, lang, section string
	}{
		{"en-preamble.html", eula.DocEULA, "20250212", "en", "preamble"},
		{"en-xprotect-corporate.html", eula.DocEULA, "20250212", "en", "products/xprotect-corporate"},
		{"ru-unattended-remote-updating.html", eula.DocEULA, "20250212", "ru", "general/unattended-remote-updating"},
		{"hu-husky-m-series.html", eula.DocEULA, "20250212", "hu", "products/husky-m-series"},
		{"ja-miscellaneous.html", eula.DocEULA, "20250212", "ja", "general/miscellaneous"},
		{"privacy-your-rights.html", eula.DocPrivacy, "20240228", "en", "general/your-rights"},
	} {
		t.Run(test.golden, func(t *testing.T) {
			s, err := lib.Section(test.doc, test.version, language.MustParse(test.lang), test.section)
			if err != nil {
				t.Fatal(err)
			}
			got, err := RenderSection(s)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", test.golden)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("RenderSection(%s) mismatch (-want +got):\n%s", test.section, diff)
			}
		})
	}
}

// TestSafe checks that nothing a document says can put markup or script in
// the page.
func TestSafe(t *testing.T) {
	for _, test := range []struct {
		name, markdown string
		want           []string // substrings that must be in the output
		bad            []string // substrings that must not
	}{
		{"raw html", "## T {id=\"general/t\"}\n\n<script>alert(1)</script> <b onclick=\"x\">b</b>",
			nil, []string{"<script", "onclick", "<b"}},
		{"javascript link", "## T {id=\"general/t\"}\n\n[x](javascript:alert(1)) <javascript:alert(1)>",
			nil, []string{`href="javascript`}},
		{"heading attributes", "## T {id=\"general/t\" style=\"color:red\" .x tabindex=\"1\"}",
			[]string{`<h2 id="general/t">T</h2>`}, []string{"style", "class", "tabindex"}},
		{"bad id", "## T {id=\"general/t\"}\n\n### U {id=\"\\\" onmouseover=\\\"x\"}",
			nil, []string{"onmouseover"}},
		{"URL after Japanese text", "## T {id=\"general/t\"}\n\n一覧（https://www.milestonesys.com/support/software/supported-devices）をご覧ください。",
			[]string{`一覧（<a href="https://www.milestonesys.com/support/software/supported-devices" rel="noopener noreferrer">https://www.milestonesys.com/support/software/supported-devices</a>）をご覧ください。`}, nil},
		{"URL with underscores after Japanese text", "## T {id=\"general/t\"}\n\n契約（参照：https://www.dell.com/learn/us/en/uscorp1/legal_terms-conditions_dellgrmwebpage/art-software-license-agreements）。",
			[]string{`<a href="https://www.dell.com/learn/us/en/uscorp1/legal_terms-conditions_dellgrmwebpage/art-software-license-agreements" rel="noopener noreferrer">`}, nil},
		{"linkify", "## T {id=\"general/t\"}\n\nsee https://www.milestonesys.com/privacy-policy/.",
			[]string{`<a href="https://www.milestonesys.com/privacy-policy/" rel="noopener noreferrer">`}, nil},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := RenderSection(&eula.Section{ID: "general/t", Markdown: test.markdown})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range test.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, b := range test.bad {
				if strings.Contains(string(got), b) {
					t.Errorf("output contains %q:\n%s", b, got)
				}
			}
		})
	}
}

// TestDocument checks that a rendered document has every section, its id
// on its heading and its hash on its wrapper.
func TestDocument(t *testing.T) {
	lib := load(t)
	d, err := lib.Document(eula.DocEULA, lib.Latest(eula.DocEULA), language.Japanese)
	if err != nil {
		t.Fatal(err)
	}
	h, err := RenderDocument(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Sections {
		for _, w := range []string{`id="` + s.ID + `"`, `data-section="` + s.ID + `" data-hash="` + s.Hash + `"`} {
			if !strings.Contains(string(h), w) {
				t.Errorf("rendered document lacks %s", w)
			}
		}
	}
}

// FuzzRenderSection checks that whatever the Markdown, the renderer does
// not panic and its output keeps the contract of the package documentation
// (checkContract), with links and without.
func FuzzRenderSection(f *testing.F) {
	f.Add("## T {id=\"general/t\"}\n\n<script>x</script>")
	f.Add("## T {id=\"general/t\" onclick=\"x\"}\n\n[a](javascript:x) 一覧（https://a.b/c_d）")
	f.Add("# P {id=\"preamble\"}\n\n1. a\n\n2. b _c_ https://x.y/_z_")
	f.Add("~~~00\nx\n~~~\n\n[a](ftp://x \"t\") <foo:bar> ![i](data:image/png;base64,AA) <a@b.c>")
	withLinks, withoutLinks := New(), New(WithoutLinks())
	f.Fuzz(func(t *testing.T, md string) {
		for _, test := range []struct {
			r     *Renderer
			links bool
		}{{withLinks, true}, {withoutLinks, false}} {
			h, err := test.r.Section(&eula.Section{ID: "general/t", Markdown: md})
			if err != nil {
				continue
			}
			if err := checkContract(string(h), test.links); err != nil {
				t.Fatalf("links %v: %v\n%s", test.links, err, h)
			}
		}
	})
}
