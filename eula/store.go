package eula

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Store keeps the records and the transparency log over them. It is
// append-only: records are never changed, except that Erase removes personal
// data. Implementations: package eula/sqlite (default) and eula/postgres; both
// pass the conformance suite in eula/storetest.
type Store interface {
	// Append validates r, seals it (id, server time, salt, commitment),
	// assigns the next log index and stores it with the log's new hashes
	// and a signed checkpoint, durably, before it returns the stored
	// record. Concurrent calls are committed together in one transaction.
	//
	// A non-empty idempotencyKey makes retries safe: if the key was used
	// before with the same request (same Fingerprint), Append returns the
	// first record and replayed is true; nothing new is recorded.
	//
	// Errors: ErrInvalid (r or the key breaks a rule), ErrConflict (the key
	// was used with a different request), or a storage error. If ctx ends
	// while waiting, the record may still be committed: retry with the same
	// key.
	Append(ctx context.Context, r Record, idempotencyKey string) (stored Record, replayed bool, err error)

	// Get returns the record with the given id, with its personal data
	// unless erased. Errors: ErrNotFound.
	Get(ctx context.Context, id string) (Record, error)

	// Latest returns, for one installation (machine id) and one product,
	// the latest record of each kind: each combination of document, role,
	// channel, decision and licensee. The latest record among those of
	// some kinds is thus the same in Latest's answer as in the whole
	// history, which is all that StatusOf, AffiliateStatus and Delegate
	// look at. The records are in log order, without personal data, at
	// most MaxLatest of them (the kinds decided last). It returns an empty
	// slice, not ErrNotFound, when there are none.
	Latest(ctx context.Context, machineID, product string) ([]Record, error)

	// History returns one page of the records of one installation (machine
	// id) for one product, in log order, without personal data, and the
	// page after it, nil after the last. It returns an empty slice, not
	// ErrNotFound, when there are none. Errors: ErrInvalid (a negative
	// page).
	History(ctx context.Context, machineID, product string, page Page) (records []Record, next *Page, err error)

	// Records calls fn for each record matching f, in log order, with
	// personal data unless erased, stopping at the first error, which it
	// returns.
	Records(ctx context.Context, f Filter, fn func(Record) error) error

	// Subject returns every record holding personal data about the person
	// with this e-mail address (as actor or party bound), for access and
	// portability requests. It returns an empty slice when there are none.
	Subject(ctx context.Context, email string) ([]Record, error)

	// Erase removes for good the personal data of every record naming this
	// e-mail address; the records stay, marked erased, and every receipt
	// and the log stay verifiable. Each erasure is appended to the log as an
	// Erasure entry naming its record, in the same transaction, with a new
	// signed checkpoint. It returns the ids of the records erased.
	// Errors: ErrInvalid (empty address).
	Erase(ctx context.Context, email string) ([]string, error)

	// Erasures calls fn with each erasure entry of the log, in log order,
	// stopping at the first error, which it returns.
	Erasures(ctx context.Context, fn func(Erasure) error) error

	// Receipt returns the receipt for the record with the given id: the
	// record, its leaf, an inclusion proof and the latest signed
	// checkpoint, and for an erased record its erasure entry with that
	// entry's inclusion proof. Errors: ErrNotFound.
	Receipt(ctx context.Context, id string) (Receipt, error)

	// LatestCheckpoint returns the signed checkpoint of the largest tree,
	// which the server may publish so that others can hold it to the log.
	// Errors: ErrNotFound while the log is empty.
	LatestCheckpoint(ctx context.Context) ([]byte, error)

	// Checkpoints calls fn with each signed checkpoint ever stored, in order
	// of tree size, for audits.
	Checkpoints(ctx context.Context, fn func(signed []byte) error) error

	// ReadHashes returns the stored log hashes at the given storage indexes
	// (see tlog.StoredHashIndex). Errors: ErrNotFound if any is missing.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

	// Close stops the writer and closes the database.
	Close() error
}

// MaxHistoryPage bounds the records of one page of Store.History.
const MaxHistoryPage = 100

// MaxLatest bounds the records Store.Latest returns: more than the kinds of
// record one installation gets through the service.
const MaxLatest = 256

// Page selects a page of Store.History: at most Limit records (MaxHistoryPage
// if zero or more) from log index From on. The zero Page is the first.
type Page struct {
	From  int64
	Limit int
}

// Validate checks that the page is not negative. Errors wrap ErrInvalid.
func (p Page) Validate() error {
	if p.From < 0 || p.Limit < 0 {
		return fmt.Errorf("page from %d, limit %d: negative: %w", p.From, p.Limit, ErrInvalid)
	}
	return nil
}

// Size returns the number of records the page holds at most.
func (p Page) Size() int {
	if p.Limit <= 0 || p.Limit > MaxHistoryPage {
		return MaxHistoryPage
	}
	return p.Limit
}

// Filter selects records for export. Zero fields match everything.
type Filter struct {
	// Product matches the licensed product key.
	Product string
	// Version matches the document version shown.
	Version string
	// Role matches the role of who decided.
	Role Role
	// Decision matches the decision.
	Decision Decision
	// Since and Until bound the record time: Since <= Time < Until.
	Since, Until time.Time
}

// ParseFilterTime reads a bound of a Filter as people and scripts write it:
// RFC 3339 or YYYY-MM-DD (midnight UTC). The empty string is no bound.
// Errors wrap ErrInvalid.
func ParseFilterTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (use RFC 3339 or YYYY-MM-DD): %w", clip(s), ErrInvalid)
}

// Match reports whether r passes f. Stores filter in their queries; Match
// states the same rule for tests and in-memory callers.
func (f Filter) Match(r *Record) bool {
	return (f.Product == "" || r.Product == f.Product) &&
		(f.Version == "" || r.Document.Version == f.Version) &&
		(f.Role == "" || r.Role == f.Role) &&
		(f.Decision == "" || r.Decision == f.Decision) &&
		(f.Since.IsZero() || !r.Time.Before(f.Since)) &&
		(f.Until.IsZero() || r.Time.Before(f.Until))
}

// ExportJSONL writes the records matching f to w as JSON Lines, one record
// per line, in log order.
func ExportJSONL(ctx context.Context, s Store, f Filter, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err := s.Records(ctx, f, func(r Record) error { return enc.Encode(r) })
	if err != nil {
		return fmt.Errorf("export json lines: %w", err)
	}
	return nil
}

// SubjectExport is everything held about one person, for access and
// portability requests: the records naming the e-mail address, with their
// personal data.
type SubjectExport struct {
	Email    string    `json:"email"`
	Exported time.Time `json:"exported"`
	Records  []Record  `json:"records"`
}

// ExportSubject writes to w, as one indented JSON document, everything s
// holds about the person with this e-mail address.
func ExportSubject(ctx context.Context, s Store, email string, now time.Time, w io.Writer) error {
	recs, err := s.Subject(ctx, email)
	if err != nil {
		return fmt.Errorf("export subject: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(SubjectExport{Email: NormalizeEmail(email), Exported: now.UTC(), Records: recs}); err != nil {
		return fmt.Errorf("export subject: %w", err)
	}
	return nil
}

// CSVHeader is the header row of ExportCSV.
var CSVHeader = []string{
	"index", "id", "time", "installer_product", "installer_version", "machine_id",
	"product", "document_id", "document_version", "document_language",
	"document_hash", "original_hash", "decision", "role", "channel",
	"register_consent", "licensee", "reference", "derived_from", "personal_hash",
	"erased", "actor_name", "actor_email", "actor_organization", "bound_name",
	"bound_email", "bound_organization", "client_addr", "user_agent",
}

// ExportCSV writes the records matching f to w as CSV with CSVHeader, in
// log order. Cells that a spreadsheet would run as a formula are prefixed
// with an apostrophe.
func ExportCSV(ctx context.Context, s Store, f Filter, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	err := s.Records(ctx, f, func(r Record) error { return cw.Write(csvRow(&r)) })
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return nil
}

func csvRow(r *Record) []string {
	consent := ""
	if r.RegisterConsent != nil {
		consent = strconv.FormatBool(*r.RegisterConsent)
	}
	var p Personal
	if r.Personal != nil {
		p = *r.Personal
	}
	var bound Person
	if p.Bound != nil {
		bound = *p.Bound
	}
	row := []string{
		strconv.FormatInt(r.Index, 10), r.ID, r.Time.UTC().Format(TimeLayout),
		r.Installer.Product, r.Installer.Version, r.Installer.MachineID,
		r.Product, r.Document.ID, r.Document.Version, r.Document.Language,
		r.Document.Hash, r.Document.OriginalHash, string(r.Decision), string(r.Role),
		string(r.Channel), consent, r.Licensee, r.Reference,
		strings.Join(r.DerivedFrom, " "), r.PersonalHash, strconv.FormatBool(r.Erased),
		p.Actor.Name, p.Actor.Email, p.Actor.Organization, bound.Name, bound.Email,
		bound.Organization, p.ClientAddr, p.UserAgent,
	}
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}
