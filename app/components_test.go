package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// render mounts c with go-app's server tester and returns its HTML.
func render(t *testing.T, c app.Composer) string {
	t.Helper()
	d := app.NewServerTester(c)
	defer d.Close()
	return app.HTMLString(c)
}

var testLabels = Labels{
	"accept": "I accept", "decline": "I decline", "lang.label": "Language",
	"mustread.reason": "Read to the end first.", "original.show": "Show the English original",
	"original.hide": "Hide the English original", "original.heading": "English original",
	"lang.unavailable": "Not available in {1}; shown in {2}.", "product.yours": "Your product",
}

func TestLanguagePicker(t *testing.T) {
	p := &LanguagePicker{
		Languages: []LanguageOption{{Tag: "en", Name: "English"}, {Tag: "hu", Name: "Magyar"}, {Tag: "ja", Name: "日本語"}, {Tag: "ru", Name: "Русский"}},
		Lang:      "ru",
		Query:     Query{Product: "husky-m20", MustRead: true},
		Labels:    testLabels,
	}
	html := render(t, p)
	for _, want := range [][]string{
		{"<option", `value="ru"`, `lang="ru"`, "selected", ">Русский<"},
		{"<option", `value="hu"`, `lang="hu"`, ">Magyar<"},
		{"<option", `value="ja"`, `lang="ja"`, ">日本語<"},
		{"<option", `value="en"`, `lang="en"`, ">English<"},
		{"<input", `name="product"`, `value="husky-m20"`},
		{"<input", `name="mustread"`, `value="1"`},
		{"<label", `for="eula-lang-select"`, ">Language<"},
	} {
		if !hasElement(html, want...) {
			t.Errorf("picker lacks %q:\n%s", want, html)
		}
	}
	if strings.Count(html, "selected") != 1 {
		t.Errorf("not exactly one option selected:\n%s", html)
	}
}

// hasElement reports whether one line of html (go-app writes an element
// per line, attributes in any order) holds every part.
func hasElement(html string, parts ...string) bool {
	for _, line := range strings.Split(html, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestLanguageChoiceNotice(t *testing.T) {
	for _, test := range []struct {
		name   string
		view   View
		want   []string
		absent []string
	}{
		{"available", View{Lang: "ru", Labels: testLabels}, nil, []string{"eula-lang-notice"}},
		{"unavailable", View{Lang: "en", Notice: "Not available in Brazilian Portuguese; shown in English.", Labels: testLabels},
			[]string{`id="eula-lang-notice"`, "Brazilian Portuguese"}, []string{"eula-prevails"}},
		{"translation", View{Lang: "ru", Original: []Section{{ID: "preamble"}}, Labels: Labels{"prevails.notice": "The English original prevails."}},
			[]string{"eula-prevails", "The English original prevails."}, nil},
	} {
		t.Run(test.name, func(t *testing.T) {
			html := render(t, &Notices{View: test.view})
			for _, w := range test.want {
				if !strings.Contains(html, w) {
					t.Errorf("lacks %q:\n%s", w, html)
				}
			}
			for _, w := range test.absent {
				if strings.Contains(html, w) {
					t.Errorf("has %q:\n%s", w, html)
				}
			}
		})
	}
}

func TestDecisionBarMustRead(t *testing.T) {
	v := View{Version: "20250212", ProductKey: "husky-m20", Labels: testLabels}
	for _, test := range []struct {
		name     string
		mustRead bool
		disabled int
		reason   bool
	}{
		{"must read, not at the end", true, 1, true},
		{"read to the end", false, 0, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			html := render(t, &DecisionBar{View: v, MustRead: test.mustRead})
			if n := strings.Count(html, " disabled"); n != test.disabled {
				t.Errorf("%d disabled buttons, want %d:\n%s", n, test.disabled, html)
			}
			if got := strings.Contains(html, "Read to the end first."); got != test.reason {
				t.Errorf("reason shown %v, want %v", got, test.reason)
			}
			if strings.Contains(html, "checked") || strings.Contains(html, "selected") {
				t.Error("something is pre-selected")
			}
			if test.mustRead && !hasElement(html, "<button", `id="eula-accept"`, "disabled", `aria-describedby="eula-mustread"`) {
				t.Errorf("accept is not disabled with its reason:\n%s", html)
			}
		})
	}
}

func TestDocumentSideBySide(t *testing.T) {
	v := View{
		Lang:     "ru",
		Labels:   testLabels,
		Sections: []Section{{ID: "preamble", HTML: "<p>Перевод</p>"}, {ID: "general/a", HTML: "<p>Раздел</p>"}},
		Original: []Section{{ID: "preamble", HTML: "<p>Original</p>"}, {ID: "general/a", HTML: "<p>Section</p>"}},
	}
	for _, test := range []struct {
		name    string
		showAll bool
		shown   map[string]bool
		open    int
	}{
		{"closed", false, nil, 0},
		{"one section", false, map[string]bool{"general/a": true}, 1},
		{"whole document", true, nil, 2},
	} {
		t.Run(test.name, func(t *testing.T) {
			html := render(t, &Document{View: v, ShowAll: test.showAll, Shown: test.shown})
			if n := strings.Count(html, "eula-pair eula-pair-open"); n != test.open {
				t.Errorf("%d sections side by side, want %d", n, test.open)
			}
			if n := strings.Count(html, " hidden"); n != 2-test.open {
				t.Errorf("%d originals hidden, want %d:\n%s", n, 2-test.open, html)
			}
			if n := strings.Count(html, `lang="en"`); n != 2 {
				t.Errorf("%d originals marked lang=en, want 2", n)
			}
			// (go-app's server HTML writes "true" as a bare attribute; the
			// prerendered page always starts closed.)
			if n := strings.Count(html, `aria-expanded="false"`); n != 2-test.open {
				t.Errorf("%d toggles closed, want %d:\n%s", n, 2-test.open, html)
			}
		})
	}
}

func TestPageToggle(t *testing.T) {
	p := &Page{view: View{Original: []Section{{ID: "a"}, {ID: "b"}}}}
	p.toggle("a")
	if !p.shown["a"] || p.shown["b"] || !p.anyOriginalShown() {
		t.Fatalf("after toggling a: %v", p.shown)
	}
	p.setShowAll(true)
	p.toggle("b") // close one section of the whole-document view
	if p.showAll || !p.shown["a"] || p.shown["b"] {
		t.Fatalf("after closing b of all: showAll %v shown %v", p.showAll, p.shown)
	}
}

func TestTocGroups(t *testing.T) {
	general, products := tocGroups([]Section{
		{ID: "preamble", Level: 1}, {ID: "general/a", Level: 2},
		{ID: "groups/vms", Level: 2}, {ID: "products/x", Level: 3}, {ID: "products/y", Level: 3},
		{ID: "products/dashboard", Level: 2},
	})
	if len(general) != 2 || len(products) != 2 || len(products[0].children) != 2 || products[1].ID != "products/dashboard" {
		t.Errorf("general %v, products %+v", general, products)
	}
}

func TestLabelsFormat(t *testing.T) {
	if got := testLabels.Format("lang.unavailable", "Deutsch", "English"); got != "Not available in Deutsch; shown in English." {
		t.Errorf("Format = %q", got)
	}
	// What a reader typed is shown as typed, even when it looks like a
	// placeholder.
	if got := testLabels.Format("lang.unavailable", "{2}", "English"); got != "Not available in {2}; shown in English." {
		t.Errorf("Format with {2} in an argument = %q", got)
	}
	if got := (Labels(nil)).Get("missing"); got != "missing" {
		t.Errorf("Get missing = %q", got)
	}
}

func TestSamePreferences(t *testing.T) {
	for _, test := range []struct {
		header string
		nav    []string
		want   bool
	}{
		{"ru-RU,ru;q=0.9,en;q=0.8", []string{"ru-RU", "ru", "en"}, true},
		{"hu", []string{"ru-RU", "ru"}, false},
		{"", []string{"en-US"}, false},
		{"en-US, *;q=0.1", []string{"en-us"}, true},
	} {
		if got := SamePreferences(test.header, test.nav); got != test.want {
			t.Errorf("SamePreferences(%q, %q) = %v", test.header, test.nav, got)
		}
	}
}

// TestPageRightToLeft renders a page in a right-to-left language: the
// direction comes from the View (from the language), so Arabic or Hebrew
// only need their files.
func TestPageRightToLeft(t *testing.T) {
	SetPreloaded(func() (View, bool) {
		return View{Lang: "ar", Dir: "rtl", Title: "اتفاقية", Version: "1", Labels: testLabels,
			Sections: []Section{{ID: "preamble", Title: "اتفاقية", Level: 1, HTML: "<p>نص</p>"}}}, true
	})
	defer SetPreloaded(nil)
	html := render(t, &Page{})
	if !hasElement(html, `id="eula-page"`, `dir="rtl"`, `lang="ar"`) {
		t.Errorf("page not right to left:\n%.600s", html)
	}
}

// TestComponentFieldsComparable checks that no component has an exported
// field holding a func (or a chan), at any depth. go-app renders a child
// component again only when one of its exported fields is no longer
// reflect.DeepEqual to the one it has, and two non-nil funcs never are:
// such a field would have the child, the whole document for the Document,
// built again on every render of its parent (each find, each toggle, the
// page's first frame).
func TestComponentFieldsComparable(t *testing.T) {
	for _, c := range []app.Composer{
		&ChangesPanel{}, &Contents{}, &DecisionBar{}, &Document{}, &FindBox{},
		&Header{}, &LanguagePicker{}, &Notices{}, &OutcomePanel{}, &Page{},
		&ProductPicker{},
	} {
		typ := reflect.TypeOf(c).Elem()
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() || f.Anonymous {
				continue
			}
			if path, ok := holdsFunc(f.Type, map[reflect.Type]bool{}); ok {
				t.Errorf("%s.%s holds a %s (%s): go-app would render %s again on every render of its parent",
					typ.Name(), f.Name, path, f.Type, typ.Name())
			}
		}
	}
}

// holdsFunc reports whether a value of type t can hold a func or a chan,
// and where.
func holdsFunc(t reflect.Type, seen map[reflect.Type]bool) (string, bool) {
	if seen[t] {
		return "", false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Func, reflect.Chan:
		return t.Kind().String(), true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsFunc(t.Elem(), seen)
	case reflect.Map:
		if p, ok := holdsFunc(t.Key(), seen); ok {
			return p, true
		}
		return holdsFunc(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if p, ok := holdsFunc(t.Field(i).Type, seen); ok {
				return t.Field(i).Name + "." + p, true
			}
		}
	}
	return "", false
}

// The console's language picker is the viewer's: it shows the same page
// in the language chosen, with the page's parameters (a search's filters),
// and the overview after a POST's answer.
func TestConsoleLangPicker(t *testing.T) {
	langs := []LanguageOption{{Tag: "en", Name: "English"}, {Tag: "hu", Name: "Magyar"}}
	for _, test := range []struct {
		name      string
		view      ConsoleView
		want      [][]string
		notWanted [][]string
	}{
		{"search", ConsoleView{Lang: "hu", Languages: langs, Labels: testLabels, Path: PathConsoleSearch,
			Query: map[string][]string{"q": {"nvr-9"}, "lang": {"hu"}}},
			[][]string{{"<form", `action="` + PathConsoleSearch + `"`, `method="get"`}, {"<input", `name="q"`, `value="nvr-9"`},
				{"<option", `value="hu"`, "selected"}, {"<label", `for="eula-lang-select"`, ">Language<"}},
			[][]string{{"<input", `name="lang"`}}},
		{"a POST's answer", ConsoleView{Lang: "en", Languages: langs, Labels: testLabels, Path: PathConsoleSignOut},
			[][]string{{"<form", `action="` + PathConsole + `"`}},
			[][]string{{`type="hidden"`}}},
	} {
		t.Run(test.name, func(t *testing.T) {
			html := render(t, consoleLangPicker(test.view).(app.Composer))
			for _, want := range test.want {
				if !hasElement(html, want...) {
					t.Errorf("picker lacks %q:\n%s", want, html)
				}
			}
			for _, no := range test.notWanted {
				if hasElement(html, no...) {
					t.Errorf("picker has %q:\n%s", no, html)
				}
			}
		})
	}
	if consoleLangPicker(ConsoleView{Languages: langs[:1]}) != nil {
		t.Error("a picker for one language")
	}
}

func TestSectionBody(t *testing.T) {
	for _, test := range []struct {
		name string
		sec  Section
		want string
	}{
		{"its HTML", Section{ID: "a", HTML: "<p>Text</p>"}, `<div class="eula-section-body"><p>Text</p></div>`},
		{"taken over from the page", Section{ID: "a", Adopt: true}, `<div class="eula-section-body" data-adopt></div>`},
		{"held by the browser", Section{ID: "a", Held: `s/ru/a/"h"`}, `<div class="eula-section-body" ` + HeldAttr + `="s/ru/a/&#34;h&#34;"></div>`},
	} {
		t.Run(test.name, func(t *testing.T) {
			if got := sectionBody(test.sec, "eula-section-body"); got != test.want {
				t.Errorf("got %s, want %s", got, test.want)
			}
		})
	}
}
