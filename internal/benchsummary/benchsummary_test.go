package benchsummary

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAddPrint(t *testing.T) {
	file := filepath.Join(t.TempDir(), "summary")
	t.Setenv(Env, file)
	for _, r := range []Row{
		{Key: "postgres", Value: "1 /s", Baseline: "2 /s", Ratio: "0.50×"},
		{Key: "postgres", Value: "3 /s", Baseline: "2 /s", Ratio: "1.50×", Met: true},
		{Key: "extra", Value: "x", Baseline: "y", Ratio: "z"},
		{Key: "worker-floor", Value: "1 ms", Baseline: "2 ms", Ratio: "0.50×"},
	} {
		if err := Add(r); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	Print(&out, rows)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if want := 2 + len(Figures) + 1; len(lines) != want {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), want, out.String())
	}
	tests := []struct{ key, want string }{
		{"postgres", "| 3 /s | the bare durable insert loop: 2 /s | 1.50× | ≥ 1.0×: met |"},
		{"rss", "| not measured |"},
		{"extra", "| extra | x | y | z | – |"},
		{"worker-floor", "| 1 ms | the static page: 2 ms | 0.50× | – |"},
	}
	for _, tt := range tests {
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s: no %q in\n%s", tt.key, tt.want, out.String())
		}
	}
}

func TestAddWithoutEnv(t *testing.T) {
	t.Setenv(Env, "")
	if err := Add(Row{Key: "postgres"}); err != nil {
		t.Fatal(err)
	}
}
