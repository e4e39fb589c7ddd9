package eula

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// erasurePrefix starts every erasure entry's leaf, so that it cannot be
// taken for a record's leaf (leafPrefix) or for other hashed data.
const erasurePrefix = "eulagate erasure v1\n"

// Erasure is an entry of the log saying that a record's personal data was
// erased on request. It names the record by id and log index and holds no
// personal data. Every erased record has one; an erased mark without its
// entry is what an audit reports as a forged erasure.
type Erasure struct {
	// Index is the entry's own position in the log.
	Index int64 `json:"index"`
	// RecordID and RecordIndex name the record erased.
	RecordID    string `json:"record_id"`
	RecordIndex int64  `json:"record_index"`
	// Time is the server time of the erasure, UTC, to the microsecond.
	Time time.Time `json:"time"`
	// Legacy marks an erasure made before the log had erasure entries: the
	// store logged it when it first opened the database with them, and Time
	// is the erasure's time as the database held it then.
	Legacy bool `json:"legacy,omitempty"`
}

// LeafData returns the bytes the log commits to for the entry, exactly:
//
//	"eulagate erasure v1\n" +
//	`{"record":"<id>","record_index":<n>,"time":"<time>"}`
//
// with `,"legacy":true` before the closing brace for a legacy entry, where
// <id> is the record's lower-case UUID, <n> its log index in decimal
// without leading zeros and <time> the erasure time in TimeLayout. The
// entry's own index is not part of it (the log places the leaf).
func (e *Erasure) LeafData() []byte {
	b := fmt.Appendf(nil, "%s{\"record\":\"%s\",\"record_index\":%d,\"time\":\"%s\"", erasurePrefix,
		e.RecordID, e.RecordIndex, e.Time.UTC().Format(TimeLayout))
	if e.Legacy {
		b = append(b, `,"legacy":true`...)
	}
	return append(b, '}')
}

// Validate checks an erasure entry's fields: a record id that is a UUID, a
// record index before the entry's own, a time. Errors wrap ErrInvalid.
func (e *Erasure) Validate() error {
	var v validator
	v.id("record_id", e.RecordID)
	if e.RecordIndex < 0 || e.Index < 0 {
		v.fail("record_index", "negative index")
	}
	if e.Index <= e.RecordIndex {
		v.fail("index", "erasure entry %d does not follow record %d", e.Index, e.RecordIndex)
	}
	if e.Time.IsZero() {
		v.fail("time", "missing")
	}
	return v.err
}

// ParseErasureLeaf parses the leaf of an erasure entry, as LeafData writes
// it, into an Erasure at log index index. Only the exact encoding is
// accepted: parsing and writing again gives the same bytes. Errors wrap
// ErrInvalid.
func ParseErasureLeaf(leaf []byte, index int64) (Erasure, error) {
	bad := func(why string) (Erasure, error) {
		return Erasure{}, fmt.Errorf("erasure entry at %d: %s: %w", index, why, ErrInvalid)
	}
	s, ok := strings.CutPrefix(string(leaf), erasurePrefix)
	if !ok {
		return bad("not an erasure entry")
	}
	rest, ok := strings.CutPrefix(s, `{"record":"`)
	if !ok {
		return bad("no record id")
	}
	id, rest, ok := strings.Cut(rest, `","record_index":`)
	if !ok {
		return bad("no record index")
	}
	num, rest, ok := strings.Cut(rest, `,"time":"`)
	if !ok {
		return bad("no time")
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return bad("record index is not a number")
	}
	tm, rest, ok := strings.Cut(rest, `"`)
	if !ok {
		return bad("time not closed")
	}
	t, err := time.Parse(TimeLayout, tm)
	if err != nil {
		return bad("time is not " + TimeLayout)
	}
	e := Erasure{Index: index, RecordID: id, RecordIndex: n, Time: t, Legacy: rest == `,"legacy":true}`}
	if err := e.Validate(); err != nil {
		return Erasure{}, fmt.Errorf("erasure entry at %d: %w", index, err)
	}
	if string(e.LeafData()) != string(leaf) {
		return bad("not in the exact encoding")
	}
	return e, nil
}
