package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/i18n"
	"golang.org/x/text/language"
)

func init() {
	register(&command{
		name:  "diff",
		args:  "<old version> <new version>",
		short: "show what changed between two versions of a document",
		long: "Diff prints, for publishers and auditors, the comparison a reader who accepted\n" +
			"the old version is shown when asked to accept the new one: every section that\n" +
			"was added, removed or changed (the canonical section hashes decide), with the\n" +
			"words removed marked [-like this-] and those added {+like this+}, and the\n" +
			"number of unchanged sections. Only the lines that changed are printed; \"…\"\n" +
			"stands for lines left out. The text is in --lang where both versions have it,\n" +
			"else in the English original. A version may be given as \"latest\".",
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) error {
			lang := fs.String("lang", "en", "language of the texts compared (a BCP 47 tag)")
			doc := fs.String("doc", eula.DocEULA, "document id")
			localesDir := fs.String("locales", "", "documents directory (<document>/<version>/<lang>.md ...) instead of the embedded ones")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
				// Flags may also follow the versions.
				var pos []string
				for len(args) > 0 {
					pos = append(pos, args[0])
					if err := fs.Parse(args[1:]); err != nil {
						return &exitError{code: 2, err: fmt.Errorf("diff: %w", err)}
					}
					args = fs.Args()
				}
				if len(pos) != 2 {
					return usageErrorf("diff: give two versions: eulagate diff <old> <new>")
				}
				tag, err := language.Parse(*lang)
				if err != nil {
					return usageErrorf("diff: --lang %q is not a language tag", *lang)
				}
				lib, err := loadLibrary("diff: --locales", *localesDir)
				if err != nil {
					return err
				}
				return printDiff(stdout, lib, *doc, pos[0], pos[1], tag)
			}
		},
	})
}

// printDiff prints the comparison of two versions of a document.
func printDiff(w io.Writer, lib *eula.Library, docID, from, to string, lang language.Tag) error {
	versions := lib.Versions(docID)
	if len(versions) == 0 {
		return fmt.Errorf("diff: no document %q (there are: %s)", docID, strings.Join(lib.DocIDs(), ", "))
	}
	for _, v := range []*string{&from, &to} {
		if *v == "latest" {
			*v = lib.Latest(docID)
		}
	}
	// Match the language against every language of the document.
	all := lib.AllLanguages(docID)
	if i, ok := i18n.NewMatcher(all).Match(lang); ok {
		lang = all[i]
	}
	c, err := lib.Compare(docID, from, to, lang)
	if errors.Is(err, eula.ErrNotFound) {
		return fmt.Errorf("diff: %s has no version %q or %q (it has: %s)", docID, from, to, strings.Join(versions, ", "))
	}
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	fmt.Fprintf(w, "%s %s -> %s, in %s", docID, from, to, c.Language)
	if c.Language != lang {
		fmt.Fprintf(w, " (no %s text of both versions)", lang)
	}
	fmt.Fprintln(w)
	for _, info := range lib.History(docID) {
		if info.Version > from && info.Version <= to {
			fmt.Fprintf(w, "  %s: %s", info.Version, info.Change)
			if len(info.Lagging) > 0 {
				fmt.Fprintf(w, "; no translation yet in %s", joinTags(info.Lagging))
			}
			fmt.Fprintln(w)
		}
	}
	if from != to {
		verdict := "no (re-acceptance due)"
		if lib.StillValid(docID)(from, to) {
			verdict = "yes"
		}
		fmt.Fprintf(w, "an acceptance of %s counts for %s: %s\n", from, to, verdict)
	}
	changed := c.Changed()
	fmt.Fprintf(w, "sections changed: %d; unchanged: %d\n", len(changed), c.Unchanged())
	for _, s := range changed {
		fmt.Fprintf(w, "\n== %s (%s): %s\n", s.ID, s.Kind, s.Title())
		if !writeMarked(w, s.Edits) {
			fmt.Fprintf(w, "(the %s text did not change; the original did)\n", c.Language)
		}
	}
	return nil
}

func joinTags(tags []language.Tag) string {
	s := make([]string, len(tags))
	for i, t := range tags {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}

// writeMarked writes the lines of a difference that contain a change,
// deletions marked [-so-] and insertions {+so+}, a marker closed and
// reopened at each line end; "…" stands for the unchanged lines left out.
// It reports whether any line changed.
func writeMarked(w io.Writer, edits []eula.Edit) bool {
	type line struct {
		text    strings.Builder
		changed bool
	}
	lines := []*line{{}}
	for _, e := range edits {
		open, close := "", ""
		switch e.Op {
		case eula.Delete:
			open, close = "[-", "-]"
		case eula.Insert:
			open, close = "{+", "+}"
		}
		for i, part := range strings.Split(e.Text, "\n") {
			if i > 0 {
				lines = append(lines, &line{})
			}
			cur := lines[len(lines)-1]
			if part == "" {
				continue
			}
			cur.text.WriteString(open + part + close)
			cur.changed = cur.changed || e.Op != eula.Equal
		}
	}
	skipped, any := false, false
	for _, l := range lines {
		switch {
		case l.changed:
			if skipped {
				fmt.Fprintln(w, "…")
				skipped = false
			}
			fmt.Fprintln(w, l.text.String())
			any = true
		case strings.TrimSpace(l.text.String()) != "":
			skipped = true
		}
	}
	if skipped && any {
		fmt.Fprintln(w, "…")
	}
	return any
}
