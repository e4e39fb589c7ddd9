package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// seedsForTest returns the seed directory, or skips the test loudly if it is
// absent (and fails instead when CI=true).
func seedsForTest(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(defaultSeeds, "README.md")); err != nil {
		msg := fmt.Sprintf("SEED FILES MISSING: %s not found (%v); eulagate import is NOT being tested", defaultSeeds, err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return defaultSeeds
}

func TestImportCommand(t *testing.T) {
	seeds := seedsForTest(t)
	tmp := t.TempDir()
	for _, test := range []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"committed locales up to date", []string{"import", "--check", "--seeds", seeds, "--locales", defaultLocales}, 0, "is up to date", ""},
		{"empty directory out of date", []string{"import", "--check", "--seeds", seeds, "--locales", t.TempDir()}, 1, "", "eula/20250212/en.md"},
		{"import", []string{"import", "--seeds", seeds, "--locales", tmp}, 0, "imported", ""},
		{"imported up to date", []string{"import", "--check", "--seeds", seeds, "--locales", tmp}, 0, "is up to date", ""},
		{"seeds missing", []string{"import", "--seeds", filepath.Join(tmp, "nope"), "--locales", tmp}, 1, "", "give --seeds DIR"},
		{"unexpected argument", []string{"import", "--check", "extra"}, 2, "", "unexpected arguments"},
		{"unknown flag", []string{"import", "--bogus"}, 2, "", "flag provided but not defined"},
	} {
		t.Run(test.name, func(t *testing.T) {
			expectRun(t, test.args, test.code, test.out, test.err)
		})
	}
	// The imported files are the committed ones.
	for _, name := range []string{"eula/20250212/en.md", "eula/20250212/ja.md"} {
		got, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(defaultLocales, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: imported file differs from the committed one", name)
		}
	}
}
