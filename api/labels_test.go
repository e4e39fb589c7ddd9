package api_test

import (
	"fmt"
	"testing"

	"github.com/eulagate/eulagate/api"
)

func TestLabelsFormat(t *testing.T) {
	for _, test := range []struct {
		name, msg string
		args      []string
		want      string
	}{
		{"none", "Read to the end.", nil, "Read to the end."},
		{"two", "Not available in {1}; shown in {2}.", []string{"Deutsch", "English"}, "Not available in Deutsch; shown in English."},
		{"reordered", "{2} is shown instead of {1}.", []string{"Deutsch", "English"}, "English is shown instead of Deutsch."},
		{"repeated", "{1} and {1}", []string{"a"}, "a and a"},
		{"argument holds {2}", "Not available in {1}; shown in {2}.", []string{"{2}", "English"}, "Not available in {2}; shown in English."},
		{"argument holds {1}", "{1}, {2}", []string{"x", "{1}"}, "x, {1}"},
		{"argument holds both", "[{1}] [{2}]", []string{"{2}{1}", "{1}{2}"}, "[{2}{1}] [{1}{2}]"},
		{"missing argument", "{1} of {2}", []string{"3"}, "3 of {2}"},
		{"no argument", "{1} of {2}", nil, "{1} of {2}"},
		{"other braces", "{x} {} {0} {-1} {1", []string{"a"}, "{x} {} {0} {-1} {1"},
		{"close before open", "} {1} {", []string{"a"}, "} a {"},
		{"non-ASCII", "「{1}」は{2}件", []string{"検索", "3"}, "「検索」は3件"},
	} {
		t.Run(test.name, func(t *testing.T) {
			l := api.Labels{"k": test.msg}
			if got := l.Format("k", test.args...); got != test.want {
				t.Errorf("Format(%q, %q) = %q, want %q", test.msg, test.args, got, test.want)
			}
		})
	}
	if got := (api.Labels{}).Format("missing.key", "x"); got != "missing.key" {
		t.Errorf("a missing label formats as %q, want its key", got)
	}
}

func ExampleLabels_Format() {
	l := api.Labels{"lang.unavailable": "Not available in {1}; shown in {2}."}
	// A reader asked for the language "{2}": it is shown as asked.
	fmt.Println(l.Format("lang.unavailable", "{2}", "English"))
	// Output:
	// Not available in {2}; shown in English.
}
