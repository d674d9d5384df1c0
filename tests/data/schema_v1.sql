-- A callkit workspace of schema version 1 (callkit before deal status and snapshots), for the migration tests:
-- its tables and columns as version 1 had them (indexes left out: the upgrade does not depend on them).
CREATE TABLE reps (rep_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, team TEXT, manager TEXT);
CREATE TABLE deals (deal_id TEXT PRIMARY KEY, rep_id TEXT NOT NULL REFERENCES reps(rep_id), account TEXT NOT NULL,
                    name TEXT NOT NULL, stage TEXT NOT NULL, close_date TEXT NOT NULL, amount REAL, created TEXT);
CREATE TABLE close_dates (id INTEGER PRIMARY KEY AUTOINCREMENT, deal_id TEXT NOT NULL REFERENCES deals(deal_id),
                          changed_on TEXT NOT NULL, close_date TEXT NOT NULL);
CREATE TABLE calls (call_id TEXT PRIMARY KEY, deal_id TEXT NOT NULL REFERENCES deals(deal_id),
                    rep_id TEXT NOT NULL REFERENCES reps(rep_id), date TEXT NOT NULL);
CREATE TABLE plans (call_id TEXT PRIMARY KEY REFERENCES calls(call_id), objective TEXT NOT NULL, json TEXT NOT NULL,
                    saved_at TEXT NOT NULL);
CREATE TABLE debriefs (call_id TEXT PRIMARY KEY REFERENCES calls(call_id), outcome TEXT NOT NULL, json TEXT NOT NULL,
                       saved_at TEXT NOT NULL);
CREATE TABLE exercise_results (id INTEGER PRIMARY KEY AUTOINCREMENT, rep_id TEXT NOT NULL, workbook TEXT NOT NULL,
                               item_id TEXT NOT NULL, passed INTEGER NOT NULL, score REAL NOT NULL, answered_at TEXT,
                               json TEXT NOT NULL);
CREATE TABLE drafts (key TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at TEXT NOT NULL);
PRAGMA user_version = 1;
