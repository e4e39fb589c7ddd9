package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/language"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/headless"
)

// placeSection returns the id of a section in the middle of the bundled
// EULA, from the library: the limitation of liability where the document
// has one (the section the reader lost in the issue), else the middle one.
func placeSection(t *testing.T) string {
	t.Helper()
	doc, err := bundled.Document(eula.DocEULA, currentEULA, language.English)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Sections {
		if strings.HasSuffix(s.ID, "limitation-of-liability") {
			return s.ID
		}
	}
	return doc.Sections[len(doc.Sections)/2].ID
}

// sectionAtTop is the id of the section at the top of the viewport, below
// the header where the header stays on screen.
const sectionAtTop = `(() => {
  const h = document.querySelector(".eula-header");
  const top = h && getComputedStyle(h).position === "sticky" ? h.getBoundingClientRect().bottom : 0;
  for (const s of document.querySelectorAll(".eula-section")) {
    if (s.getBoundingClientRect().bottom > top + 1) { return s.dataset.section; }
  }
  return "";
})()`

// switchTo picks lang in the language picker and waits until the page
// shows it with its English originals at hand (the first frame of a switch
// changes only the text near the reader).
func switchTo(lang string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Evaluate(fmt.Sprintf(`(() => { const s = document.querySelector("#eula-lang-select"); s.value = %s; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, jsString(lang)), nil),
		waitJS(fmt.Sprintf(`document.querySelector("#eula-page").lang === %s`, jsString(lang))),
		waitJS(`[...document.querySelectorAll(".eula-original")].every(o => o.querySelector(".eula-original-body").textContent.trim() !== "")`),
		chromedp.Sleep(300 * time.Millisecond), // restore runs on the frames after the switch
	}
}

// TestViewerPlaceWithOriginals switches language with a section's English
// original open, then with the whole original shown: the reader stays at
// the section they were reading, at every size the viewer is made for.
func TestViewerPlaceWithOriginals(t *testing.T) {
	ts := newTestServer(t)
	needWasm(t, ts)
	id := placeSection(t)
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1440, 900}, {"phone", 360, 740}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := headless.New(t, headless.Options{Width: size.width, Height: size.height})
			sec := fmt.Sprintf(`document.querySelector(%s)`, jsString(`.eula-section[data-section="`+id+`"]`))
			var beforeOne, afterOne, beforeAll, afterAll string
			var openAfter bool
			err := chromedp.Run(ctx,
				resize(int64(size.width), int64(size.height)),
				chromedp.Navigate(ts.URL+"/?product=husky-m20&lang=ru"),
				waitWasm(),
				chromedp.Evaluate(sec+`.scrollIntoView()`, nil),
				chromedp.Sleep(200*time.Millisecond),
				// The reader opens this section's English original.
				chromedp.Evaluate(sec+`.querySelector(".eula-original-toggle").click()`, nil),
				waitJS(sec+`.querySelector(".eula-original-toggle").getAttribute("aria-expanded") === "true"`),
				waitJS(sec+`.querySelector(".eula-original-body").textContent.trim() !== ""`),
				chromedp.Evaluate(sec+`.scrollIntoView()`, nil),
				chromedp.Sleep(200*time.Millisecond),
				chromedp.Evaluate(sectionAtTop, &beforeOne),
				screenshot(t, "place-"+size.name+"-ru-original"),
				switchTo("hu"),
				chromedp.Evaluate(sectionAtTop, &afterOne),
				evalBool(sec+`.querySelector(".eula-original-toggle").getAttribute("aria-expanded") === "true"`, &openAfter),
				screenshot(t, "place-"+size.name+"-hu-original"),
				// Then the whole original, and back to Russian.
				click("#eula-prevails-show"),
				waitJS(`document.querySelector("#eula-prevails-show").getAttribute("aria-pressed") === "true"`),
				chromedp.Evaluate(sec+`.scrollIntoView()`, nil),
				chromedp.Sleep(200*time.Millisecond),
				chromedp.Evaluate(sectionAtTop, &beforeAll),
				switchTo("ru"),
				chromedp.Evaluate(sectionAtTop, &afterAll),
				screenshot(t, "place-"+size.name+"-ru-all"),
			)
			if err != nil {
				t.Fatal(err)
			}
			if beforeOne != id || afterOne != id {
				t.Errorf("one original open: section at the top %q before the switch, %q after; want %q", beforeOne, afterOne, id)
			}
			if !openAfter {
				t.Errorf("the English original of %s is closed after the switch", id)
			}
			if beforeAll != id || afterAll != id {
				t.Errorf("whole original shown: section at the top %q before the switch, %q after; want %q", beforeAll, afterAll, id)
			}
		})
	}
}
