package render_test

import (
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/render"
)

func TestWithoutLinks(t *testing.T) {
	sec := &eula.Section{ID: "general/x", Markdown: "## X {id=\"general/x\"}\n\nSee [the letter](https://example.com/letter) and https://www.milestonesys.com/eula or <https://example.org/a>."}
	with, err := render.New().Section(sec)
	if err != nil {
		t.Fatal(err)
	}
	without, err := render.New(render.WithoutLinks()).Section(sec)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(with), "<a ") != 3 {
		t.Fatalf("default renderer: %s", with)
	}
	got := string(without)
	if strings.Contains(got, "<a ") || strings.Contains(got, "href") {
		t.Errorf("links remain: %s", got)
	}
	for _, want := range []string{"the letter", "https://www.milestonesys.com/eula", "https://example.org/a", `id="general/x"`} {
		if !strings.Contains(got, want) {
			t.Errorf("text %q lost: %s", want, got)
		}
	}
}
