-- callkit workspace schema version 1 (callkit before deal status and snapshots), for the migration test.
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
