package translog_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/sqlite"
	"github.com/eulagate/eulagate/eula/storetest"
	"github.com/eulagate/eulagate/eula/translog"
)

// busyStore appends records and erases a person's data, as a live server
// does, while an audit reads the records.
type busyStore struct {
	eula.Store
	t *testing.T
}

func (b busyStore) Records(ctx context.Context, f eula.Filter, fn func(eula.Record) error) error {
	for i := range 3 {
		if _, _, err := b.Store.Append(ctx, storetest.NewRecord(100+i), ""); err != nil {
			b.t.Fatal(err)
		}
	}
	if _, err := b.Store.Erase(ctx, "eva1@example.hu"); err != nil {
		b.t.Fatal(err)
	}
	return b.Store.Records(ctx, f, fn)
}

// TestAuditLiveServer: records and erasure entries appended with their
// checkpoints while the audit runs are not taken for records added, or
// erasures made, behind the log's back.
func TestAuditLiveServer(t *testing.T) {
	signer, vkey := storetest.Key(t)
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName), sqlite.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.AppendN(t, s, 5)
	rep, err := translog.Audit(context.Background(), busyStore{s, t}, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Clean() || rep.TreeSize != 5 || rep.Records != 8 {
		t.Errorf("Audit of a live store = size %d, records %d, findings %v; want clean at 5 with 8 records read", rep.TreeSize, rep.Records, rep.Findings)
	}
}
