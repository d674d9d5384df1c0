"""The workspace's SQLite schema: tables, indexes, the schema version and the migrations that reach it.

Plans and debriefs are stored as the JSON of their pydantic models, next to the scalar columns that
queries filter on (call, deal, rep, date, outcome). The version lives in PRAGMA user_version; every
step from an older version is a migration in MIGRATIONS, applied in one transaction and recorded in
the `migrations` table. A workspace written by a newer callkit is refused.

Version 2 (issue 10): deals may have a blank account and close date, and carry a status (open, won,
lost), the date they closed and why they were lost; every import is kept as a dated snapshot
(`imports`, `snapshot_deals`), and changes of stage between snapshots are the deal's stage history;
upgrades are recorded in `migrations`.

Version 3: the call ids handed out for new plans are reserved (`id_reservations`), so two coaches saving
new plans at the same moment never get the same id.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

SCHEMA_VERSION = 3

_DEALS = """
CREATE TABLE deals (
    deal_id     TEXT PRIMARY KEY,
    rep_id      TEXT NOT NULL REFERENCES reps(rep_id),
    account     TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    stage       TEXT NOT NULL,
    close_date  TEXT,
    amount      REAL,
    created     TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    closed_on   TEXT,
    lost_reason TEXT
);
CREATE INDEX deals_rep ON deals(rep_id);
"""

_HISTORY_AND_SNAPSHOTS = """
CREATE TABLE stage_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    deal_id    TEXT NOT NULL REFERENCES deals(deal_id),
    changed_on TEXT NOT NULL,
    stage      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open'
);
CREATE INDEX stage_changes_deal ON stage_changes(deal_id, id);

CREATE TABLE imports (
    import_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    as_of       TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    source      TEXT NOT NULL,
    summary     TEXT NOT NULL
);

CREATE TABLE snapshot_deals (
    import_id  INTEGER NOT NULL REFERENCES imports(import_id),
    deal_id    TEXT NOT NULL,
    stage      TEXT NOT NULL,
    status     TEXT NOT NULL,
    close_date TEXT,
    amount     REAL,
    PRIMARY KEY (import_id, deal_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, what TEXT NOT NULL);
"""

# IF NOT EXISTS: a workspace of an early version 2 already had it
_ID_RESERVATIONS = """
CREATE TABLE IF NOT EXISTS id_reservations (kind TEXT PRIMARY KEY, next INTEGER NOT NULL);
"""

SCHEMA_SQL = """
CREATE TABLE reps (
    rep_id   TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    email    TEXT,
    team     TEXT,
    manager  TEXT
);
""" + _DEALS + """
CREATE TABLE close_dates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    deal_id    TEXT NOT NULL REFERENCES deals(deal_id),
    changed_on TEXT NOT NULL,
    close_date TEXT NOT NULL
);
CREATE INDEX close_dates_deal ON close_dates(deal_id, id);

CREATE TABLE calls (
    call_id TEXT PRIMARY KEY,
    deal_id TEXT NOT NULL REFERENCES deals(deal_id),
    rep_id  TEXT NOT NULL REFERENCES reps(rep_id),
    date    TEXT NOT NULL
);
CREATE INDEX calls_rep_date ON calls(rep_id, date);
CREATE INDEX calls_deal_date ON calls(deal_id, date);
CREATE INDEX calls_date ON calls(date);

CREATE TABLE plans (
    call_id   TEXT PRIMARY KEY REFERENCES calls(call_id),
    objective TEXT NOT NULL,
    json      TEXT NOT NULL,
    saved_at  TEXT NOT NULL
);

CREATE TABLE debriefs (
    call_id  TEXT PRIMARY KEY REFERENCES calls(call_id),
    outcome  TEXT NOT NULL,
    json     TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE INDEX debriefs_outcome ON debriefs(outcome);

CREATE TABLE exercise_results (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rep_id      TEXT NOT NULL,
    workbook    TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    passed      INTEGER NOT NULL,
    score       REAL NOT NULL,
    answered_at TEXT,
    json        TEXT NOT NULL
);
CREATE INDEX exercise_results_rep ON exercise_results(rep_id, workbook);

CREATE TABLE drafts (
    key        TEXT PRIMARY KEY,
    json       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
""" + _HISTORY_AND_SNAPSHOTS + _ID_RESERVATIONS

# version reached -> (what it does, the SQL that takes version - 1 there)
MIGRATIONS: dict[int, tuple[str, str]] = {
    # SQLite cannot relax NOT NULL in place: the deals table is rebuilt (foreign keys are off meanwhile,
    # see migrate), then renamed, so the other tables' references to "deals" hold.
    2: ("deals with status, closed date and lost reason, blank accounts and close dates; stage history; snapshots",
        _DEALS.replace("CREATE TABLE deals (", "CREATE TABLE deals_new (").replace(
            "CREATE INDEX deals_rep ON deals(rep_id);", "") + """
INSERT INTO deals_new (deal_id, rep_id, account, name, stage, close_date, amount, created)
    SELECT deal_id, rep_id, account, name, stage, close_date, amount, created FROM deals ORDER BY rowid;
DROP TABLE deals;
ALTER TABLE deals_new RENAME TO deals;
CREATE INDEX deals_rep ON deals(rep_id);
""" + _HISTORY_AND_SNAPSHOTS),
    3: ("call ids handed out for new plans are reserved", _ID_RESERVATIONS),
}

REQUIRED_TABLES = frozenset({"reps", "deals", "close_dates", "calls", "plans", "debriefs", "exercise_results", "drafts",
                             "stage_changes", "imports", "snapshot_deals", "migrations",
                             "id_reservations"})
V1_TABLES = frozenset({"reps", "deals", "close_dates", "calls", "plans", "debriefs", "exercise_results", "drafts"})


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring an older workspace to SCHEMA_VERSION, one recorded migration at a time, each in one transaction."""
    conn.execute("PRAGMA foreign_keys = OFF")  # the deals table is rebuilt; references are checked after
    try:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            what, sql = MIGRATIONS[target]
            applied_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\n"
                f"INSERT INTO migrations (version, applied_at, what) VALUES ({target}, '{applied_at}', '{what}');\n"
                f"PRAGMA user_version = {target};\nCOMMIT;")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise sqlite3.DatabaseError(f"{len(broken)} records refer to missing ones after the upgrade")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
