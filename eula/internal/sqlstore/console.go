package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/eulagate/eulagate/eula"
)

var _ eula.ConsoleStore = (*Store)(nil)

// consoleIndexes serve the console's searches and overview; migrate
// creates them with the schema.
var consoleIndexes = []string{
	`CREATE INDEX IF NOT EXISTS records_time ON records (time)`,
	`CREATE INDEX IF NOT EXISTS records_reference ON records (reference)`,
	`CREATE INDEX IF NOT EXISTS records_eula_latest ON records (doc_id, machine_id, product, log_index)`,
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

// Counts implements eula.ConsoleStore.
func (s *Store) Counts(ctx context.Context) (eula.Counts, error) {
	var c eula.Counts
	for _, d := range []struct {
		col string
		out *[]eula.Tally
	}{
		{"doc_version", &c.ByVersion}, {"product", &c.ByProduct}, {"doc_language", &c.ByLanguage},
		{"role", &c.ByRole}, {"channel", &c.ByChannel},
	} {
		ts, err := s.tally(ctx, d.col)
		if err != nil {
			return eula.Counts{}, err
		}
		*d.out = ts
	}
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

// tally counts the records by the values of one column and decision.
func (s *Store) tally(ctx context.Context, col string) ([]eula.Tally, error) {
	out := []eula.Tally{}
	idx := map[string]int{}
	err := s.scan(ctx, s.db, "SELECT "+col+", decision, count(*) FROM records GROUP BY "+col+", decision ORDER BY 1", nil,
		func(rows *sql.Rows) error {
			var key string
			var d eula.Decision
			var n int64
			if err := rows.Scan(&key, &d, &n); err != nil {
				return err
			}
			i, ok := idx[key]
			if !ok {
				i = len(out)
				idx[key] = i
				out = append(out, eula.Tally{Key: key})
			}
			if d == eula.Declined {
				out[i].Declined += n
			} else {
				out[i].Accepted += n
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("counts by %s: %w", col, err)
	}
	return out, nil
}
