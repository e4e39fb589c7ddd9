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

// consoleIndexes serve the console's searches and overview; migrate
// creates them with the schema.
var consoleIndexes = []string{
	`CREATE INDEX IF NOT EXISTS records_time ON records (time)`,
	`CREATE INDEX IF NOT EXISTS records_reference ON records (reference)`,
	`CREATE INDEX IF NOT EXISTS records_eula_latest ON records (doc_id, machine_id, product, log_index)`,
	`CREATE INDEX IF NOT EXISTS records_product_log ON records (product, log_index)`,
	`CREATE INDEX IF NOT EXISTS records_tally ON records (doc_version, product, doc_language, role, channel, decision)`,
	`CREATE INDEX IF NOT EXISTS personal_actor_org ON personal (actor_organization)`,
	`CREATE INDEX IF NOT EXISTS personal_bound_org ON personal (bound_organization)`,
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
		add("(p.actor_organization = ? OR p.bound_organization = ?)", q.Organization, q.Organization)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Search implements eula.ConsoleStore.
func (s *Store) Search(ctx context.Context, q eula.Query, fn func(eula.Record) error) error {
	if err := q.Validate(); err != nil {
		return err
	}
	where, args := searchWhere(q)
	query := selectRecords + where + " ORDER BY r.log_index"
	if q.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, q.Limit)
	}
	if q.Offset > 0 {
		if q.Limit == 0 {
			query += " LIMIT -1" // SQLite needs a LIMIT before OFFSET
			if s.d.Numbered {
				query = strings.TrimSuffix(query, " LIMIT -1")
			}
		}
		query += " OFFSET ?"
		args = append(args, q.Offset)
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
	from := "FROM records r"
	if q.Organization != "" {
		from += " LEFT JOIN personal p ON p.record_id = r.id"
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, s.d.rebind("SELECT count(*) "+from+where), args...).Scan(&n); err != nil {
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
	return c
}

// Counts implements eula.ConsoleStore. Counts made at the current tree
// size are answered from memory.
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

// count makes the counts.
func (s *Store) count(ctx context.Context) (eula.Counts, error) {
	var c eula.Counts
	if err := s.tallies(ctx, &c); err != nil {
		return eula.Counts{}, err
	}
	// The latest EULA decision of each installation: its log index from
	// the index records_eula_latest, then the record.
	err := s.scan(ctx, s.db, `SELECT r.product, r.doc_version, r.decision, count(*) FROM records r
		JOIN (SELECT max(log_index) AS m FROM records WHERE doc_id = ? GROUP BY machine_id, product) l
		ON r.log_index = l.m GROUP BY r.product, r.doc_version, r.decision ORDER BY 1, 2, 3`,
		[]any{eula.DocEULA}, func(rows *sql.Rows) error {
			var l eula.LatestCount
			if err := rows.Scan(&l.Product, &l.Version, &l.Decision, &l.N); err != nil {
				return err
			}
			c.Latest = append(c.Latest, l)
			return nil
		})
	if err != nil {
		return eula.Counts{}, fmt.Errorf("counts of latest decisions: %w", err)
	}
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT DISTINCT machine_id, product FROM records) i`).Scan(&c.Installations)
	if err != nil {
		return eula.Counts{}, fmt.Errorf("count of installations: %w", err)
	}
	return c, nil
}

// tallies counts the records by version, product, language, role and
// channel in one pass over the records_tally index: the groups of all five
// and the decision are few.
func (s *Store) tallies(ctx context.Context, c *eula.Counts) error {
	type dim struct {
		out *[]eula.Tally
		idx map[string]int
	}
	dims := []dim{{&c.ByVersion, map[string]int{}}, {&c.ByProduct, map[string]int{}}, {&c.ByLanguage, map[string]int{}},
		{&c.ByRole, map[string]int{}}, {&c.ByChannel, map[string]int{}}}
	for _, d := range dims {
		*d.out = []eula.Tally{}
	}
	err := s.scan(ctx, s.db, `SELECT doc_version, product, doc_language, role, channel, decision, count(*) FROM records
		GROUP BY doc_version, product, doc_language, role, channel, decision`, nil, func(rows *sql.Rows) error {
		var keys [5]string
		var d eula.Decision
		var n int64
		if err := rows.Scan(&keys[0], &keys[1], &keys[2], &keys[3], &keys[4], &d, &n); err != nil {
			return err
		}
		for k, dm := range dims {
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
		return nil
	})
	if err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	return nil
}
