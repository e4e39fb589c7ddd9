package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/eulagate/eulagate/eula"
)

// The console's overview reads tables that every append keeps up to date
// in its own transaction, so that it reads a few thousand rows instead of
// every record:
//
//   - console_tally counts the records by day (UTC, of the record's time),
//     document version, product, language, role, channel and decision;
//   - console_latest holds, for each installation (installation id and
//     product) with any record, its latest EULA decision: log index,
//     version and decision, or -1, "" and "" while it has none;
//   - console_states counts the rows of console_latest by product,
//     version and decision.
//
// Triggers on records maintain them: an append inserts into records only,
// and the trigger runs in the same statement's transaction, after the
// tree head is locked (appends are serialised by it, also between several
// servers on one database). The status under the re-acceptance rule is
// not stored: it depends on the library's version in force, so the
// overview maps the latest versions to it when it reads. An erasure
// changes no record's counted fields and so none of these tables.

// consoleTablesVersion is the version of the tables and their trigger that
// log_meta notes once they are filled; another value makes the next open
// recreate and refill them.
const consoleTablesVersion = "1"

// consoleTables creates the maintained tables.
var consoleTables = []string{
	`CREATE TABLE IF NOT EXISTS console_tally (
		day TEXT NOT NULL,
		version TEXT NOT NULL,
		product TEXT NOT NULL,
		language TEXT NOT NULL,
		role TEXT NOT NULL,
		channel TEXT NOT NULL,
		decision TEXT NOT NULL,
		n BIGINT NOT NULL,
		PRIMARY KEY (day, version, product, language, role, channel, decision)
	)`,
	`CREATE TABLE IF NOT EXISTS console_latest (
		machine_id TEXT NOT NULL,
		product TEXT NOT NULL,
		log_index BIGINT NOT NULL,
		version TEXT NOT NULL,
		decision TEXT NOT NULL,
		PRIMARY KEY (machine_id, product)
	)`,
	`CREATE TABLE IF NOT EXISTS console_states (
		product TEXT NOT NULL,
		version TEXT NOT NULL,
		decision TEXT NOT NULL,
		n BIGINT NOT NULL,
		PRIMARY KEY (product, version, decision)
	)`,
}

// consoleTriggerSQLite maintains the tables for each inserted record (SQLite
// has row triggers only). {{EULA}} is eula.DocEULA.
var consoleTriggerSQLite = []string{
	`DROP TRIGGER IF EXISTS console_on_append`,
	`CREATE TRIGGER console_on_append AFTER INSERT ON records BEGIN
		INSERT INTO console_tally (day, version, product, language, role, channel, decision, n)
			VALUES (substr(NEW.time, 1, 10), NEW.doc_version, NEW.product, NEW.doc_language, NEW.role, NEW.channel, NEW.decision, 1)
			ON CONFLICT (day, version, product, language, role, channel, decision) DO UPDATE SET n = n + 1;
		UPDATE console_states SET n = n - 1 WHERE NEW.doc_id = '{{EULA}}' AND (product, version, decision) IN
			(SELECT product, version, decision FROM console_latest
			WHERE machine_id = NEW.machine_id AND product = NEW.product AND log_index < NEW.log_index);
		INSERT INTO console_states (product, version, decision, n)
			SELECT NEW.product, NEW.doc_version, NEW.decision, 1 WHERE NEW.doc_id = '{{EULA}}' AND NOT EXISTS
			(SELECT 1 FROM console_latest WHERE machine_id = NEW.machine_id AND product = NEW.product AND log_index >= NEW.log_index)
			UNION ALL
			SELECT NEW.product, '', '', 1 WHERE NEW.doc_id <> '{{EULA}}' AND NOT EXISTS
			(SELECT 1 FROM console_latest WHERE machine_id = NEW.machine_id AND product = NEW.product)
			ON CONFLICT (product, version, decision) DO UPDATE SET n = n + 1;
		INSERT INTO console_latest (machine_id, product, log_index, version, decision)
			SELECT NEW.machine_id, NEW.product, iif(e, NEW.log_index, -1), iif(e, NEW.doc_version, ''), iif(e, NEW.decision, '')
			FROM (SELECT NEW.doc_id = '{{EULA}}' AS e) WHERE true
			ON CONFLICT (machine_id, product) DO UPDATE SET log_index = excluded.log_index, version = excluded.version,
			decision = excluded.decision WHERE excluded.log_index > console_latest.log_index;
	END`,
}

// consoleTriggerPostgres maintains the tables once per statement from its
// transition table: a batch is one statement. {{EULA}} is eula.DocEULA.
var consoleTriggerPostgres = []string{
	`CREATE OR REPLACE FUNCTION console_on_append() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO console_tally (day, version, product, language, role, channel, decision, n)
			SELECT substr(time, 1, 10), doc_version, product, doc_language, role, channel, decision, count(*)
			FROM appended GROUP BY 1, 2, 3, 4, 5, 6, 7
			ON CONFLICT (day, version, product, language, role, channel, decision) DO UPDATE SET n = console_tally.n + excluded.n;
		WITH b AS (
			SELECT DISTINCT ON (machine_id, product) machine_id, product,
				CASE WHEN doc_id = '{{EULA}}' THEN log_index ELSE -1 END AS log_index,
				CASE WHEN doc_id = '{{EULA}}' THEN doc_version ELSE '' END AS version,
				CASE WHEN doc_id = '{{EULA}}' THEN decision ELSE '' END AS decision
			FROM appended ORDER BY machine_id, product, doc_id = '{{EULA}}' DESC, log_index DESC
		), o AS (
			SELECT b.product, b.log_index, b.version, b.decision,
				l.log_index AS old_index, l.version AS old_version, l.decision AS old_decision
			FROM b LEFT JOIN console_latest l ON l.machine_id = b.machine_id AND l.product = b.product
		), d AS (
			SELECT product, old_version AS version, old_decision AS decision, -1 AS n FROM o WHERE log_index > old_index
			UNION ALL
			SELECT product, version, decision, 1 FROM o WHERE old_index IS NULL OR log_index > old_index
		), u AS (
			INSERT INTO console_latest (machine_id, product, log_index, version, decision)
			SELECT machine_id, product, log_index, version, decision FROM b
			ON CONFLICT (machine_id, product) DO UPDATE SET log_index = excluded.log_index, version = excluded.version,
				decision = excluded.decision WHERE excluded.log_index > console_latest.log_index
		)
		INSERT INTO console_states (product, version, decision, n)
			SELECT product, version, decision, sum(n) FROM d GROUP BY 1, 2, 3
			ON CONFLICT (product, version, decision) DO UPDATE SET n = console_states.n + excluded.n;
		RETURN NULL;
	END $$`,
	`DROP TRIGGER IF EXISTS console_on_append ON records`,
	`CREATE TRIGGER console_on_append AFTER INSERT ON records REFERENCING NEW TABLE AS appended
		FOR EACH STATEMENT EXECUTE FUNCTION console_on_append()`,
}

// consoleFill recomputes the maintained tables from the records.
var consoleFill = []string{
	`DELETE FROM console_tally`,
	`DELETE FROM console_latest`,
	`DELETE FROM console_states`,
	`INSERT INTO console_tally (day, version, product, language, role, channel, decision, n)
		SELECT substr(time, 1, 10), doc_version, product, doc_language, role, channel, decision, count(*)
		FROM records GROUP BY substr(time, 1, 10), doc_version, product, doc_language, role, channel, decision`,
	`INSERT INTO console_latest (machine_id, product, log_index, version, decision)
		SELECT r.machine_id, r.product, r.log_index, r.doc_version, r.decision FROM records r
		JOIN (SELECT max(log_index) AS m FROM records WHERE doc_id = '{{EULA}}' GROUP BY machine_id, product) l
		ON r.log_index = l.m`,
	`INSERT INTO console_latest (machine_id, product, log_index, version, decision)
		SELECT machine_id, product, -1, '', '' FROM records WHERE true GROUP BY machine_id, product
		ON CONFLICT (machine_id, product) DO NOTHING`,
	`INSERT INTO console_states (product, version, decision, n)
		SELECT product, version, decision, count(*) FROM console_latest GROUP BY product, version, decision`,
}

// consoleTablesMeta names the log_meta row holding the version of the
// maintained tables and their trigger.
const consoleTablesMeta = "console_tables"

// migrateConsole creates the maintained tables and their trigger in the
// schema transaction tx, and fills them from the records if they were not
// filled by this version of the trigger (a database written before them).
// The tree head is locked first, so that no append of another server
// falls between the fill and the trigger.
func (s *Store) migrateConsole(ctx context.Context, tx *sql.Tx) error {
	var v string
	err := tx.QueryRowContext(ctx, s.d.rebind("SELECT value FROM log_meta WHERE name = ?"), consoleTablesMeta).Scan(&v)
	if err == nil && v == consoleTablesVersion {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("console tables: %w", err)
	}
	var n int64
	if err := tx.QueryRowContext(ctx, s.d.LockHead).Scan(&n); err != nil {
		return fmt.Errorf("console tables: lock tree head: %w", err)
	}
	trigger := consoleTriggerSQLite
	if s.d.TransitionTables {
		trigger = consoleTriggerPostgres
	}
	for _, q := range slices.Concat(consoleTables, trigger, consoleFill) {
		if _, err := tx.ExecContext(ctx, strings.ReplaceAll(q, "{{EULA}}", eula.DocEULA)); err != nil {
			return fmt.Errorf("console tables: %s: %w", strings.Join(strings.Fields(q)[:4], " "), err)
		}
	}
	_, err = tx.ExecContext(ctx, s.d.rebind(`INSERT INTO log_meta (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`), consoleTablesMeta, consoleTablesVersion)
	if err != nil {
		return fmt.Errorf("console tables: %w", err)
	}
	return nil
}

// RebuildConsoleTables recreates the console's maintained tables and their
// trigger and refills them from the records, as the first open of a
// database written before them does: after records were loaded in bulk
// without the trigger, such as by a benchmark.
func (s *Store) RebuildConsoleTables(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, s.d.rebind("DELETE FROM log_meta WHERE name = ?"), consoleTablesMeta); err != nil {
		return fmt.Errorf("rebuild console tables: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		return fmt.Errorf("rebuild console tables: %w", err)
	}
	return nil
}
