package eula_test

import (
	"errors"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
)

func TestErasureLeaf(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 8000, time.UTC)
	const id = "0190a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b"
	for _, test := range []struct {
		e    eula.Erasure
		want string
	}{
		{eula.Erasure{Index: 9, RecordID: id, RecordIndex: 3, Time: at},
			"eulagate erasure v1\n{\"record\":\"" + id + "\",\"record_index\":3,\"time\":\"2026-03-04T05:06:07.000008Z\"}"},
		{eula.Erasure{Index: 12, RecordID: id, RecordIndex: 0, Time: at.In(time.FixedZone("CET", 3600)), Legacy: true},
			"eulagate erasure v1\n{\"record\":\"" + id + "\",\"record_index\":0,\"time\":\"2026-03-04T05:06:07.000008Z\",\"legacy\":true}"},
	} {
		if got := string(test.e.LeafData()); got != test.want {
			t.Errorf("LeafData = %q, want %q", got, test.want)
		}
		back, err := eula.ParseErasureLeaf([]byte(test.want), test.e.Index)
		if err != nil || back.RecordID != id || back.RecordIndex != test.e.RecordIndex || !back.Time.Equal(at) || back.Legacy != test.e.Legacy {
			t.Errorf("ParseErasureLeaf(%q) = %+v, %v", test.want, back, err)
		}
	}
	for _, bad := range []string{
		"eulagate record v1\n{}",
		"eulagate erasure v1\n{\"record\":\"" + id + "\",\"record_index\":3,\"time\":\"2026-03-04T05:06:07.000008Z\"} ",
		"eulagate erasure v1\n{\"record\":\"" + id + "\",\"record_index\":03,\"time\":\"2026-03-04T05:06:07.000008Z\"}",
		"eulagate erasure v1\n{\"record\":\"" + id + "\", \"record_index\":3,\"time\":\"2026-03-04T05:06:07.000008Z\"}",
		"eulagate erasure v1\n{\"record\":\"" + id + "\",\"record_index\":3,\"time\":\"2026-03-04T05:06:07Z\"}",
		"eulagate erasure v1\n{\"record\":\"" + id + "\",\"record_index\":3,\"time\":\"2026-03-04T05:06:07.000008Z\",\"legacy\":false}",
		"eulagate erasure v1\n{\"record\":\"" + id + "\",\"record_index\":9,\"time\":\"2026-03-04T05:06:07.000008Z\"}",
		"eulagate erasure v1\n{\"record\":\"not-a-uuid\",\"record_index\":3,\"time\":\"2026-03-04T05:06:07.000008Z\"}",
	} {
		if _, err := eula.ParseErasureLeaf([]byte(bad), 9); !errors.Is(err, eula.ErrInvalid) {
			t.Errorf("ParseErasureLeaf(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}
