// Package ui holds the interface strings of the viewer and of the dealer's
// pages: one JSON file per language (en.json, ru.json, ...), each an object
// from message key to the message in that language, formatted with
// golang.org/x/text/message (arguments as %[1]s, %[2]s). A new language is
// a new file.
//
// # Keys
//
// English (en.json) defines the keys; every other file must translate every
// one of them (TestComplete fails otherwise). A label missing at run time
// falls back to English. Keys starting "dealer." are the dealer's pages';
// in them, {text} marks the text of a link. The viewer's View carries the
// others only.
//
// # Arguments
//
// Labels returns every message with its arguments as {1}, {2}, ..., which
// api.Labels.Format fills in; Match chooses a catalog with i18n's matcher.
//
// # Size
//
// The package embeds only these small files, never the documents of package
// locales, and only the server imports it: the wasm receives the labels of
// the shown language inside the View.
package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/eulagate/eulagate/i18n"
)

//go:embed *.json
var files embed.FS

// Source is the language that defines the keys.
var Source = language.English

// Messages returns the messages of every language: language tag to key to
// message, as written in the files.
func Messages() (map[language.Tag]map[string]string, error) {
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, err
	}
	out := make(map[language.Tag]map[string]string, len(names))
	for _, name := range names {
		tag, err := language.Parse(strings.TrimSuffix(name, ".json"))
		if err != nil {
			return nil, fmt.Errorf("ui: %s: %w", name, err)
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("ui: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("ui: %s: %w", name, err)
		}
		out[tag] = m
	}
	if _, ok := out[Source]; !ok {
		return nil, fmt.Errorf("ui: no %s.json", Source)
	}
	return out, nil
}

// Catalog holds every language's messages.
type Catalog struct {
	cat     catalog.Catalog
	keys    []string
	nargs   map[string]int
	tags    []language.Tag
	matcher *i18n.Matcher
}

// argRef finds the arguments a message refers to.
var argRef = regexp.MustCompile(`%\[(\d)\]s`)

// Load builds the Catalog from the embedded files. A message missing in a
// language falls back to English.
func Load() (*Catalog, error) {
	msgs, err := Messages()
	if err != nil {
		return nil, err
	}
	b := catalog.NewBuilder(catalog.Fallback(Source))
	c := &Catalog{nargs: map[string]int{}}
	for key, msg := range msgs[Source] {
		c.keys = append(c.keys, key)
		for _, m := range argRef.FindAllStringSubmatch(msg, -1) {
			c.nargs[key] = max(c.nargs[key], int(m[1][0]-'0'))
		}
	}
	slices.Sort(c.keys)
	for tag, m := range msgs {
		c.tags = append(c.tags, tag)
		for key, msg := range m {
			if err := b.SetString(tag, key, msg); err != nil {
				return nil, fmt.Errorf("ui: %s %s: %w", tag, key, err)
			}
		}
	}
	slices.SortFunc(c.tags, func(a, b language.Tag) int { return strings.Compare(a.String(), b.String()) })
	c.cat = b
	c.matcher = i18n.NewMatcher(c.tags)
	return c, nil
}

// Keys returns the message keys, sorted.
func (c *Catalog) Keys() []string { return slices.Clone(c.keys) }

// Languages returns the languages that have a file, sorted by tag.
func (c *Catalog) Languages() []language.Tag { return slices.Clone(c.tags) }

// Match returns the language of the catalog that serves the tags, the
// reader's preferred first: the best match (i18n.Matcher), or Source when
// none matches.
func (c *Catalog) Match(tags ...language.Tag) language.Tag {
	i, ok := c.matcher.Match(tags...)
	if !ok {
		return Source
	}
	return c.tags[i]
}

// Printer returns a printer for tag over the catalog.
func (c *Catalog) Printer(tag language.Tag) *message.Printer {
	return message.NewPrinter(tag, message.Catalog(c.cat))
}

// Labels returns every message in tag (or the language that Match picks), with the arguments left as {1},
// {2}, ... for the viewer to fill in.
func (c *Catalog) Labels(tag language.Tag) map[string]string {
	p := c.Printer(c.Match(tag))
	out := make(map[string]string, len(c.keys))
	for _, key := range c.keys {
		args := make([]any, c.nargs[key])
		for i := range args {
			args[i] = fmt.Sprintf("{%d}", i+1)
		}
		out[key] = p.Sprintf(key, args...)
	}
	return out
}
