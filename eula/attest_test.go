package eula_test

import (
	"errors"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/tlog"
)

func TestStatementRoundTrip(t *testing.T) {
	for _, st := range []eula.Statement{
		{Nonce: "n0123456789abcdef", Installation: "box-1", Product: "husky-m20", Index: -1},
		{Nonce: "n0123456789abcdef", Installation: "box-1", Product: "husky-m20", Record: idUser, Index: 4,
			Session: idUser, Tree: tlog.Tree{N: 5, Hash: tlog.Hash{1, 2, 3}}},
	} {
		got, err := eula.ParseStatement(st.Text())
		if err != nil {
			t.Fatalf("%q: %v", st.Text(), err)
		}
		if diff := cmp.Diff(st, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

func TestParseStatementRefuses(t *testing.T) {
	good := eula.Statement{Nonce: "n0123456789abcdef", Installation: "box-1", Product: "p", Record: idUser, Index: 4, Tree: tlog.Tree{N: 5}}.Text()
	for _, text := range []string{
		"",
		good[:len(good)-1],
		good + "extra\n",
		"eulagate status v2" + good[len(eula.StatementOrigin):],
		eula.Statement{Nonce: "n", Installation: "b", Product: "p", Record: idUser, Index: 5, Tree: tlog.Tree{N: 5}}.Text(),
		eula.Statement{Nonce: "n", Installation: "b", Product: "p", Record: "not-a-uuid", Index: 1, Tree: tlog.Tree{N: 5}}.Text(),
	} {
		if _, err := eula.ParseStatement(text); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("ParseStatement(%q) = %v, want ErrInvalid", text, err)
		}
	}
}

func FuzzParseStatement(f *testing.F) {
	f.Add(eula.Statement{Nonce: "n0123456789abcdef", Installation: "box-1", Product: "p", Record: idUser, Index: 4, Tree: tlog.Tree{N: 5}}.Text())
	f.Add(eula.Statement{Nonce: "n0123456789abcdef", Installation: "box-1", Product: "p", Index: -1}.Text())
	f.Fuzz(func(t *testing.T, text string) {
		st, err := eula.ParseStatement(text)
		if err != nil {
			return
		}
		// What parses says the same when written again.
		if again, err := eula.ParseStatement(st.Text()); err != nil || again != st {
			t.Errorf("%q: parsed %+v, written again %q: %+v %v", text, st, st.Text(), again, err)
		}
	})
}
