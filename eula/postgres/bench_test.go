package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/eulagate/eulagate/eula/storetest"
)

// BenchmarkAppend measures durable appends from one client and from
// 64 concurrent clients.
func BenchmarkAppend(b *testing.B) {
	for _, par := range []int{0, 32} {
		b.Run(fmt.Sprintf("parallelism=%d", par), func(b *testing.B) {
			signer, _ := storetest.Key(b)
			s := open(b, testDSN(b), signer)
			if par == 0 {
				for i := 0; b.Loop(); i++ {
					if _, _, err := s.Append(context.Background(), storetest.NewRecord(i), fmt.Sprint(i)); err != nil {
						b.Fatal(err)
					}
				}
				return
			}
			b.SetParallelism(par)
			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					if _, _, err := s.Append(context.Background(), storetest.NewRecord(i), fmt.Sprintf("%p-%d", pb, i)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
