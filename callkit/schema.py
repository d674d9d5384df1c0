"""The workspace's SQLite schema: tables, indexes and the schema version recorded in PRAGMA user_version.

Plans and debriefs are stored as the JSON of their pydantic models, next to the scalar columns that
queries filter on (call, deal, rep, date, outcome). Bump SCHEMA_VERSION (and teach Workspace.open to
upgrade older files) whenever the tables change; a workspace written by a newer callkit is refused.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA_SQL = """
CREATE TABLE reps (
    rep_id   TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    email    TEXT,
    team     TEXT,
    manager  TEXT
);

CREATE TABLE deals (
    deal_id    TEXT PRIMARY KEY,
    rep_id     TEXT NOT NULL REFERENCES reps(rep_id),
    account    TEXT NOT NULL,
    name       TEXT NOT NULL,
    stage      TEXT NOT NULL,
    close_date TEXT NOT NULL,
    amount     REAL,
    created    TEXT
);
CREATE INDEX deals_rep ON deals(rep_id);

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
"""

REQUIRED_TABLES = frozenset({"reps", "deals", "close_dates", "calls", "plans", "debriefs", "exercise_results", "drafts"})
