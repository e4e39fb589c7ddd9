package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/eula/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// metaErasureEntries names the log_meta row that says since which tree
// size erasures are logged. Its absence is what makes Open log the
// erasures made before (legacy entries), once.
const metaErasureEntries = "erasure_entries"

// Erase implements eula.Store. In one transaction, under the tree head's
// lock, it deletes the personal data, marks the records erased and appends
// one erasure entry per record to the log, with a signed checkpoint.
func (s *Store) Erase(ctx context.Context, email string) ([]string, error) {
	key := eula.NormalizeEmail(email)
	if key == "" {
		return nil, fmt.Errorf("erase: empty e-mail address: %w", eula.ErrInvalid)
	}
	tx, err := s.db.BeginTx(ctx, s.d.WriteTx)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	defer tx.Rollback() // No effect after Commit.
	var n int64
	if err := tx.QueryRowContext(ctx, s.d.LockHead).Scan(&n); err != nil {
		return nil, fmt.Errorf("erase: lock tree head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT r.id, r.log_index FROM personal p JOIN records r ON r.id = p.record_id
		WHERE p.actor_email_key = ? OR p.bound_email_key = ? ORDER BY r.log_index`), key, key)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	ids := []string{}
	var entries []eula.Erasure
	at := s.opt.Now().UTC().Truncate(time.Microsecond)
	for rows.Next() {
		e := eula.Erasure{Time: at}
		if err := rows.Scan(&e.RecordID, &e.RecordIndex); err != nil {
			rows.Close()
			return nil, fmt.Errorf("erase: %w", err)
		}
		e.Index = n + int64(len(entries))
		entries = append(entries, e)
		ids = append(ids, e.RecordID)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	for _, e := range entries {
		// The idempotency fingerprint hashes the request with its names, so
		// it goes too; a retry of an erased request then conflicts.
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"DELETE FROM personal WHERE record_id = ?", []any{e.RecordID}},
			{"UPDATE records SET erased_at = ? WHERE id = ?", []any{at.Format(eula.TimeLayout), e.RecordID}},
			{"UPDATE idempotency SET fingerprint = 'erased' WHERE record_id = ?", []any{e.RecordID}},
		} {
			if _, err := tx.ExecContext(ctx, s.d.rebind(q.sql), q.args...); err != nil {
				return nil, fmt.Errorf("erase: %w", err)
			}
		}
	}
	hashes, start, err := s.appendErasures(ctx, tx, n, entries)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("erase: commit: %w", err)
	}
	for i, h := range hashes {
		s.cache.put(start+int64(i), h)
	}
	for _, q := range s.d.Scrub {
		// Best effort: the erasure is committed; scrubbing only hastens the
		// overwriting of old copies, which normal operation also does.
		s.db.ExecContext(ctx, q)
	}
	return ids, nil
}

// appendErasures appends the erasure entries, numbered from n on, to a log
// of size n whose tree head tx has locked: their rows, the log's new
// hashes, a signed checkpoint and the tree head. It returns the new hashes
// and the storage index of the first, to cache once committed.
func (s *Store) appendErasures(ctx context.Context, tx *sql.Tx, n int64, entries []eula.Erasure) ([]tlog.Hash, int64, error) {
	if len(entries) == 0 {
		return nil, 0, nil
	}
	leaves := make([]tlog.Hash, len(entries))
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			return nil, 0, err
		}
		leaves[i] = tlog.RecordHash(e.LeafData())
		legacy := int64(0)
		if e.Legacy {
			legacy = 1
		}
		_, err := tx.ExecContext(ctx, s.d.rebind("INSERT INTO erasures (log_index, record_id, record_index, time, legacy) VALUES (?, ?, ?, ?, ?)"),
			e.Index, e.RecordID, e.RecordIndex, e.Time.UTC().Format(eula.TimeLayout), legacy)
		if err != nil {
			return nil, 0, fmt.Errorf("insert erasure entry: %w", err)
		}
	}
	start, hashes, root, err := translog.Extend(ctx, n, leaves, func(ctx context.Context, x []int64) ([]tlog.Hash, error) {
		return s.readHashes(ctx, tx, x, true)
	})
	if err != nil {
		return nil, 0, err
	}
	for i, h := range hashes {
		if _, err := tx.ExecContext(ctx, s.d.rebind("INSERT INTO hashes (idx, hash) VALUES (?, ?)"), start+int64(i), h[:]); err != nil {
			return nil, 0, fmt.Errorf("insert hash: %w", err)
		}
	}
	size := n + int64(len(entries))
	signed, err := eula.SignCheckpoint(s.opt.Signer, tlog.Tree{N: size, Hash: root})
	if err != nil {
		return nil, 0, err
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind("INSERT INTO checkpoints (tree_size, note) VALUES (?, ?)"), size, string(signed)); err != nil {
		return nil, 0, fmt.Errorf("insert checkpoint: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind("UPDATE tree_head SET size = ? WHERE id = 1"), size); err != nil {
		return nil, 0, fmt.Errorf("update tree head: %w", err)
	}
	return hashes, start, nil
}

// logLegacyErasures runs once per database, when the store first opens it
// with erasure entries: it appends a legacy erasure entry for each record
// erased before (the erased mark, without an entry), so that from then on
// every erased mark has its entry in the log and a mark set behind the
// log's back is reported by an audit. It then notes in log_meta the tree
// size since which erasures are logged. A fresh database gets the note and
// no entries.
func (s *Store) logLegacyErasures(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, s.d.WriteTx)
	if err != nil {
		return fmt.Errorf("log earlier erasures: %w", err)
	}
	defer tx.Rollback() // No effect after Commit.
	var n int64
	if err := tx.QueryRowContext(ctx, s.d.LockHead).Scan(&n); err != nil {
		return fmt.Errorf("log earlier erasures: lock tree head: %w", err)
	}
	var since string
	err = tx.QueryRowContext(ctx, s.d.rebind("SELECT value FROM log_meta WHERE name = ?"), metaErasureEntries).Scan(&since)
	if err == nil {
		return nil // Done before.
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("log earlier erasures: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, log_index, erased_at FROM records r WHERE erased_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.record_id = r.id) ORDER BY log_index`)
	if err != nil {
		return fmt.Errorf("log earlier erasures: %w", err)
	}
	var entries []eula.Erasure
	for rows.Next() {
		var at string
		e := eula.Erasure{Legacy: true, Index: n + int64(len(entries))}
		if err := rows.Scan(&e.RecordID, &e.RecordIndex, &at); err != nil {
			rows.Close()
			return fmt.Errorf("log earlier erasures: %w", err)
		}
		if e.Time, err = time.Parse(eula.TimeLayout, at); err != nil {
			e.Time = s.opt.Now().UTC().Truncate(time.Microsecond) // The mark's time is unreadable; the entry's is now.
		}
		entries = append(entries, e)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("log earlier erasures: %w", err)
	}
	hashes, start, err := s.appendErasures(ctx, tx, n, entries)
	if err != nil {
		return fmt.Errorf("log earlier erasures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind("INSERT INTO log_meta (name, value) VALUES (?, ?)"), metaErasureEntries, strconv.FormatInt(n, 10)); err != nil {
		return fmt.Errorf("log earlier erasures: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("log earlier erasures: commit: %w", err)
	}
	for i, h := range hashes {
		s.cache.put(start+int64(i), h)
	}
	return nil
}

// Erasures implements eula.Store.
func (s *Store) Erasures(ctx context.Context, fn func(eula.Erasure) error) error {
	rows, err := s.db.QueryContext(ctx, "SELECT log_index, record_id, record_index, time, legacy FROM erasures ORDER BY log_index")
	if err != nil {
		return fmt.Errorf("erasures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanErasure(rows)
		if err != nil {
			return fmt.Errorf("erasures: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("erasures: %w", err)
	}
	return nil
}

// ErasureOf returns the erasure entry of the record with this id.
// Errors: eula.ErrNotFound when the log has none.
func (s *Store) ErasureOf(ctx context.Context, recordID string) (eula.Erasure, error) {
	row := s.db.QueryRowContext(ctx, s.d.rebind("SELECT log_index, record_id, record_index, time, legacy FROM erasures WHERE record_id = ?"), recordID)
	e, err := scanErasure(row)
	if errors.Is(err, sql.ErrNoRows) {
		return eula.Erasure{}, fmt.Errorf("erasure entry of %s: %w", clip(recordID), eula.ErrNotFound)
	}
	if err != nil {
		return eula.Erasure{}, fmt.Errorf("erasure entry of %s: %w", clip(recordID), err)
	}
	return e, nil
}

func scanErasure(sc scanner) (eula.Erasure, error) {
	var e eula.Erasure
	var at string
	var legacy int64
	if err := sc.Scan(&e.Index, &e.RecordID, &e.RecordIndex, &at, &legacy); err != nil {
		return eula.Erasure{}, err
	}
	// An unreadable time stays zero: the entry's leaf then differs from
	// the one logged, which an audit reports.
	e.Time, _ = time.Parse(eula.TimeLayout, at)
	e.Legacy = legacy != 0
	return e, nil
}
