package render_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/render"
	"github.com/eulagate/eulagate/locales"
	"golang.org/x/text/language"
)

func ExampleRenderSection() {
	lib, err := eula.Load(locales.FS)
	if err != nil {
		log.Fatal(err)
	}
	s, err := lib.Section(eula.DocEULA, "20250212", language.English, "general/unattended-remote-updating")
	if err != nil {
		log.Fatal(err)
	}
	h, err := render.RenderSection(s)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.SplitN(h.String(), "\n", 2)[0])
	// Output:
	// <h2 id="general/unattended-remote-updating">Acceptance of Unattended Remote Updating.</h2>
}
