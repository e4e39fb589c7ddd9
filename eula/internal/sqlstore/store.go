package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// ErrClosed reports a call on a closed Store.
var ErrClosed = errors.New("store closed")

// DefaultMaxBatch is the most Append calls committed in one transaction.
const DefaultMaxBatch = 256

// Options configure a Store.
type Options struct {
	// Signer signs the checkpoints; required.
	Signer note.Signer
	// Now returns the server time; time.Now if nil.
	Now func() time.Time
	// Rand supplies ids and salts; crypto/rand if nil.
	Rand io.Reader
	// MaxBatch bounds a group commit; DefaultMaxBatch if zero, and 1
	// turns group commit off.
	MaxBatch int
}

// Store is an eula.Store over database/sql.
type Store struct {
	db    *sql.DB
	d     *Dialect
	opt   Options
	reqs  chan *request
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	cache hashCache
	stats struct {
		sync.Mutex
		Stats
	}
}

// Stats counts the writer's work since Open.
type Stats struct {
	// Batches is the number of transactions that appended records, and
	// Records the number of records they appended.
	Batches, Records int64
}

// Stats returns the writer's counts; Records/Batches is the mean size of a
// group commit.
func (s *Store) Stats() Stats {
	s.stats.Lock()
	defer s.stats.Unlock()
	return s.stats.Stats
}

var _ eula.Store = (*Store)(nil)

type request struct {
	ctx context.Context
	rec eula.Record
	key string
	fp  string
	res chan result
}

type result struct {
	rec      eula.Record
	replayed bool
	err      error
}

// Open creates the schema if needed and starts the writer. The Store owns
// db and closes it on Close.
func Open(ctx context.Context, db *sql.DB, d *Dialect, opt Options) (*Store, error) {
	if opt.Signer == nil {
		return nil, fmt.Errorf("open %s store: no checkpoint signer", d.Name)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Rand == nil {
		opt.Rand = rand.Reader
	}
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = DefaultMaxBatch
	}
	s := &Store{db: db, d: d, opt: opt, reqs: make(chan *request), quit: make(chan struct{}), done: make(chan struct{})}
	if err := s.migrate(ctx); err != nil {
		return nil, fmt.Errorf("open %s store: %w", d.Name, err)
	}
	if err := s.checkKey(ctx); err != nil {
		return nil, fmt.Errorf("open %s store: %w", d.Name, err)
	}
	if err := s.logLegacyErasures(ctx); err != nil {
		return nil, fmt.Errorf("open %s store: %w", d.Name, err)
	}
	go s.loop()
	return s, nil
}

// checkKey makes sure the latest checkpoint was signed with the signer's
// key, so that a lost or different key file is noticed at start rather than
// by the next audit. Errors wrap eula.ErrConflict.
func (s *Store) checkKey(ctx context.Context) error {
	signed, err := s.LatestCheckpoint(ctx)
	if errors.Is(err, eula.ErrNotFound) {
		return nil // A new log.
	}
	if err != nil {
		return err
	}
	var keys []string
	_, sigs, _ := strings.Cut(string(signed), "\n\n")
	for _, line := range strings.Split(sigs, "\n") {
		name, b64, ok := strings.Cut(strings.TrimPrefix(line, "— "), " ")
		if !ok {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(sig) < 4 {
			continue
		}
		hash := binary.BigEndian.Uint32(sig)
		if name == s.opt.Signer.Name() && hash == s.opt.Signer.KeyHash() {
			return nil
		}
		keys = append(keys, fmt.Sprintf("%s+%08x", name, hash))
	}
	return fmt.Errorf("the log's checkpoints are signed by key %s, not by this server's key %s+%08x: use the key file of the server that created the log: %w",
		strings.Join(keys, ", "), s.opt.Signer.Name(), s.opt.Signer.KeyHash(), eula.ErrConflict)
}

// DB returns the database handle, for tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback() // No effect after Commit.
	if s.d.MigrateLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.MigrateLock); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
	}
	for _, q := range schema {
		q = strings.ReplaceAll(q, "{{BLOB}}", s.d.Blob)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migrate: %s: %w", strings.Fields(q)[:5], err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// Close stops the writer, failing the calls still waiting, and closes the
// database.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.quit) })
	<-s.done
	return s.db.Close()
}

// Append implements eula.Store.
func (s *Store) Append(ctx context.Context, r eula.Record, key string) (eula.Record, bool, error) {
	if err := r.Validate(); err != nil {
		return eula.Record{}, false, fmt.Errorf("append: %w", err)
	}
	if err := eula.ValidIdempotencyKey(key); err != nil {
		return eula.Record{}, false, fmt.Errorf("append: %w", err)
	}
	r.Index, r.Erased = 0, false
	req := &request{ctx: ctx, rec: r, key: key, fp: r.Fingerprint(), res: make(chan result, 1)}
	select {
	case s.reqs <- req:
	case <-ctx.Done():
		return eula.Record{}, false, fmt.Errorf("append: %w", ctx.Err())
	case <-s.quit:
		return eula.Record{}, false, fmt.Errorf("append: %w", ErrClosed)
	}
	select {
	case res := <-req.res:
		if res.err != nil {
			return eula.Record{}, false, fmt.Errorf("append: %w", res.err)
		}
		return res.rec, res.replayed, nil
	case <-ctx.Done():
		return eula.Record{}, false, fmt.Errorf("append: %w (the record may still be committed: retry with the same idempotency key)", ctx.Err())
	}
}

// loop is the writer: it commits the waiting requests in batches.
func (s *Store) loop() {
	defer close(s.done)
	for {
		var batch []*request
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-s.quit:
			return
		}
	more:
		for len(batch) < s.opt.MaxBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		s.commit(batch)
	}
}

// commit appends one batch in one transaction and answers each request.
func (s *Store) commit(batch []*request) {
	live := batch[:0]
	for _, r := range batch {
		if r.ctx.Err() == nil { // The caller gave up before anything was written.
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	results, replays, err := s.write(live)
	for i, r := range live {
		var res result
		if err != nil {
			res = result{err: err}
		} else if id, ok := replays[i]; ok {
			rec, gerr := s.Get(context.WithoutCancel(r.ctx), id)
			res = result{rec: rec, replayed: true, err: gerr}
		} else {
			res = results[i]
		}
		r.res <- res
	}
}

func (s *Store) write(batch []*request) (results []result, replays map[int]string, err error) {
	ctx := context.Background() // Once begun, a batch is committed whatever its callers do.
	tx, err := s.db.BeginTx(ctx, s.d.WriteTx)
	if err != nil {
		return nil, nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() // No effect after Commit.
	var n int64
	if err := tx.QueryRowContext(ctx, s.d.LockHead).Scan(&n); err != nil {
		return nil, nil, fmt.Errorf("lock tree head: %w", err)
	}
	// Idempotency keys already used.
	type used struct{ fp, id string }
	seen := map[string]used{}
	var keys []any
	for _, r := range batch {
		if r.key != "" {
			keys = append(keys, r.key)
		}
	}
	for lo := 0; lo < len(keys); lo += 500 {
		part := keys[lo:min(lo+500, len(keys))]
		q := "SELECT key, fingerprint, record_id FROM idempotency WHERE key IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ") + ")"
		rows, err := tx.QueryContext(ctx, s.d.rebind(q), part...)
		if err != nil {
			return nil, nil, fmt.Errorf("idempotency keys: %w", err)
		}
		for rows.Next() {
			var k string
			var u used
			if err := rows.Scan(&k, &u.fp, &u.id); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("idempotency keys: %w", err)
			}
			seen[k] = u
		}
		if err := rows.Close(); err != nil {
			return nil, nil, fmt.Errorf("idempotency keys: %w", err)
		}
	}

	results = make([]result, len(batch))
	replays = map[int]string{}
	var fresh []*eula.Record
	var recRows, perRows, keyRows [][]any
	now := s.opt.Now()
	for i, r := range batch {
		if r.key != "" {
			if u, ok := seen[r.key]; ok {
				if u.fp != r.fp {
					results[i].err = fmt.Errorf("idempotency key already used for a different request: %w", eula.ErrConflict)
				} else {
					replays[i] = u.id
				}
				continue
			}
		}
		rec := r.rec
		if err := rec.Seal(now, s.opt.Rand); err != nil {
			return nil, nil, err
		}
		rec.Index = n + int64(len(fresh))
		results[i].rec = rec
		fresh = append(fresh, &results[i].rec)
		recRows = append(recRows, recordRow(&rec))
		perRows = append(perRows, personalRow(&rec))
		if r.key != "" {
			seen[r.key] = used{r.fp, rec.ID}
			keyRows = append(keyRows, []any{r.key, r.fp, rec.ID})
		}
	}
	if len(fresh) == 0 {
		return results, replays, nil // Only replays and conflicts: nothing to write.
	}
	leaves := make([]tlog.Hash, len(fresh))
	for i, rec := range fresh {
		leaves[i] = tlog.RecordHash(rec.LeafData())
	}
	start, hashes, root, err := translog.Extend(ctx, n, leaves, func(ctx context.Context, x []int64) ([]tlog.Hash, error) {
		return s.readHashes(ctx, tx, x, true)
	})
	if err != nil {
		return nil, nil, err
	}
	hashRows := make([][]any, len(hashes))
	for i, h := range hashes {
		hashRows[i] = []any{start + int64(i), h[:]}
	}
	size := n + int64(len(fresh))
	signed, err := eula.SignCheckpoint(s.opt.Signer, tlog.Tree{N: size, Hash: root})
	if err != nil {
		return nil, nil, err
	}
	writes := []insert{
		{"records", recordCols, recRows},
		{"personal", personalCols, perRows},
		{"idempotency", []string{"key", "fingerprint", "record_id"}, keyRows},
		{"hashes", []string{"idx", "hash"}, hashRows},
		{"checkpoints", []string{"tree_size", "note"}, [][]any{{size, string(signed)}}},
	}
	if err := s.writeAll(ctx, tx, writes, size); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("commit: %w", err)
	}
	for i, h := range hashes {
		s.cache.put(start+int64(i), h)
	}
	s.stats.Lock()
	s.stats.Batches++
	s.stats.Records += int64(len(fresh))
	s.stats.Unlock()
	return results, replays, nil
}

// insert is rows to insert into a table.
type insert struct {
	table string
	cols  []string
	rows  [][]any
}

// writeAll inserts the rows and sets the tree head's size. Where the
// dialect allows, it does all in one statement of data-modifying WITH
// clauses: one round trip to the server instead of six.
func (s *Store) writeAll(ctx context.Context, tx *sql.Tx, writes []insert, size int64) error {
	params := 1
	for _, w := range writes {
		params += len(w.rows) * len(w.cols)
	}
	if !s.d.WriteWith || params > maxParams {
		for _, w := range writes {
			if err := s.insert(ctx, tx, w.table, w.cols, w.rows); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind("UPDATE tree_head SET size = ? WHERE id = 1"), size); err != nil {
			return fmt.Errorf("update tree head: %w", err)
		}
		return nil
	}
	var ctes []string
	args := make([]any, 0, params)
	for i, w := range writes {
		if len(w.rows) == 0 {
			continue
		}
		ctes = append(ctes, fmt.Sprintf("w%d AS (INSERT INTO %s (%s) VALUES %s)", i, w.table, strings.Join(w.cols, ", "), placeholders(len(w.rows), len(w.cols))))
		for _, r := range w.rows {
			args = append(args, r...)
		}
	}
	q := "WITH " + strings.Join(ctes, ", ") + " UPDATE tree_head SET size = ? WHERE id = 1"
	args = append(args, size)
	if _, err := tx.ExecContext(ctx, s.d.rebind(q), args...); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}

// maxParams bounds the placeholders in one statement (SQLite allows 32766
// and PostgreSQL 65535).
const maxParams = 30000

// insert inserts rows in multi-row statements.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	per := maxParams / len(cols)
	for lo := 0; lo < len(rows); lo += per {
		part := rows[lo:min(lo+per, len(rows))]
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + placeholders(len(part), len(cols))
		if _, err := tx.ExecContext(ctx, s.d.rebind(q), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

var recordCols = []string{
	"log_index", "id", "time", "installer_product", "installer_version", "machine_id",
	"product", "doc_id", "doc_version", "doc_language", "shown_hash", "original_hash",
	"decision", "role", "channel", "register_consent", "licensee", "reference",
	"derived_from", "personal_hash", "erased_at",
}

func recordRow(r *eula.Record) []any {
	var consent any
	if r.RegisterConsent != nil {
		consent = int64(0)
		if *r.RegisterConsent {
			consent = int64(1)
		}
	}
	return []any{
		r.Index, r.ID, r.Time.UTC().Format(eula.TimeLayout), r.Installer.Product,
		r.Installer.Version, r.Installer.MachineID, r.Product, r.Document.ID,
		r.Document.Version, r.Document.Language, r.Document.Hash, r.Document.OriginalHash,
		string(r.Decision), string(r.Role), string(r.Channel), consent, r.Licensee,
		r.Reference, strings.Join(r.DerivedFrom, " "), r.PersonalHash, nil,
	}
}

var personalCols = []string{
	"record_id", "salt", "actor_name", "actor_email", "actor_organization", "bound",
	"bound_name", "bound_email", "bound_organization", "client_addr", "user_agent",
	"actor_email_key", "bound_email_key",
}

func personalRow(r *eula.Record) []any {
	p := r.Personal
	var b eula.Person
	bound := int64(0)
	if p.Bound != nil {
		b, bound = *p.Bound, 1
	}
	return []any{
		r.ID, hex.EncodeToString(p.Salt), p.Actor.Name, p.Actor.Email, p.Actor.Organization,
		bound, b.Name, b.Email, b.Organization, p.ClientAddr, p.UserAgent,
		eula.NormalizeEmail(p.Actor.Email), eula.NormalizeEmail(b.Email),
	}
}

// selectRecords is the query all reads of records start with.
const selectRecords = `SELECT r.log_index, r.id, r.time, r.installer_product, r.installer_version,
	r.machine_id, r.product, r.doc_id, r.doc_version, r.doc_language, r.shown_hash,
	r.original_hash, r.decision, r.role, r.channel, r.register_consent, r.licensee,
	r.reference, r.derived_from, r.personal_hash, r.erased_at,
	p.salt, p.actor_name, p.actor_email, p.actor_organization, p.bound, p.bound_name,
	p.bound_email, p.bound_organization, p.client_addr, p.user_agent
	FROM records r LEFT JOIN personal p ON p.record_id = r.id`

type scanner interface{ Scan(...any) error }

func scanRecord(sc scanner) (eula.Record, error) {
	var (
		r                                   eula.Record
		tm, derived                         string
		consent                             sql.NullInt64
		erased, salt                        sql.NullString
		an, ae, ao, bn, be, bo, addr, agent sql.NullString
		bound                               sql.NullInt64
	)
	err := sc.Scan(&r.Index, &r.ID, &tm, &r.Installer.Product, &r.Installer.Version,
		&r.Installer.MachineID, &r.Product, &r.Document.ID, &r.Document.Version,
		&r.Document.Language, &r.Document.Hash, &r.Document.OriginalHash, &r.Decision,
		&r.Role, &r.Channel, &consent, &r.Licensee, &r.Reference, &derived,
		&r.PersonalHash, &erased, &salt, &an, &ae, &ao, &bound, &bn, &be, &bo, &addr, &agent)
	if err != nil {
		return eula.Record{}, fmt.Errorf("scan record: %w", err)
	}
	t, err := time.Parse(eula.TimeLayout, tm)
	if err != nil {
		// Keep going: an audit must see the record to report it changed.
		t = time.Time{}
	}
	r.Time = t
	if consent.Valid {
		c := consent.Int64 != 0
		r.RegisterConsent = &c
	}
	if derived != "" {
		r.DerivedFrom = strings.Split(derived, " ")
	}
	r.Erased = erased.Valid
	if salt.Valid {
		sb, err := hex.DecodeString(salt.String)
		if err != nil {
			sb = []byte(salt.String) // Tampered; the commitment check will fail.
		}
		p := &eula.Personal{
			Actor:      eula.Person{Name: an.String, Email: ae.String, Organization: ao.String},
			ClientAddr: addr.String, UserAgent: agent.String, Salt: sb,
		}
		if bound.Int64 != 0 {
			p.Bound = &eula.Person{Name: bn.String, Email: be.String, Organization: bo.String}
		}
		r.Personal = p
	}
	return r, nil
}

// Get implements eula.Store.
func (s *Store) Get(ctx context.Context, id string) (eula.Record, error) {
	r, err := scanRecord(s.db.QueryRowContext(ctx, s.d.rebind(selectRecords+" WHERE r.id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return eula.Record{}, fmt.Errorf("record %s: %w", clip(id), eula.ErrNotFound)
	}
	if err != nil {
		return eula.Record{}, fmt.Errorf("record %s: %w", clip(id), err)
	}
	return r, nil
}

// clip shortens an untrusted id for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%q...", s[:40])
	}
	return fmt.Sprintf("%q", s)
}

// query calls fn for each record the query returns.
func (s *Store) query(ctx context.Context, where string, args []any, fn func(eula.Record) error) error {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(selectRecords+where+" ORDER BY r.log_index"), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// History implements eula.Store.
func (s *Store) History(ctx context.Context, machineID, product string) ([]eula.Record, error) {
	out := []eula.Record{}
	err := s.query(ctx, " WHERE r.machine_id = ? AND r.product = ?", []any{machineID, product}, func(r eula.Record) error {
		out = append(out, r.WithoutPersonal())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return out, nil
}

// Records implements eula.Store.
func (s *Store) Records(ctx context.Context, f eula.Filter, fn func(eula.Record) error) error {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		conds = append(conds, cond)
		args = append(args, v)
	}
	if f.Product != "" {
		add("r.product = ?", f.Product)
	}
	if f.Version != "" {
		add("r.doc_version = ?", f.Version)
	}
	if f.Role != "" {
		add("r.role = ?", string(f.Role))
	}
	if f.Decision != "" {
		add("r.decision = ?", string(f.Decision))
	}
	if !f.Since.IsZero() {
		add("r.time >= ?", f.Since.UTC().Format(eula.TimeLayout))
	}
	if !f.Until.IsZero() {
		add("r.time < ?", f.Until.UTC().Format(eula.TimeLayout))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	if err := s.query(ctx, where, args, fn); err != nil {
		return fmt.Errorf("records: %w", err)
	}
	return nil
}

// Subject implements eula.Store.
func (s *Store) Subject(ctx context.Context, email string) ([]eula.Record, error) {
	key := eula.NormalizeEmail(email)
	out := []eula.Record{}
	if key == "" {
		return out, nil
	}
	err := s.query(ctx, " WHERE p.actor_email_key = ? OR p.bound_email_key = ?", []any{key, key}, func(r eula.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("subject access: %w", err)
	}
	return out, nil
}

// Receipt implements eula.Store.
func (s *Store) Receipt(ctx context.Context, id string) (eula.Receipt, error) {
	return translog.NewReceipt(ctx, s, id)
}

// LatestCheckpoint returns the signed checkpoint of the largest tree.
// Errors: eula.ErrNotFound when the log is empty.
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var text string
	err := s.db.QueryRowContext(ctx, "SELECT note FROM checkpoints ORDER BY tree_size DESC LIMIT 1").Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("latest checkpoint: %w", eula.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("latest checkpoint: %w", err)
	}
	return []byte(text), nil
}

// Checkpoints implements eula.Store.
func (s *Store) Checkpoints(ctx context.Context, fn func(signed []byte) error) error {
	rows, err := s.db.QueryContext(ctx, "SELECT note FROM checkpoints ORDER BY tree_size")
	if err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return fmt.Errorf("checkpoints: %w", err)
		}
		if err := fn([]byte(text)); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	return nil
}

// ReadHashes implements eula.Store.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	// Bypass the cache: audits must see what is stored.
	return s.readHashes(ctx, s.db, indexes, false)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readHashes reads hashes with q, first from the cache if cached.
func (s *Store) readHashes(ctx context.Context, q querier, indexes []int64, cached bool) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var need []any
	pos := map[int64][]int{}
	for i, x := range indexes {
		if h, ok := s.cache.get(x); ok && cached {
			out[i] = h
			continue
		}
		if len(pos[x]) == 0 {
			need = append(need, x)
		}
		pos[x] = append(pos[x], i)
	}
	found := 0
	for lo := 0; lo < len(need); lo += 500 {
		part := need[lo:min(lo+500, len(need))]
		query := "SELECT idx, hash FROM hashes WHERE idx IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ") + ")"
		rows, err := q.QueryContext(ctx, s.d.rebind(query), part...)
		if err != nil {
			return nil, fmt.Errorf("read hashes: %w", err)
		}
		for rows.Next() {
			var x int64
			var b []byte
			if err := rows.Scan(&x, &b); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read hashes: %w", err)
			}
			var h tlog.Hash
			if len(b) != len(h) {
				rows.Close()
				return nil, fmt.Errorf("read hashes: hash %d has %d bytes: %w", x, len(b), eula.ErrInvalid)
			}
			copy(h[:], b)
			for _, i := range pos[x] {
				out[i] = h
			}
			found++
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("read hashes: %w", err)
		}
	}
	if found != len(need) {
		return nil, fmt.Errorf("read hashes: %d of %d missing: %w", len(need)-found, len(need), eula.ErrNotFound)
	}
	return out, nil
}

// hashCache keeps recently used committed hashes, which never change.
type hashCache struct {
	mu sync.Mutex
	m  map[int64]tlog.Hash
}

// maxCached bounds the cache; it is emptied when full.
const maxCached = 1 << 16

func (c *hashCache) get(x int64) (tlog.Hash, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[x]
	return h, ok
}

func (c *hashCache) put(x int64, h tlog.Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[int64]tlog.Hash)
	}
	c.m[x] = h
}
