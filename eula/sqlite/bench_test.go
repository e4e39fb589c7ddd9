package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
)

// BenchmarkAppend measures durable appends from 64 concurrent clients.
func BenchmarkAppend(b *testing.B) {
	signer, _ := storetest.Key(b)
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), sqlite.FileName), sqlite.Options{Signer: signer})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetParallelism(32) // 32 x GOMAXPROCS clients
	var n int64
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			k := fmt.Sprintf("%p-%d", pb, i)
			if _, _, err := s.Append(context.Background(), storetest.NewRecord(i), k); err != nil {
				b.Error(err)
				return
			}
		}
	})
	_ = n
}
