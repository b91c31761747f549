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
-- (Version 4 replaced this table with one of chunks of up to 128 elements: see src/db/schema.ts.)
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
