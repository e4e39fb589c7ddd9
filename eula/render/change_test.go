package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

// TestRenderChange renders what changed from the first to the last version
// of the test document set (eula/testdata/versions) and compares it with
// testdata/changes-*.html; run with -update to rewrite those.
func TestRenderChange(t *testing.T) {
	lib, err := eula.Load(os.DirFS("../testdata/versions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []language.Tag{language.Russian, language.Hungarian, language.Japanese} {
		t.Run(lang.String(), func(t *testing.T) {
			c, err := lib.Compare(eula.DocEULA, "20250212", "20260301", lang)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, s := range c.Sections {
				b.WriteString(string(RenderChange(s)))
			}
			got := b.String()
			path := filepath.Join("testdata", "changes-"+lang.String()+".html")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("RenderChange mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderChangeEscapes(t *testing.T) {
	c := eula.SectionChange{ID: "general/x", Kind: eula.SectionChanged,
		New:   &eula.Section{ID: "general/x", Title: "T", Level: 2},
		Edits: eula.DiffText("T\n\n<b>a</b> & b\n", "T\n\n<script>c</script> & b\n")}
	got := string(RenderChange(c))
	for _, bad := range []string{"<b>", "<script"} {
		if strings.Contains(got, bad) {
			t.Errorf("RenderChange output contains %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{"&lt;", "<del>b</del><ins>script</ins>", "<p class=\"changed\">"} {
		if !strings.Contains(got, want) {
			t.Errorf("RenderChange output lacks %q:\n%s", want, got)
		}
	}
}
