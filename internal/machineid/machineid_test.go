package machineid

import (
	"errors"
	"strings"
	"testing"
)

func TestDerive(t *testing.T) {
	a, err := Derive("0123456789abcdef0123456789abcdef\n")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Derive("0123456789ABCDEF0123456789ABCDEF")
	if a != b || !strings.HasPrefix(a, Prefix) || len(a) != len(Prefix)+24 {
		t.Errorf("Derive: %q and %q", a, b)
	}
	if strings.Contains(a, "0123456789abcdef") {
		t.Error("the raw machine id is disclosed")
	}
	if _, err := Derive("  \n"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("empty id: %v", err)
	}
}

func TestIDStable(t *testing.T) {
	a, err := ID()
	if errors.Is(err, ErrUnavailable) {
		t.Skip("this machine has no machine id")
	}
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ID()
	if a != b {
		t.Errorf("ID changed: %s then %s", a, b)
	}
}
