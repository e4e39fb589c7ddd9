package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/eulagate/eulagate/eula"
)

var _ eula.ConsoleStore = (*Store)(nil)

// consoleIndexes serve the console's searches; migrate creates them with
// the schema, and drops those that served earlier queries. A search is in
// time order, then log order: each index ends in time and log_index, so
// that a search on one field, with or without a time range, reads its page
// and its bounded count in index order. The overview reads the tables
// appends maintain (consoletables.go), not these.
var consoleIndexes = []string{
	`DROP INDEX IF EXISTS records_time`,
	`DROP INDEX IF EXISTS records_tally`,
	`DROP INDEX IF EXISTS records_eula_latest`,
	`DROP INDEX IF EXISTS records_product_log`,
	`CREATE INDEX IF NOT EXISTS records_time_log ON records (time, log_index)`,
	`CREATE INDEX IF NOT EXISTS records_product_time ON records (product, time, log_index)`,
	`CREATE INDEX IF NOT EXISTS records_version_time ON records (doc_version, time, log_index)`,
	`CREATE INDEX IF NOT EXISTS records_reference ON records (reference)`,
	// Only the records naming an organisation, which the planner can then
	// tell from the many that name none.
	`DROP INDEX IF EXISTS personal_actor_org`,
	`DROP INDEX IF EXISTS personal_bound_org`,
	`CREATE INDEX IF NOT EXISTS personal_actor_org_set ON personal (actor_organization) WHERE actor_organization <> ''`,
	`CREATE INDEX IF NOT EXISTS personal_bound_org_set ON personal (bound_organization) WHERE bound_organization <> ''`,
}

func init() { schema = append(schema, consoleIndexes...) }

// where returns the WHERE clause and its arguments selecting q's records.
func searchWhere(q eula.Query) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vs ...any) {
		conds = append(conds, cond)
		args = append(args, vs...)
	}
	f := q.Filter
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
	if q.MachineID != "" {
		add("r.machine_id = ?", q.MachineID)
	}
	if q.Reference != "" {
		add("r.reference = ?", q.Reference)
	}
	if n := len(q.ReferenceCommitments); n > 0 {
		args := make([]any, n)
		for i, c := range q.ReferenceCommitments {
			args[i] = c
		}
		add("r.reference IN (?"+strings.Repeat(", ?", n-1)+")", args...)
	}
	if q.Organization != "" {
		// The records of the organisation's personal rows, found by
		// the partial indexes (the "<> ''" lets the planner use them).
		add(`r.id IN (SELECT record_id FROM personal WHERE actor_organization = ? AND actor_organization <> ''
			UNION ALL SELECT record_id FROM personal WHERE bound_organization = ? AND bound_organization <> '')`,
			q.Organization, q.Organization)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// searchOrder is the order of a search's records: time, then log.
const searchOrder = " ORDER BY r.time, r.log_index"

// Search implements eula.ConsoleStore.
func (s *Store) Search(ctx context.Context, q eula.Query, fn func(eula.Record) error) error {
	if err := q.Validate(); err != nil {
		return err
	}
	where, args := searchWhere(q)
	query := selectRecords + where + searchOrder
	if q.Limit > 0 || q.Offset > 0 {
		// The page's log indexes first, from the indexes alone where
		// they can, then the page's records with their personal data.
		page := "SELECT r.log_index FROM records r" + where + searchOrder
		if q.Limit > 0 {
			page += " LIMIT ?"
			args = append(args, q.Limit)
		} else if !s.d.Numbered {
			page += " LIMIT -1" // SQLite needs a LIMIT before OFFSET.
		}
		if q.Offset > 0 {
			page += " OFFSET ?"
			args = append(args, q.Offset)
		}
		query = selectRecords + " WHERE r.log_index IN (" + page + ")" + searchOrder
	}
	err := s.scan(ctx, s.db, query, args, func(rows *sql.Rows) error {
		r, err := scanRecord(rows)
		if err != nil {
			return err
		}
		return fn(r)
	})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// Count implements eula.ConsoleStore.
func (s *Store) Count(ctx context.Context, q eula.Query) (int64, error) {
	where, args := searchWhere(q)
	query := "SELECT count(*) FROM records r" + where
	if q.CountUpTo > 0 {
		// In the search's order, so that the planner reads index ranges
		// rather than a table scan that assumes matches spread evenly
		// (a time range's records are together in the log).
		query = "SELECT count(*) FROM (SELECT 1 FROM records r" + where + searchOrder + " LIMIT ?) c"
		args = append(args, q.CountUpTo+1)
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, s.d.rebind(query), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// countsCache holds the counts of the tree size they were made at: they
// change only when records are appended (an erasure changes no count).
type countsCache struct {
	sync.Mutex
	size int64
	ok   bool
	c    eula.Counts
}

// clone returns a copy of c that shares no slice with it.
func cloneCounts(c eula.Counts) eula.Counts {
	c.ByVersion, c.ByProduct, c.ByLanguage = slices.Clone(c.ByVersion), slices.Clone(c.ByProduct), slices.Clone(c.ByLanguage)
	c.ByRole, c.ByChannel, c.Latest = slices.Clone(c.ByRole), slices.Clone(c.ByChannel), slices.Clone(c.Latest)
	c.ByDay = slices.Clone(c.ByDay)
	return c
}

// Counts implements eula.ConsoleStore from the tables appends maintain
// (consoletables.go). Counts made at the current tree size are answered
// from memory.
func (s *Store) Counts(ctx context.Context) (eula.Counts, error) {
	var size int64
	if err := s.db.QueryRowContext(ctx, "SELECT size FROM tree_head WHERE id = 1").Scan(&size); err != nil {
		return eula.Counts{}, fmt.Errorf("counts: tree size: %w", err)
	}
	s.counts.Lock()
	if s.counts.ok && s.counts.size == size {
		c := cloneCounts(s.counts.c)
		s.counts.Unlock()
		return c, nil
	}
	s.counts.Unlock()
	c, err := s.count(ctx)
	if err != nil {
		return eula.Counts{}, err
	}
	s.counts.Lock()
	s.counts.size, s.counts.ok, s.counts.c = size, true, cloneCounts(c)
	s.counts.Unlock()
	return c, nil
}

// count reads the counts from the maintained tables, in one transaction so
// that they agree with each other.
func (s *Store) count(ctx context.Context) (eula.Counts, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.readIsolation()})
	if err != nil {
		return eula.Counts{}, fmt.Errorf("counts: %w", err)
	}
	defer tx.Rollback() // Read only.
	return s.readCounts(ctx, tx,
		`SELECT version, product, language, role, channel, day, decision, n FROM console_tally WHERE n > 0`,
		`SELECT product, version, decision, n FROM console_states WHERE n > 0 ORDER BY 1, 2, 3`, nil)
}

// readCounts reads counts with q: tallies selects version, product,
// language, role, channel, day, decision and a number; latest selects
// product, version, decision (both "" for an installation without a EULA
// decision) and a number of installations, with args.
func (s *Store) readCounts(ctx context.Context, q querier, tallies, latest string, args []any) (eula.Counts, error) {
	var c eula.Counts
	t := newTallies(&c)
	err := s.scan(ctx, q, tallies, nil, func(rows *sql.Rows) error {
		var keys [6]string
		var d eula.Decision
		var n int64
		if err := rows.Scan(&keys[0], &keys[1], &keys[2], &keys[3], &keys[4], &keys[5], &d, &n); err != nil {
			return err
		}
		t.add(keys, d, n)
		return nil
	})
	if err != nil {
		return eula.Counts{}, fmt.Errorf("counts: %w", err)
	}
	t.sort()
	err = s.scan(ctx, q, s.d.rebind(latest), args, func(rows *sql.Rows) error {
		var l eula.LatestCount
		if err := rows.Scan(&l.Product, &l.Version, &l.Decision, &l.N); err != nil {
			return err
		}
		c.Installations += l.N
		if l.Decision != "" {
			c.Latest = append(c.Latest, l)
		}
		return nil
	})
	if err != nil {
		return eula.Counts{}, fmt.Errorf("counts of latest decisions: %w", err)
	}
	return c, nil
}

// readIsolation is the isolation of a read that must see one state of
// several tables: SQLite's transactions are serializable anyway.
func (s *Store) readIsolation() sql.IsolationLevel {
	if s.d.Numbered {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault
}

// tallies adds up counts into the tallies by version, product, language,
// role, channel and day.
type tallies struct {
	dims [6]struct {
		out *[]eula.Tally
		idx map[string]int
	}
}

// newTallies returns tallies adding into c, whose tallies it empties.
func newTallies(c *eula.Counts) *tallies {
	t := &tallies{}
	for i, out := range []*[]eula.Tally{&c.ByVersion, &c.ByProduct, &c.ByLanguage, &c.ByRole, &c.ByChannel, &c.ByDay} {
		*out = []eula.Tally{}
		t.dims[i].out, t.dims[i].idx = out, map[string]int{}
	}
	return t
}

// sort sorts each tally by key.
func (t *tallies) sort() {
	for _, dm := range t.dims {
		slices.SortFunc(*dm.out, func(a, b eula.Tally) int { return strings.Compare(a.Key, b.Key) })
	}
}

// add counts n decisions d of the version, product, language, role,
// channel and day keys.
func (t *tallies) add(keys [6]string, d eula.Decision, n int64) {
	for k, dm := range t.dims {
		i, ok := dm.idx[keys[k]]
		if !ok {
			i = len(*dm.out)
			dm.idx[keys[k]] = i
			*dm.out = append(*dm.out, eula.Tally{Key: keys[k]})
		}
		if d == eula.Declined {
			(*dm.out)[i].Declined += n
		} else {
			(*dm.out)[i].Accepted += n
		}
	}
}

// CountsFromRecords counts every record as Counts does, but from the
// records themselves, not from the maintained tables: the reference the
// tables are tested against.
func (s *Store) CountsFromRecords(ctx context.Context) (eula.Counts, error) {
	return s.readCounts(ctx, s.db,
		`SELECT doc_version, product, doc_language, role, channel, substr(time, 1, 10), decision, count(*)
		FROM records GROUP BY doc_version, product, doc_language, role, channel, substr(time, 1, 10), decision`,
		`SELECT k.product, coalesce(r.doc_version, ''), coalesce(r.decision, ''), count(*)
		FROM (SELECT machine_id, product, max(CASE WHEN doc_id = ? THEN log_index END) AS m FROM records GROUP BY machine_id, product) k
		LEFT JOIN records r ON r.log_index = k.m GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, []any{eula.DocEULA})
}
