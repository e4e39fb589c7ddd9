package app

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// attr makes s safe as an attribute value of an element that go-app
// renders. On the server, go-app v9.8.0 writes attribute values with
// strconv.Quote, which is Go syntax, not HTML: a `"` would end the attribute
// (letting hostile text such as an installer id add attributes of its own),
// a `\` would be doubled and a non-printable rune escaped as \u.... There,
// attr turns those characters, and & < >, into HTML character references,
// which strconv.Quote leaves alone and the browser decodes back. In the
// browser go-app sets attributes through the DOM, which needs nothing, so
// attr returns s unchanged. web/internal/goappfix lists attr, disable,
// selected and hide among the go-app workarounds.
func attr(s string) string {
	if app.IsClient {
		return s
	}
	return attrServer(s)
}

func attrServer(s string) string {
	if !strings.ContainsFunc(s, needsRef) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if needsRef(r) {
			b.WriteString("&#")
			b.WriteString(strconv.Itoa(int(r)))
			b.WriteByte(';')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func needsRef(r rune) bool {
	switch r {
	case '"', '\\', '&', '<', '>', '\'':
		return true
	}
	return !strconv.IsPrint(r)
}

// disable disables a button only when off is true. go-app v9.8.0's server
// HTML writes Disabled(false) as disabled="false", which a browser reads
// as disabled: boolean attributes must be left out, not set to false.
func disable(b app.HTMLButton, off bool) app.HTMLButton {
	if off {
		return b.Disabled(true)
	}
	return b
}

// selected marks an option selected only when on is true (see disable).
func selected(o app.HTMLOption, on bool) app.HTMLOption {
	if on {
		return o.Selected(true)
	}
	return o
}

// hide hides a div only when on is true (see disable).
func hide(d app.HTMLDiv, on bool) app.HTMLDiv {
	if on {
		return d.Hidden(true)
	}
	return d
}

// trueAttr is the attribute value "true" (aria-invalid, aria-pressed...):
// go-app v9.8.0's server HTML writes the value "true" as a bare attribute,
// whose value is "", so the server writes it as a character reference,
// which the browser decodes back.
func trueAttr() string {
	if app.IsClient {
		return "true"
	}
	return "&#116;rue"
}
