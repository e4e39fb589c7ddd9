package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
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
	// counts caches the console's counts by tree size (console.go).
	counts countsCache
	// size is the tree size the writer committed last, -1 if unknown; only
	// the writer uses it.
	size  int64
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
	s := &Store{db: db, d: d, opt: opt, reqs: make(chan *request), quit: make(chan struct{}), done: make(chan struct{}), size: -1}
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
	if n, err := eula.OpenUnverified(signed); err == nil {
		for _, sig := range n.UnverifiedSigs {
			if sig.Name == s.opt.Signer.Name() && sig.Hash == s.opt.Signer.KeyHash() {
				return nil
			}
			keys = append(keys, fmt.Sprintf("%s+%08x", sig.Name, sig.Hash))
		}
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
	if err := s.migrateConsole(ctx, tx); err != nil {
		return fmt.Errorf("migrate: %w", err)
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

// maxWait bounds how long the writer waits for the callers of the last
// batch to come back before it commits the next one.
const maxWait = 2 * time.Millisecond

// loop is the writer: it commits the waiting requests in batches.
//
// Callers answered together tend to come back together: without waiting
// for them, a steady load splits into two halves that take turns, each
// paying a commit. So when the last batch had several callers, the writer
// waits for as many more as it had, up to a quarter of the last commit's
// time (at most maxWait), and commits early once they are there.
func (s *Store) loop() {
	defer close(s.done)
	last, took := 0, time.Duration(0)
	for {
		var batch []*request
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-s.quit:
			return
		}
		batch = s.drain(batch, s.opt.MaxBatch)
		if want := min(s.opt.MaxBatch, len(batch)+last); last > 1 && len(batch) < want {
			batch = s.gather(batch, want, min(took/4, maxWait))
		}
		start := time.Now()
		s.commit(batch)
		last, took = len(batch), time.Since(start)
	}
}

// drain adds the requests already waiting to batch, up to limit.
func (s *Store) drain(batch []*request, limit int) []*request {
	for len(batch) < limit {
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// gather adds requests to batch until it holds want or wait has passed.
func (s *Store) gather(batch []*request, want int, wait time.Duration) []*request {
	if wait <= 0 {
		return batch
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for len(batch) < want {
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-timer.C:
			return batch
		case <-s.quit:
			return batch
		}
	}
	return batch
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
	var first map[string]eula.Record
	if err == nil && len(replays) > 0 {
		first, err = s.records(context.Background(), replays)
	}
	for i, r := range live {
		var res result
		if err != nil {
			res = result{err: err}
		} else if id, ok := replays[i]; ok {
			rec, found := first[id]
			res = result{rec: rec, replayed: true}
			if !found {
				res.err = fmt.Errorf("record %s: %w", id, eula.ErrNotFound)
			}
		} else {
			res = results[i]
		}
		r.res <- res
	}
}

// records reads the records with the ids in one query per maxIn ids.
func (s *Store) records(ctx context.Context, ids map[int]string) (map[string]eula.Record, error) {
	var list []any
	for _, id := range ids {
		list = append(list, id)
	}
	out := map[string]eula.Record{}
	err := s.queryIn(ctx, s.db, selectRecords+" WHERE r.id IN (?)", list, func(rows *sql.Rows) error {
		r, err := scanRecord(rows)
		if err != nil {
			return err
		}
		out[r.ID] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replayed records: %w", err)
	}
	return out, nil
}

// used is what an idempotency key was used for: the request's fingerprint
// and the record appended.
type used struct{ fp, id string }

// prepared is a batch made ready to append to a tree of a given size.
type prepared struct {
	// results holds, per request, the record to store or the error.
	results []result
	// replays maps the position of a retried request to the id of the
	// record it appended first.
	replays map[int]string
	// fresh is the number of records to append.
	fresh int
	// writes are the rows to insert; the tree head is set apart.
	writes []insert
	// hashes are the log's new hashes, stored from index start on.
	start  int64
	hashes []tlog.Hash
	// size is the tree size after the batch.
	size int64
}

// write appends one batch and returns each request's result; replays maps
// the position of a retried request to the id of its first record.
//
// Where the dialect allows (Optimistic) and the writer knows the tree size
// it committed last, the batch is one statement that writes only if the
// tree head still has that size and no key of the batch was used. Anything
// else (a first batch, another server's appends, a retry) takes writeLocked.
func (s *Store) write(batch []*request) ([]result, map[int]string, error) {
	ctx := context.Background() // Once begun, a batch is committed whatever its callers do.
	now := s.opt.Now()
	recs := make([]eula.Record, len(batch))
	leaves := make([]tlog.Hash, len(batch))
	keys := []any{}
	for i, r := range batch {
		recs[i] = r.rec
		if err := recs[i].Seal(now, s.opt.Rand); err != nil {
			return nil, nil, err
		}
		leaves[i] = tlog.RecordHash(recs[i].LeafData())
		if r.key != "" {
			keys = append(keys, r.key)
		}
	}
	if n := s.size; s.d.Optimistic && n >= 0 {
		s.size = -1 // Unknown until a commit says otherwise.
		p, err := s.prepare(ctx, s.db, batch, recs, leaves, n, map[string]used{})
		if err != nil {
			return nil, nil, err
		}
		ok, err := s.writeIfHead(ctx, p, n)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			s.committed(p)
			return p.results, p.replays, nil
		}
	}
	return s.writeLocked(ctx, batch, recs, leaves, keys)
}

// writeLocked appends a batch in a transaction that first locks the tree
// head, then looks up the batch's idempotency keys, so that it sees what
// every server committed before.
func (s *Store) writeLocked(ctx context.Context, batch []*request, recs []eula.Record, leaves []tlog.Hash, keys []any) ([]result, map[int]string, error) {
	s.size = -1
	tx, err := s.db.BeginTx(ctx, s.d.WriteTx)
	if err != nil {
		return nil, nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() // No effect after Commit.
	var n int64
	if err := tx.QueryRowContext(ctx, s.d.LockHead).Scan(&n); err != nil {
		return nil, nil, fmt.Errorf("lock tree head: %w", err)
	}
	seen := map[string]used{}
	err = s.queryIn(ctx, tx, "SELECT key, fingerprint, record_id FROM idempotency WHERE key IN (?)", keys, func(rows *sql.Rows) error {
		var k string
		var u used
		if err := rows.Scan(&k, &u.fp, &u.id); err != nil {
			return err
		}
		seen[k] = u
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("idempotency keys: %w", err)
	}
	p, err := s.prepare(ctx, tx, batch, recs, leaves, n, seen)
	if err != nil {
		return nil, nil, err
	}
	if p.fresh == 0 {
		s.size = n
		return p.results, p.replays, nil // Only replays and conflicts: nothing to write.
	}
	if err := s.writeAll(ctx, tx, p.writes, p.size); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("commit: %w", err)
	}
	s.committed(p)
	return p.results, p.replays, nil
}

// prepare assigns the sealed records recs, with their leaf hashes, the
// indexes after a tree of size n, skipping the requests whose key seen
// holds (replays and conflicts), and computes the log's new hashes and the
// signed checkpoint, reading stored hashes with q.
func (s *Store) prepare(ctx context.Context, q querier, batch []*request, recs []eula.Record, leaves []tlog.Hash, n int64, seen map[string]used) (*prepared, error) {
	p := &prepared{results: make([]result, len(batch)), replays: map[int]string{}}
	var fresh []tlog.Hash
	var recRows, perRows, keyRows [][]any
	for i, r := range batch {
		if r.key != "" {
			if u, ok := seen[r.key]; ok {
				if u.fp != r.fp {
					p.results[i].err = fmt.Errorf("idempotency key already used for a different request: %w", eula.ErrConflict)
				} else {
					p.replays[i] = u.id
				}
				continue
			}
		}
		rec := recs[i]
		rec.Index = n + int64(len(fresh))
		p.results[i].rec = rec
		fresh = append(fresh, leaves[i])
		recRows = append(recRows, recordRow(&rec))
		perRows = append(perRows, personalRow(&rec))
		if r.key != "" {
			seen[r.key] = used{r.fp, rec.ID}
			keyRows = append(keyRows, []any{r.key, r.fp, rec.ID})
		}
	}
	p.fresh = len(fresh)
	if p.fresh == 0 {
		return p, nil
	}
	start, hashes, root, err := translog.Extend(ctx, n, fresh, func(ctx context.Context, x []int64) ([]tlog.Hash, error) {
		return s.readHashes(ctx, q, x, true)
	})
	if err != nil {
		return nil, err
	}
	hashRows := make([][]any, len(hashes))
	for i, h := range hashes {
		hashRows[i] = []any{start + int64(i), h[:]}
	}
	p.start, p.hashes, p.size = start, hashes, n+int64(p.fresh)
	signed, err := eula.SignCheckpoint(s.opt.Signer, tlog.Tree{N: p.size, Hash: root})
	if err != nil {
		return nil, err
	}
	p.writes = []insert{
		{"records", recordCols, recRows},
		{"personal", personalCols, perRows},
		{"idempotency", idempotencyCols, keyRows},
		{"hashes", hashCols, hashRows},
		{"checkpoints", checkpointCols, [][]any{{p.size, string(signed)}}},
	}
	return p, nil
}

// committed notes a committed batch: its hashes are cached, and the tree
// size is known.
func (s *Store) committed(p *prepared) {
	for i, h := range p.hashes {
		s.cache.put(p.start+int64(i), h)
	}
	s.size = p.size
	s.stats.Lock()
	s.stats.Batches++
	s.stats.Records += int64(p.fresh)
	s.stats.Unlock()
}

// insert is rows to insert into a table.
type insert struct {
	table string
	cols  []column
	rows  [][]any
}

// column is a column that Append writes, with its SQL type ({{BLOB}} for
// Dialect.Blob), which array parameters are cast to.
type column struct{ name, typ string }

// names returns the names of cols, comma-separated.
func names(cols []column) string {
	n := make([]string, len(cols))
	for i, c := range cols {
		n[i] = c.name
	}
	return strings.Join(n, ", ")
}

// writeAll inserts the rows and sets the tree head's size.
func (s *Store) writeAll(ctx context.Context, tx *sql.Tx, writes []insert, size int64) error {
	if s.d.Arrays {
		return s.writeArrays(ctx, tx, writes, size)
	}
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

// writeArrays does what writeAll does in one statement, one round trip
// to the server.
func (s *Store) writeArrays(ctx context.Context, tx *sql.Tx, writes []insert, size int64) error {
	ctes, args := s.arrayInserts(writes, "")
	q := "WITH " + ctes + " UPDATE tree_head SET size = ? WHERE id = 1"
	if _, err := tx.ExecContext(ctx, s.d.rebind(q), append(args, size)...); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}

// writeIfHead writes a batch prepared for a tree of size n in one
// statement, which is its own transaction: it sets the tree head to the
// new size only if the head still has size n, and inserts the rows only if
// it did. It reports whether it wrote.
//
// Every append changes the tree head, so a batch of another server,
// committed before the statement or while it waits for the head's row
// lock, makes the size differ, and the statement writes nothing. An
// idempotency key of the batch used before fails the statement on the
// key's unique index (Dialect.KeyConflict), and nothing is written
// either; the index checks the keys as it takes them, where a lookup of
// the batch's keys first would be planned once for a prepared statement,
// possibly as a scan of the whole table.
func (s *Store) writeIfHead(ctx context.Context, p *prepared, n int64) (bool, error) {
	ctes, args := s.arrayInserts(p.writes, " WHERE EXISTS (SELECT 1 FROM head)")
	q := "WITH head AS (UPDATE tree_head SET size = ? WHERE id = 1 AND size = ? RETURNING size), " +
		ctes + " SELECT count(*) FROM head"
	args = append([]any{p.size, n}, args...)
	var wrote int64
	err := s.db.QueryRowContext(ctx, s.d.rebind(q), args...).Scan(&wrote)
	if err != nil && s.d.KeyConflict != nil && s.d.KeyConflict(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("write batch: %w", err)
	}
	return wrote == 1, nil
}

// arrayInserts returns data-modifying WITH clauses that insert the rows of
// writes, each column one array parameter, with cond after each SELECT,
// and their arguments. The text depends on the tables only, not on the
// number of rows.
func (s *Store) arrayInserts(writes []insert, cond string) (string, []any) {
	var ctes []string
	var args []any
	for i, w := range writes {
		params := make([]string, len(w.cols))
		for j, c := range w.cols {
			params[j] = "?::" + strings.ReplaceAll(c.typ, "{{BLOB}}", s.d.Blob) + "[]"
			col := make([]any, len(w.rows))
			for r, row := range w.rows {
				col[r] = row[j]
			}
			args = append(args, col)
		}
		ctes = append(ctes, fmt.Sprintf("w%d AS (INSERT INTO %s (%s) SELECT * FROM unnest(%s)%s)", i, w.table, names(w.cols), strings.Join(params, ", "), cond))
	}
	return strings.Join(ctes, ", "), args
}

// maxParams bounds the placeholders in one statement (SQLite allows 32766).
const maxParams = 30000

// insert inserts rows in multi-row statements.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, table string, cols []column, rows [][]any) error {
	per := maxParams / len(cols)
	for lo := 0; lo < len(rows); lo += per {
		part := rows[lo:min(lo+per, len(rows))]
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + names(cols) + ") VALUES " + placeholders(len(part), len(cols))
		if _, err := tx.ExecContext(ctx, s.d.rebind(q), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// maxIn bounds the values in one "IN (...)" list.
const maxIn = 500

// queryIn runs query, which selects the rows whose column is one of values
// with the condition "IN (?)", on q and calls scan for each row, stopping
// at the first error. Where the dialect has arrays, the values are one
// array parameter ("= ANY(?)"); elsewhere the query runs once for every
// maxIn values.
func (s *Store) queryIn(ctx context.Context, q querier, query string, values []any, scan func(*sql.Rows) error) error {
	if len(values) == 0 {
		return nil
	}
	if s.d.Arrays {
		return s.scan(ctx, q, strings.Replace(query, " IN (?)", " = ANY(?)", 1), []any{values}, scan)
	}
	for lo := 0; lo < len(values); lo += maxIn {
		part := values[lo:min(lo+maxIn, len(values))]
		if err := s.scan(ctx, q, strings.Replace(query, "(?)", placeholders(1, len(part)), 1), part, scan); err != nil {
			return err
		}
	}
	return nil
}

// scan runs query on q and calls fn for each row, stopping at the first
// error.
func (s *Store) scan(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, s.d.rebind(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

var recordCols = []column{
	{"log_index", "BIGINT"}, {"id", "TEXT"}, {"time", "TEXT"}, {"installer_product", "TEXT"},
	{"installer_version", "TEXT"}, {"machine_id", "TEXT"}, {"product", "TEXT"},
	{"doc_id", "TEXT"}, {"doc_version", "TEXT"}, {"doc_language", "TEXT"},
	{"shown_hash", "TEXT"}, {"original_hash", "TEXT"}, {"decision", "TEXT"}, {"role", "TEXT"},
	{"channel", "TEXT"}, {"register_consent", "INTEGER"}, {"licensee", "TEXT"},
	{"reference", "TEXT"}, {"derived_from", "TEXT"}, {"personal_hash", "TEXT"},
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
		r.Reference, strings.Join(r.DerivedFrom, " "), r.PersonalHash,
	}
}

var personalCols = []column{
	{"record_id", "TEXT"}, {"salt", "TEXT"}, {"actor_name", "TEXT"}, {"actor_email", "TEXT"},
	{"actor_organization", "TEXT"}, {"bound", "INTEGER"}, {"bound_name", "TEXT"},
	{"bound_email", "TEXT"}, {"bound_organization", "TEXT"}, {"client_addr", "TEXT"},
	{"user_agent", "TEXT"}, {"actor_email_key", "TEXT"}, {"bound_email_key", "TEXT"},
}

var (
	idempotencyCols = []column{{"key", "TEXT"}, {"fingerprint", "TEXT"}, {"record_id", "TEXT"}}
	hashCols        = []column{{"idx", "BIGINT"}, {"hash", "{{BLOB}}"}}
	checkpointCols  = []column{{"tree_size", "BIGINT"}, {"note", "TEXT"}}
)

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

// query calls fn for each record the query returns, in log order, at
// most limit of them if limit > 0.
func (s *Store) query(ctx context.Context, where string, args []any, limit int, fn func(eula.Record) error) error {
	q := selectRecords + where + " ORDER BY r.log_index"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	return s.scan(ctx, s.db, q, args, func(rows *sql.Rows) error {
		r, err := scanRecord(rows)
		if err != nil {
			return err
		}
		return fn(r)
	})
}

// Latest implements eula.Store.
func (s *Store) Latest(ctx context.Context, machineID, product string) ([]eula.Record, error) {
	out := []eula.Record{}
	where := ` WHERE r.log_index IN (SELECT max(log_index) FROM records
		WHERE machine_id = ? AND product = ?
		GROUP BY doc_id, role, channel, decision, licensee
		ORDER BY max(log_index) DESC LIMIT ?)`
	err := s.query(ctx, where, []any{machineID, product, eula.MaxLatest}, 0, func(r eula.Record) error {
		out = append(out, r.WithoutPersonal())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("latest records of %s for %s: %w", clip(machineID), clip(product), err)
	}
	return out, nil
}

// History implements eula.Store.
func (s *Store) History(ctx context.Context, machineID, product string, page eula.Page) ([]eula.Record, *eula.Page, error) {
	if err := page.Validate(); err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	size := page.Size()
	out := []eula.Record{}
	// One record more than the page tells whether another page follows.
	err := s.query(ctx, " WHERE r.machine_id = ? AND r.product = ? AND r.log_index >= ?", []any{machineID, product, page.From}, size+1, func(r eula.Record) error {
		out = append(out, r.WithoutPersonal())
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	if len(out) <= size {
		return out, nil, nil
	}
	out = out[:size]
	return out, &eula.Page{From: out[size-1].Index + 1, Limit: page.Limit}, nil
}

// Records implements eula.Store.
func (s *Store) Records(ctx context.Context, f eula.Filter, fn func(eula.Record) error) error {
	where, args := searchWhere(eula.Query{Filter: f})
	if err := s.query(ctx, where, args, 0, fn); err != nil {
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
	err := s.query(ctx, " WHERE p.actor_email_key = ? OR p.bound_email_key = ?", []any{key, key}, 0, func(r eula.Record) error {
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
	err := s.queryIn(ctx, q, "SELECT idx, hash FROM hashes WHERE idx IN (?)", need, func(rows *sql.Rows) error {
		var x int64
		var b []byte
		if err := rows.Scan(&x, &b); err != nil {
			return err
		}
		var h tlog.Hash
		if len(b) != len(h) {
			return fmt.Errorf("hash %d has %d bytes: %w", x, len(b), eula.ErrInvalid)
		}
		copy(h[:], b)
		for _, i := range pos[x] {
			out[i] = h
		}
		found++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read hashes: %w", err)
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
