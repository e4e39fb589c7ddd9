package render

import (
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/eulagate/eulagate/eula"
)

// The output contract of Renderer.Section, as the package documentation
// states it, written here apart from the renderer's code so that each
// checks the other.
var (
	// contract lists the elements allowed and, for each, its attributes
	// with a check of their (unescaped) values.
	contract = map[string]map[string]func(string) bool{
		"p": {}, "blockquote": {}, "ul": {}, "li": {}, "pre": {}, "code": {},
		"em": {}, "strong": {}, "hr": {}, "br": {},
		"h1": heading, "h2": heading, "h3": heading, "h4": heading, "h5": heading, "h6": heading,
		"ol": {"start": regexp.MustCompile(`^[0-9]+$`).MatchString},
		"a": {
			"href":  urlWithScheme("http", "https", "mailto"),
			"rel":   func(v string) bool { return v == "noopener noreferrer" },
			"title": anyText,
		},
		"img": {"src": urlWithScheme("http", "https"), "alt": anyText, "title": anyText},
	}
	heading = map[string]func(string) bool{"id": eula.ValidSectionID}

	// contractTagRE matches a start tag (attributes double-quoted, each
	// preceded by one space) or an end tag.
	contractTagRE  = regexp.MustCompile(`^<(/?)([a-z][a-z0-9]*)((?: [a-z]+="[^"<>]*")*)>`)
	contractAttrRE = regexp.MustCompile(` ([a-z]+)="([^"<>]*)"`)
	// charRefRE matches a character reference, the only use of "&".
	charRefRE = regexp.MustCompile(`^&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);`)
	// urlSchemeRE matches a URL's scheme as the WHATWG URL parser reads it.
	urlSchemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.\-]*):`)
)

// rawOmitted is the one comment the output may hold.
const rawOmitted = "<!-- raw HTML omitted -->"

func anyText(string) bool { return true }

// urlWithScheme returns a check that a URL, as a browser reads it, has one
// of schemes or none.
func urlWithScheme(schemes ...string) func(string) bool {
	return func(u string) bool {
		u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
		u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
		m := urlSchemeRE.FindStringSubmatch(u)
		if m == nil {
			return true
		}
		for _, s := range schemes {
			if strings.EqualFold(m[1], s) {
				return true
			}
		}
		return false
	}
}

// checkContract reports the first place where out breaks the output
// contract; links says whether a elements are allowed.
func checkContract(out string, links bool) error {
	for i := 0; i < len(out); {
		rest := out[i:]
		switch rest[0] {
		case '<':
			if strings.HasPrefix(rest, rawOmitted) {
				i += len(rawOmitted)
				continue
			}
			m := contractTagRE.FindStringSubmatch(rest)
			if m == nil {
				return fmt.Errorf("at byte %d: %q is not a tag of the contract", i, prefix(rest))
			}
			if err := checkTag(m[2], m[1] == "/", m[3], links); err != nil {
				return fmt.Errorf("at byte %d: %s: %w", i, m[0], err)
			}
			i += len(m[0])
		case '&':
			ref := charRefRE.FindString(rest)
			if ref == "" {
				return fmt.Errorf("at byte %d: unescaped & in %q", i, prefix(rest))
			}
			i += len(ref)
		case '>', '"':
			return fmt.Errorf("at byte %d: unescaped %c in text %q", i, rest[0], prefix(rest))
		default:
			i++
		}
	}
	return nil
}

// checkTag checks one tag: its element, and its attributes and their
// values (raw as written in the tag).
func checkTag(name string, end bool, attrs string, links bool) error {
	allowed, ok := contract[name]
	if !ok || (name == "a" && !links) {
		return fmt.Errorf("element %s not allowed", name)
	}
	if end {
		if attrs != "" {
			return errors.New("attributes on an end tag")
		}
		return nil
	}
	seen := map[string]bool{}
	for _, a := range contractAttrRE.FindAllStringSubmatch(attrs, -1) {
		key, raw := a[1], a[2]
		check, ok := allowed[key]
		if !ok {
			return fmt.Errorf("attribute %s not allowed on %s", key, name)
		}
		if seen[key] {
			return fmt.Errorf("attribute %s twice", key)
		}
		seen[key] = true
		for j := range len(raw) {
			if raw[j] == '&' && charRefRE.FindString(raw[j:]) == "" {
				return fmt.Errorf("unescaped & in attribute %s", key)
			}
		}
		if !check(html.UnescapeString(raw)) {
			return fmt.Errorf("attribute %s=%q not allowed on %s", key, raw, name)
		}
	}
	return nil
}

func prefix(s string) string { return s[:min(len(s), 40)] }

// TestCheckContract checks the checker: each output breaks the contract in
// one way, and must be caught.
func TestCheckContract(t *testing.T) {
	good := `<h2 id="general/t">T &amp; U</h2>` + "\n" + `<p><a href="https://x.example/?a=1&amp;b=2" rel="noopener noreferrer" title="t">x</a> <img src="/i.png" alt="i"> ` + rawOmitted + `</p><ol start="3"><li>x</li></ol>`
	if err := checkContract(good, true); err != nil {
		t.Fatalf("a conforming output refused: %v", err)
	}
	for _, test := range []struct {
		name, out string
		links     bool
	}{
		{"script", `<script>x</script>`, true},
		{"class on code", `<pre><code class="language-00">x</code></pre>`, true},
		{"event handler", `<p onclick="x">x</p>`, true},
		{"javascript link", `<a href="javascript:x" rel="noopener noreferrer">x</a>`, true},
		{"javascript link behind a space and a tab", `<a href=" java&#9;script:x">x</a>`, true},
		{"ftp link", `<a href="ftp://x">x</a>`, true},
		{"data image", `<img src="data:image/png;base64,AA" alt="">`, true},
		{"bad rel", `<a href="/" rel="opener">x</a>`, true},
		{"bad id", `<h2 id="x y">T</h2>`, true},
		{"bad start", `<ol start="-1"><li>x</li></ol>`, true},
		{"link without links", `<a href="/" rel="noopener noreferrer">x</a>`, false},
		{"upper-case tag", `<P>x</P>`, true},
		{"single quotes", `<a href='/'>x</a>`, true},
		{"another comment", `<!-- x -->`, true},
		{"unescaped ampersand", `<p>a & b</p>`, true},
		{"unescaped quote in text", `<p>"</p>`, true},
		{"unescaped greater-than", `<p>a > b</p>`, true},
		{"attribute twice", `<h2 id="general/t" id="general/u">T</h2>`, true},
		{"attributes on an end tag", `<p>x</p id="general/t">`, true},
		{"a self-closing tag", `<br/>`, true},
	} {
		t.Run(test.name, func(t *testing.T) {
			if err := checkContract(test.out, test.links); err == nil {
				t.Errorf("checkContract(%q) = nil, want an error", test.out)
			}
		})
	}
}

// TestContract renders every section of every bundled document, with
// links and without, and checks the output against the contract.
func TestContract(t *testing.T) {
	lib := load(t)
	withLinks, withoutLinks := New(), New(WithoutLinks())
	n := 0
	for _, id := range lib.DocIDs() {
		for _, v := range lib.Versions(id) {
			for _, tag := range lib.Languages(id, v) {
				d, err := lib.Document(id, v, tag)
				if err != nil {
					t.Fatal(err)
				}
				for i := range d.Sections {
					s := &d.Sections[i]
					for _, links := range []bool{true, false} {
						r := withLinks
						if !links {
							r = withoutLinks
						}
						h, err := r.Section(s)
						if err != nil {
							t.Fatal(err)
						}
						if err := checkContract(string(h), links); err != nil {
							t.Errorf("%s %s %s %s, links %v: %v", id, v, tag, s.ID, links, err)
						}
						n++
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no section rendered")
	}
}
