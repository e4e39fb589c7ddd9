package postgres_test

import (
	"testing"

	"github.com/eulagate/eulagate/eula/storetest"
)

// BenchmarkConsole measures the console's overview and searches on many
// records beside a bare SELECT count(*) (see storetest.BenchConsole).
func BenchmarkConsole(b *testing.B) {
	signer, _ := storetest.Key(b)
	s := open(b, testDSN(b), signer)
	storetest.BenchConsole(b, s, s.DB(), storetest.BenchPostgres)
}
