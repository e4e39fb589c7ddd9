package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// versionsDir is the test document set with three versions (see
// eula/versions_test.go).
const versionsDir = "eula/testdata/versions"

func TestDiffGolden(t *testing.T) {
	for _, test := range []struct {
		golden string
		args   []string
	}{
		{"a-b-en", []string{"diff", "--locales", versionsDir, "20250212", "20260101"}},
		{"a-b-ru", []string{"diff", "--locales", versionsDir, "--lang", "ru", "20250212", "20260101"}},
		{"a-c-hu", []string{"diff", "--locales", versionsDir, "20250212", "latest", "--lang", "hu"}},
		{"a-c-ja", []string{"diff", "--locales", versionsDir, "--lang", "ja-JP", "20250212", "20260301"}},
		{"b-c-ja", []string{"diff", "--locales", versionsDir, "--lang", "ja", "20260101", "20260301"}},
		{"same", []string{"diff", "--locales", versionsDir, "20250212", "20250212"}},
	} {
		t.Run(test.golden, func(t *testing.T) {
			code, out, errOut := runCmd(t, test.args...)
			if code != 0 {
				t.Fatalf("exit code %d, stderr %q", code, errOut)
			}
			name := filepath.Join("testdata", "diff", test.golden+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (run go test -run TestDiffGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), out); diff != "" {
				t.Errorf("eulagate %s (-want +got):\n%s", strings.Join(test.args, " "), diff)
			}
		})
	}
}

func TestDiffErrors(t *testing.T) {
	for _, test := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"diff"}, 2, "give two versions"},
		{[]string{"diff", "20250212"}, 2, "give two versions"},
		{[]string{"diff", "a", "b", "c"}, 2, "give two versions"},
		{[]string{"diff", "--lang", "!!", "a", "b"}, 2, "not a language tag"},
		{[]string{"diff", "a", "b", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"diff", "--locales", "nope", "a", "b"}, 2, "not a directory"},
		{[]string{"diff", "--locales", versionsDir, "19990101", "20250212"}, 1, `eula has no version "19990101" or "20250212" (it has: 20250212, 20260101, 20260301)`},
		{[]string{"diff", "--doc", "nope", "latest", "latest"}, 1, `no document "nope"`},
	} {
		t.Run(strings.Join(test.args, " "), func(t *testing.T) {
			code, _, errOut := runCmd(t, test.args...)
			if code != test.code || !strings.Contains(errOut, test.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, test.code, test.err)
			}
		})
	}
}
