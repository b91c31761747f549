-- Redlite schema. src/db/schema.ts applies it to a new file and records its version in
-- PRAGMA user_version; a later version adds a migration there instead of editing this text.

-- One row per key. Strings keep their value in the row (one B-tree write per SET); collections
-- keep their elements in their own tables and their cardinality in `size`, so that LLEN, HLEN,
-- SCARD, ZCARD and XLEN are O(1). Keys and values are BLOBs: Redis keys are binary, and BLOB
-- order is Redis's byte order.
CREATE TABLE keys (
  id INTEGER PRIMARY KEY,
  db INTEGER NOT NULL,          -- logical database, 0-15
  key BLOB NOT NULL,
  type INTEGER NOT NULL,        -- 1 string, 2 hash, 3 list, 4 set, 5 zset, 6 stream
  size INTEGER NOT NULL DEFAULT 0, -- a collection's cardinality
  expire_at INTEGER,            -- unix time in ms; NULL: no expiry
  version INTEGER NOT NULL,     -- changes on every write to the key (WATCH)
  created_at INTEGER NOT NULL,  -- unix time in ms
  updated_at INTEGER NOT NULL,  -- unix time in ms
  -- A string's value; NULL for collections. Last, so that reading the other columns of a key
  -- holding a large string does not walk the value's overflow pages.
  value BLOB
);
CREATE UNIQUE INDEX keys_by_name ON keys (db, key);
CREATE INDEX keys_by_expiry ON keys (expire_at) WHERE expire_at IS NOT NULL;

CREATE TABLE hashes (
  key_id INTEGER NOT NULL,
  field BLOB NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (key_id, field)
) WITHOUT ROWID;

-- Lists keep their order in `pos`: pushes go one gap (1,000,000) beyond either end, inserts take
-- the midpoint between neighbours, and a list is renumbered when a midpoint runs out.
CREATE TABLE lists (
  key_id INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (key_id, pos)
) WITHOUT ROWID;

CREATE TABLE sets (
  key_id INTEGER NOT NULL,
  member BLOB NOT NULL,
  PRIMARY KEY (key_id, member)
) WITHOUT ROWID;

CREATE TABLE zsets (
  key_id INTEGER NOT NULL,
  member BLOB NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (key_id, member)
) WITHOUT ROWID;
CREATE INDEX zsets_by_score ON zsets (key_id, score, member);

-- Streams. An entry id is 16 bytes, its milliseconds then its sequence number, each an unsigned
-- 64-bit big-endian integer: BLOB order is then id order over the whole 64-bit range of both parts
-- (SQLite's signed integers cannot order ids beyond 2^63), as Redis keys its radix tree.
-- An entry's fields and values are one BLOB: each field and value in order, each as its length
-- (an unsigned LEB128 varint) and its bytes. Measured against MessagePack (npm:@msgpack/msgpack,
-- an array of bin) on entries of 3 small fields and of a 1 KB value, it encodes 2 to 5 times and
-- decodes about twice as fast; values come back as views of the BLOB.
CREATE TABLE streams (
  key_id INTEGER NOT NULL,
  id BLOB NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (key_id, id)
) WITHOUT ROWID;

-- Per-stream state that outlives its entries: the last id handed out, the largest deleted id and
-- the count of entries ever added (XINFO, XADD, consumer group lag). entries_added is Redis's
-- unsigned 64-bit counter kept in a signed integer (values from 2^63 read back negative).
CREATE TABLE stream_meta (
  key_id INTEGER PRIMARY KEY,
  last_id BLOB NOT NULL,
  max_deleted_id BLOB NOT NULL,
  entries_added INTEGER NOT NULL
);

-- Redis keeps a stream's entries in a radix tree of listpacks ("nodes") of at most
-- stream-node-max-entries entries and stream-node-max-bytes bytes. Approximate trimming (~) removes
-- whole nodes only, and XINFO STREAM reports the tree's size, so Redlite keeps the same nodes: the
-- node's first (master) id, the last id appended to it (deleted or not), its live and deleted
-- entries, the bytes its listpack would take (without the two counters), and the master entry's
-- fields (encoded as entries' data), which decide whether later entries take fewer bytes.
CREATE TABLE stream_nodes (
  key_id INTEGER NOT NULL,
  id BLOB NOT NULL,
  last_id BLOB NOT NULL,
  live INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  fields BLOB NOT NULL,
  PRIMARY KEY (key_id, id)
) WITHOUT ROWID;

-- Consumer groups: the last id delivered, and the count of entries read (-1: unknown, as Redis).
CREATE TABLE stream_groups (
  key_id INTEGER NOT NULL,
  name BLOB NOT NULL,
  last_id BLOB NOT NULL,
  entries_read INTEGER NOT NULL,
  PRIMARY KEY (key_id, name)
) WITHOUT ROWID;

-- Consumers, with the unix time in ms when they were last seen (Redis 7.0 has no active-time).
CREATE TABLE stream_consumers (
  key_id INTEGER NOT NULL,
  grp BLOB NOT NULL,
  name BLOB NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, grp, name)
) WITHOUT ROWID;

-- Pending entries of each group (delivered, not yet acknowledged), with their consumer.
CREATE TABLE stream_pending (
  key_id INTEGER NOT NULL,
  grp BLOB NOT NULL,
  id BLOB NOT NULL,
  consumer BLOB NOT NULL,
  delivered_at INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL,
  PRIMARY KEY (key_id, grp, id)
) WITHOUT ROWID;
CREATE INDEX stream_pending_by_consumer ON stream_pending (key_id, grp, consumer, id);

-- History (HISTORY ENABLE): the keys whose changes are recorded, by name, so that a key's history
-- outlives DEL and the key's re-creation. retention (ms) and max_versions bound what is kept
-- (NULL: no bound); entries counts the key's rows in key_history (kept by the triggers below).
-- The triggers that record changes of the keys table are created by src/db/history.ts when the
-- first key is enabled and dropped with the last, so that a file with no history pays nothing.
CREATE TABLE history_config (
  db INTEGER NOT NULL,
  key BLOB NOT NULL,
  retention INTEGER,
  max_versions INTEGER,
  entries INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (db, key)
) WITHOUT ROWID;
CREATE INDEX history_config_retained ON history_config (db, key) WHERE retention IS NOT NULL;

-- One row per recorded state of a key, in the order written: from `at` (unix ms) on, the key had
-- this type (0: it did not exist: deleted, expired, renamed or moved away), `version` (the keys
-- row's version; NULL for type 0), `size` (a string's length, a collection's cardinality) and, for
-- a string, `value`. A collection's elements at that state are in key_history_elements; a
-- stream's are not recorded (a stream is itself a log).
CREATE TABLE key_history (
  id INTEGER PRIMARY KEY,
  db INTEGER NOT NULL,
  key BLOB NOT NULL,
  at INTEGER NOT NULL,
  type INTEGER NOT NULL,
  version INTEGER,
  size INTEGER,
  value BLOB
);
CREATE INDEX key_history_by_time ON key_history (db, key, at);

-- The elements of a recorded collection: a hash's fields (member) and values, a list's values
-- (member) at their positions, a set's members, a sorted set's members and scores.
CREATE TABLE key_history_elements (
  history_id INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  member BLOB NOT NULL,
  value BLOB,
  score REAL,
  PRIMARY KEY (history_id, pos, member)
) WITHOUT ROWID;

-- Every new state counts toward its key's MAXVERSIONS (the oldest beyond it go) and RETENTION
-- (states replaced longer ago than it go, keeping the one in force at that time).
CREATE TRIGGER key_history_bounded AFTER INSERT ON key_history BEGIN
  UPDATE history_config SET entries = entries + 1 WHERE db = NEW.db AND key = NEW.key;
  DELETE FROM key_history WHERE id IN (
    SELECT id FROM key_history WHERE db = NEW.db AND key = NEW.key ORDER BY at, id
    LIMIT coalesce((SELECT entries - max_versions FROM history_config
      WHERE db = NEW.db AND key = NEW.key AND entries > max_versions), 0));
  DELETE FROM key_history WHERE db = NEW.db AND key = NEW.key AND (at, id) < (
    SELECT at, id FROM key_history WHERE db = NEW.db AND key = NEW.key
      AND at <= NEW.at - (SELECT retention FROM history_config WHERE db = NEW.db AND key = NEW.key)
    ORDER BY at DESC, id DESC LIMIT 1);
END;
CREATE TRIGGER key_history_forgotten AFTER DELETE ON key_history BEGIN
  UPDATE history_config SET entries = entries - 1 WHERE db = OLD.db AND key = OLD.key;
  DELETE FROM key_history_elements WHERE history_id = OLD.id;
END;

-- Full-text search (FTS ENABLE): the glob patterns whose string keys and hash fields are indexed,
-- per database. A pattern is tested in SQL as a range of keys (its literal prefix, below `upper`)
-- and, unless it is that prefix and `*`, a SQLite GLOB (`glob`, Redis's pattern translated). The
-- triggers that keep the index are created by src/db/search.ts with the first pattern and dropped
-- with the last.
CREATE TABLE fts_patterns (
  db INTEGER NOT NULL,
  pattern BLOB NOT NULL,
  prefix BLOB NOT NULL,
  upper BLOB,
  glob BLOB,
  PRIMARY KEY (db, pattern)
) WITHOUT ROWID;

-- One indexed document per string key (field NULL) or hash field; its id is the rowid of its text
-- in the FTS5 table.
CREATE TABLE fts_docs (
  id INTEGER PRIMARY KEY,
  db INTEGER NOT NULL,
  key BLOB NOT NULL,
  field BLOB
);
CREATE INDEX fts_docs_by_key ON fts_docs (db, key, field);
CREATE VIRTUAL TABLE fts USING fts5(value, tokenize = 'unicode61 remove_diacritics 2');
