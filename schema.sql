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

-- Stream entries: id (ms, seq), fields and values as one MessagePack array.
CREATE TABLE streams (
  key_id INTEGER NOT NULL,
  ms INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (key_id, ms, seq)
) WITHOUT ROWID;

-- Per-stream state that outlives its entries: the last id handed out, the largest deleted id and
-- the count of entries ever added (XINFO, XADD with an explicit id, consumer group lag).
CREATE TABLE stream_meta (
  key_id INTEGER PRIMARY KEY,
  last_ms INTEGER NOT NULL DEFAULT 0,
  last_seq INTEGER NOT NULL DEFAULT 0,
  max_deleted_ms INTEGER NOT NULL DEFAULT 0,
  max_deleted_seq INTEGER NOT NULL DEFAULT 0,
  entries_added INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stream_groups (
  key_id INTEGER NOT NULL,
  name BLOB NOT NULL,
  last_ms INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  entries_read INTEGER,
  PRIMARY KEY (key_id, name)
) WITHOUT ROWID;

CREATE TABLE stream_consumers (
  key_id INTEGER NOT NULL,
  grp BLOB NOT NULL,
  name BLOB NOT NULL,
  seen_at INTEGER NOT NULL,
  active_at INTEGER,
  PRIMARY KEY (key_id, grp, name)
) WITHOUT ROWID;

CREATE TABLE stream_pending (
  key_id INTEGER NOT NULL,
  grp BLOB NOT NULL,
  ms INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  consumer BLOB NOT NULL,
  delivered_at INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL,
  PRIMARY KEY (key_id, grp, ms, seq)
) WITHOUT ROWID;
CREATE INDEX stream_pending_by_consumer ON stream_pending (key_id, grp, consumer, ms, seq);
