/**
 * The key cache of a batch (the server's group commit): the metadata of the keys the batch's
 * commands found or created, by name, with a string's value once read, and the writes to their
 * keys rows (cardinality, or a string's value and expiry; version, time) kept back until the
 * batch ends. Fifty LPUSHes to one list then cost one lookup of the key and one UPDATE of its
 * row, not fifty of each; fifty GETs of one key, one lookup. For cached keys it also holds a
 * list's end chunks, as the batch's pushes and pops changed them, written at flush; the writes of
 * hash fields it knows exist, kept back; and which hash fields and set members are present, and
 * sorted set members' scores.
 *
 * The cache is true inside one transaction: a write transaction, when no other process can write,
 * or the snapshot of a read transaction. A server batch that commits keeps it for the next one,
 * which uses it only when nothing changed a row in between (the {@linkcode Store} checks SQLite's
 * `total_changes()` and `data_version`, and empties it otherwise). Inside a transaction the
 * {@linkcode Store} keeps it true: a statement that reads the keys table sees the kept-back
 * writes first (the store flushes them), and one that writes it empties the cache; one naming
 * the lists or hashes table sees their kept-back writes made (and the batch forgets the list
 * chunks it held), and one writing the hashes, sets or zsets table makes the batch forget the
 * elements it knew. Only the statements of `keyspace.ts` that find or create one key by name,
 * the element writes of HSET, SADD and ZADD, and the reads and writes of a list's end chunks
 * (`valuesBesideCache`, `writeBesideCache`) read or write around it.
 *
 * @module
 */

import { byteString, dbKeyString } from "./bytes.ts";
import { decimalLength, type Int64, integerBytes, writeDecimal } from "./numbers.ts";
import type { KeyMeta } from "./keyspace.ts";
import type { ChunkWrite, ListEnds } from "./list_chunks.ts";

/** Keys longer than this are not cached: their names would cost more than the lookup saves. */
const LONGEST_CACHED_KEY = 256;

/** More keys than this in one batch: the cache is flushed and emptied, to bound its memory. */
export const MOST_CACHED_KEYS = 10_000;

/** More keys than this at the end of a batch: the cache is emptied, not kept for the next. */
export const MOST_KEPT_KEYS = 1_000;

/**
 * More bytes than this in the list end chunks the cache holds at the end of a batch (a chunk may
 * hold one long element): the cache is emptied, not kept for the next.
 */
export const MOST_KEPT_LIST_BYTES = 1024 * 1024;

/**
 * Longer string values are neither cached nor kept back (they are read and written at once): a
 * batch's memory stays bounded, and copying them would cost more than the statement saves.
 */
export const LONGEST_CACHED_VALUE = 16 * 1024;

/** The most bytes of string values one batch caches (beyond, values are read and written at once). */
export const MOST_CACHED_VALUE_BYTES = 4 * 1024 * 1024;

/**
 * The size of the chunks the cache copies values into: one allocation per chunk, not one per
 * value (a new ArrayBuffer costs as much as a statement).
 */
const VALUE_CHUNK = 2 * LONGEST_CACHED_VALUE;

/** A write to a keys row kept back: its new cardinality, version and time. */
export interface PendingWrite {
  /** The keys row's id. */
  readonly id: number;
  /** The cardinality. */
  readonly size: number;
  /** The version. */
  readonly version: number;
  /** `updated_at`, Unix time in ms. */
  readonly updatedAt: number;
  /** A string's new value, with its expiry; undefined when the value was not written. */
  readonly value?: Uint8Array;
  /** A string's expiry (with `value`): Unix time in ms, or null. */
  readonly expireAt: number | null;
}

/**
 * A write of a hash field's value kept back: `sql` runs with the value, the key id and the
 * field (an UPDATE of a field that exists).
 */
export interface PendingFieldWrite {
  /** The statement: parameters value, key id, field. */
  readonly sql: string;
  /** The field's new value. */
  value: Uint8Array;
  /** The hash's key id. */
  readonly id: number;
  /** The field. */
  readonly field: Uint8Array;
}

/** The most elements (hash fields, set members, sorted set scores) one batch remembers. */
const MOST_KNOWN_ELEMENTS = 10_000;

/** Longer elements are not remembered: their names would cost more than the lookup saves. */
const LONGEST_KNOWN_ELEMENT = 256;

/**
 * A copy of the last bytes a name was made of (as long as the longest key or element that has a
 * name), to tell whether new bytes are the same: the name, and the hash that a Map computed for
 * it once, are then reused. (Commands of a batch often name the same key and element, each in a
 * bytes object of its own.)
 */
class LastBytes {
  readonly #bytes = new Uint8Array(Math.max(LONGEST_CACHED_KEY, LONGEST_KNOWN_ELEMENT));
  #length = -1;

  /** Whether `bytes` are the bytes held. */
  matches(bytes: Uint8Array): boolean {
    if (bytes.length !== this.#length) return false;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== this.#bytes[i]) return false;
    return true;
  }

  /** Holds a copy of `bytes` (none when they are longer than it holds: they never match then). */
  hold(bytes: Uint8Array): void {
    if (bytes.length > this.#bytes.length) {
      this.#length = -1;
      return;
    }
    this.#bytes.set(bytes);
    this.#length = bytes.length;
  }
}

interface CachedKey {
  readonly meta: KeyMeta;
  // A list's end chunks, when the batch keeps them (its changes are written at flush).
  ends?: ListEnds;
  // Hash fields or set members the batch knows are present, by byteString; with a hash field's
  // kept-back write when there is one.
  present?: Map<string, PendingFieldWrite | null>;
  // Sorted set members the batch knows the scores of, by byteString.
  scores?: Map<string, number>;
  // A string's value once read or written; undefined when not known.
  value: Uint8Array | undefined;
  updatedAt: number;
  pending: boolean;
  valueWritten: boolean;
  // Used by more than one command of the batch: asked for before it was cached, or found
  // again by a later command than the one that cached it.
  reused: boolean;
}

/**
 * Cached key metadata and kept-back writes, for one write transaction.
 *
 * @example
 * ```ts
 * const cache = new KeyCache();
 * const key = new TextEncoder().encode("l");
 * cache.remember(0, key, { id: 7, type: 3, size: 1, expireAt: null, version: 1 });
 * cache.find(0, key)?.size; // 1
 * cache.keepBack(7, 2, 2, Date.now()); // true: the row is written at flush
 * cache.takePending(); // [{ id: 7, size: 2, version: 2, updatedAt: ... }]
 * ```
 */
export class KeyCache {
  readonly #byName = new Map<string, CachedKey>();
  readonly #onKeptBack: () => void;
  readonly #byId = new Map<number, CachedKey>();
  #pending: CachedKey[] = [];
  // The cached lists whose end chunks the batch keeps.
  #withEnds: CachedKey[] = [];
  #pendingFields: PendingFieldWrite[] = [];
  #knownElements = 0;
  #valueBytes = 0;
  // Where copies of values go: a chunk shared by the batch's values, never written twice.
  #chunk = new Uint8Array(0);
  #chunkUsed = 0;
  // Keys the batch looked for once without finding them cached: the second time, they are.
  readonly #missed = new Set<string>();
  // Keys the last server batch used more than once, and those this one has so far (gathered at
  // each clear: a server batch may clear the cache several times): cached at their first ask.
  #hot = new Set<string>();
  #reusedNow = new Set<string>();
  // Whether anything was cached since the last endBatch.
  #cachedSinceEnd = false;
  #lastKey: Uint8Array | null = null;
  readonly #lastKeyBytes = new LastBytes();
  #lastDb = -1;
  #lastName = "";
  #lastElement: Uint8Array | null = null;
  readonly #lastElementBytes = new LastBytes();
  #lastElementName = "";

  /** @param onKeptBack called for every write kept back (the store counts it as a change) */
  constructor(onKeptBack: () => void = () => {}) {
    this.#onKeptBack = onKeptBack;
  }

  /** How many keys are cached. */
  get size(): number {
    return this.#byId.size;
  }

  /**
   * Whether the cache is worth keeping for the next batch, and small enough: at most
   * {@linkcode MOST_KEPT_KEYS} keys and {@linkcode MOST_KEPT_LIST_BYTES} of list end chunks, and
   * half of each budget (values' bytes, known elements) left for the batches that use it.
   *
   * @example
   * ```ts
   * new KeyCache().keepable; // false: it holds nothing
   * ```
   */
  get keepable(): boolean {
    return this.#byId.size > 0 && this.#byId.size <= MOST_KEPT_KEYS &&
      this.#valueBytes <= MOST_CACHED_VALUE_BYTES / 2 &&
      this.#knownElements <= MOST_KNOWN_ELEMENTS / 2 &&
      this.#listEndBytes() <= MOST_KEPT_LIST_BYTES;
  }

  // The bytes of the list end chunks held (a chunk at both ends counted once).
  #listEndBytes(): number {
    let bytes = 0;
    for (const { ends } of this.#withEnds) {
      bytes += ends!.LEFT?.bytes ?? 0;
      if (ends!.RIGHT !== ends!.LEFT) bytes += ends!.RIGHT?.bytes ?? 0;
    }
    return bytes;
  }

  /**
   * Ends a transaction whose cache the next batch may use (the store checks that nothing changed
   * in between): forgets what only the transaction needed, the keys it asked for once and the
   * last names' bytes. Its writes must all be taken.
   *
   * @example
   * ```ts
   * new KeyCache().endTransaction();
   * ```
   */
  endTransaction(): void {
    this.#lastKey = null;
    this.#lastElement = null;
    this.#missed.clear();
  }

  /** Whether writes are kept back. */
  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /** Whether the batch keeps lists' end chunks (with changes to write, or not). */
  get hasListEnds(): boolean {
    return this.#withEnds.length > 0;
  }

  /** Whether writes of hash fields' values are kept back. */
  get hasPendingFields(): boolean {
    return this.#pendingFields.length > 0;
  }

  /**
   * The cached metadata of a key (the object every finder of the key shares), or undefined.
   *
   * @example
   * ```ts
   * new KeyCache().find(0, new TextEncoder().encode("k")); // undefined
   * ```
   */
  find(db: number, key: Uint8Array): KeyMeta | undefined {
    return this.#entry(db, key)?.meta;
  }

  /**
   * A cached string's value, or undefined when the key is not cached or its value not known.
   *
   * @example
   * ```ts
   * new KeyCache().findValue(0, new TextEncoder().encode("k")); // undefined
   * ```
   */
  findValue(db: number, key: Uint8Array): Uint8Array | undefined {
    return this.#entry(db, key)?.value;
  }

  /**
   * Whether the key with this row id is cached.
   *
   * @example
   * ```ts
   * new KeyCache().holds(1); // false
   * ```
   */
  holds(id: number): boolean {
    return this.#byId.has(id);
  }

  /**
   * Whether a key not cached is worth caching: true when the batch asked for it before, or when
   * this server batch or the one before ({@linkcode endBatch}) used it more than once (a key
   * used once per batch, as with random keys, costs no cache entry; one that every batch uses,
   * as redis-benchmark's, is cached at its first use). Records the ask.
   *
   * @example
   * ```ts
   * const cache = new KeyCache();
   * const key = new TextEncoder().encode("k");
   * cache.worthCaching(0, key); // false: the first time
   * cache.worthCaching(0, key); // true
   * ```
   */
  worthCaching(db: number, key: Uint8Array): boolean {
    if (key.length > LONGEST_CACHED_KEY) return false;
    const name = this.#name(db, key);
    if (this.#missed.has(name) || this.#hot.has(name) || this.#reusedNow.has(name)) return true;
    if (this.#missed.size >= MOST_CACHED_KEYS) this.#missed.clear();
    this.#missed.add(name);
    return false;
  }

  #entry(db: number, key: Uint8Array): CachedKey | undefined {
    if (key.length > LONGEST_CACHED_KEY) return undefined;
    // Another bytes object than the last one asked about: another command (or argument).
    const another = key !== this.#lastKey || db !== this.#lastDb;
    const entry = this.#byName.get(this.#name(db, key));
    if (another && entry !== undefined) entry.reused = true;
    return entry;
  }

  // A key's name in the maps. A command asks about the same key (the same bytes object, whose
  // bytes do not change while the command runs) several times in a row (find, then cache, then
  // remember): the last name is reused.
  #name(db: number, key: Uint8Array): string {
    if (key === this.#lastKey && db === this.#lastDb) return this.#lastName;
    this.#lastKey = key;
    if (db !== this.#lastDb || !this.#lastKeyBytes.matches(key)) {
      this.#lastDb = db;
      this.#lastName = dbKeyString(db, key);
      this.#lastKeyBytes.hold(key);
    }
    return this.#lastName;
  }

  /**
   * A copy of `value` for the cache to keep, where the caller's bytes may change later (a view
   * of a connection's buffer). Values up to {@linkcode LONGEST_CACHED_VALUE} share chunks.
   *
   * @example
   * ```ts
   * const buffer = new Uint8Array([49, 50]);
   * const copy = new KeyCache().copy(buffer);
   * buffer[0] = 0;
   * copy[0]; // 49
   * ```
   */
  copy(value: Uint8Array): Uint8Array {
    if (value.length > LONGEST_CACHED_VALUE) return value.slice();
    const start = this.#reserve(value.length);
    this.#chunk.set(value, start);
    return this.#chunkView(start);
  }

  /**
   * An integer's decimal text (INCR's new value) for the cache to keep, in a shared chunk as
   * {@linkcode copy}: a safe integer's digits are written there without a string
   * ({@linkcode writeDecimal}).
   *
   * @example
   * ```ts
   * new KeyCache().integerCopy(-12); // the bytes of "-12"
   * ```
   */
  integerCopy(value: Int64): Uint8Array {
    if (!Number.isSafeInteger(value)) return this.copy(integerBytes(value));
    const start = this.#reserve(decimalLength(value as number));
    writeDecimal(this.#chunk, start, value as number);
    return this.#chunkView(start);
  }

  // The chunk's bytes from `start` to what is used: made from its ArrayBuffer (the cache's own, at
  // offset 0), which V8 does in half the time of a subarray.
  #chunkView(start: number): Uint8Array {
    return new Uint8Array(this.#chunk.buffer, start, this.#chunkUsed - start);
  }

  // Room for `length` bytes in the chunk (a new chunk when the current one is full): where
  // they start.
  #reserve(length: number): number {
    if (this.#chunkUsed + length > this.#chunk.length) {
      this.#chunk = new Uint8Array(VALUE_CHUNK);
      this.#chunkUsed = 0;
    }
    const start = this.#chunkUsed;
    this.#chunkUsed += length;
    return start;
  }

  /**
   * Caches a key's metadata as the keys table holds it (a key found or created by name), with
   * a string's value when it was read.
   *
   * @example
   * ```ts
   * new KeyCache().remember(0, new TextEncoder().encode("k"), { id: 1, type: 2, size: 0, expireAt: null, version: 1 });
   * ```
   */
  remember(db: number, key: Uint8Array, meta: KeyMeta, value?: Uint8Array): void {
    if (key.length > LONGEST_CACHED_KEY) return;
    if (value !== undefined && !this.#roomFor(value)) value = undefined;
    const name = this.#name(db, key);
    const entry: CachedKey = {
      meta,
      value,
      updatedAt: 0,
      pending: false,
      valueWritten: false,
      // Cached at the second ask: the batch uses it more than once.
      reused: this.#missed.has(name),
    };
    this.#byName.set(name, entry);
    this.#byId.set(meta.id, entry);
    this.#cachedSinceEnd = true;
  }

  /**
   * Keeps back a write of a cached key's row: its cardinality (undefined: unchanged), version
   * and time are taken at flush. Returns false, writing nothing, when the key is not cached (the caller writes the
   * row itself).
   *
   * @example
   * ```ts
   * new KeyCache().keepBack(1, 3, 9, Date.now()); // false: key 1 is not cached
   * ```
   */
  keepBack(id: number, size: number | undefined, version: number, now: number): boolean {
    const entry = this.#byId.get(id);
    if (entry === undefined) return false;
    if (size !== undefined) entry.meta.size = size;
    this.#written(entry, version, now);
    return true;
  }

  /**
   * Keeps back the write of a cached string's value and expiry (the value must not change
   * afterwards: the caller hands over its own copy). Returns false, writing nothing, when the
   * key is not cached, the value is longer than {@linkcode LONGEST_CACHED_VALUE}, or the batch
   * cached {@linkcode MOST_CACHED_VALUE_BYTES} of values already.
   *
   * @example
   * ```ts
   * new KeyCache().keepBackValue(1, new Uint8Array([49]), null, 9, Date.now()); // false
   * ```
   */
  keepBackValue(
    id: number,
    value: Uint8Array,
    expireAt: number | null,
    version: number,
    now: number,
  ): boolean {
    const entry = this.#byId.get(id);
    if (entry === undefined || !this.#roomFor(value)) return false;
    entry.value = value;
    entry.meta.expireAt = expireAt;
    entry.valueWritten = true;
    this.#written(entry, version, now);
    return true;
  }

  /**
   * The end chunks of a cached list that the batch keeps ({@linkcode keepListEnds}), while no
   * statement has named the lists table since.
   *
   * @example
   * ```ts
   * new KeyCache().listEnds(1); // undefined
   * ```
   */
  listEnds(id: number): ListEnds | undefined {
    return this.#byId.get(id)?.ends;
  }

  /**
   * Keeps a cached list's end chunks for the batch's next pushes and pops: the chunks they
   * changed are written at flush ({@linkcode takeChunkWrites}). False, keeping nothing, when the
   * key is not cached.
   *
   * @example
   * ```ts
   * import { newListEnds } from "./list_chunks.ts";
   * new KeyCache().keepListEnds(1, newListEnds()); // false: key 1 is not cached
   * ```
   */
  keepListEnds(id: number, ends: ListEnds): boolean {
    const entry = this.#byId.get(id);
    if (entry === undefined) return false;
    if (entry.ends === undefined) this.#withEnds.push(entry);
    entry.ends = ends;
    return true;
  }

  /**
   * Forgets the end chunks kept for one list, or for all (before a statement naming the lists
   * table, once their changes are written). Their changes are not written.
   *
   * @example
   * ```ts
   * new KeyCache().forgetListEnds();
   * ```
   */
  forgetListEnds(id?: number): void {
    if (id !== undefined) {
      const entry = this.#byId.get(id);
      if (entry?.ends === undefined) return;
      entry.ends = undefined;
      this.#withEnds = this.#withEnds.filter((other) => other !== entry);
      return;
    }
    for (const entry of this.#withEnds) entry.ends = undefined;
    this.#withEnds = [];
  }

  /**
   * The writes of the kept end chunks that changed; they are the caller's to run now. The chunks
   * stay kept, as written.
   *
   * @example
   * ```ts
   * new KeyCache().takeChunkWrites(); // []
   * ```
   */
  takeChunkWrites(): ChunkWrite[] {
    const writes: ChunkWrite[] = [];
    for (const { meta, ends } of this.#withEnds) {
      for (const chunk of ends!.touched) {
        const write = chunk.write(meta.id);
        if (write !== null) writes.push(write);
      }
      ends!.touched = ends!.touched.filter((chunk) =>
        chunk === ends!.LEFT || chunk === ends!.RIGHT
      );
    }
    return writes;
  }

  /**
   * Whether the batch knows that a cached hash has the field, or a cached set the member (as
   * {@linkcode rememberElement} recorded, and no statement has changed the table since).
   *
   * @example
   * ```ts
   * new KeyCache().knowsElement(1, new TextEncoder().encode("f")); // false
   * ```
   */
  knowsElement(id: number, element: Uint8Array): boolean {
    if (element.length > LONGEST_KNOWN_ELEMENT) return false;
    return this.#byId.get(id)?.present?.has(this.#elementName(element)) ?? false;
  }

  /**
   * Records that a cached hash has the field, or a cached set the member (written or found by
   * the caller). Nothing when the key is not cached, the element is long, or the batch knows
   * {@linkcode MOST_KNOWN_ELEMENTS} already.
   *
   * @example
   * ```ts
   * new KeyCache().rememberElement(1, new TextEncoder().encode("f")); // nothing: key 1 is not cached
   * ```
   */
  rememberElement(id: number, element: Uint8Array): void {
    const entry = this.#byId.get(id);
    if (
      entry === undefined || element.length > LONGEST_KNOWN_ELEMENT ||
      this.#knownElements >= MOST_KNOWN_ELEMENTS
    ) return;
    const name = this.#elementName(element);
    const present = entry.present ??= new Map();
    if (!present.has(name)) {
      present.set(name, null);
      this.#knownElements++;
    }
  }

  /**
   * The score the batch knows a member of a cached sorted set has (as
   * {@linkcode rememberScore} recorded, and no statement has changed the table since), or
   * undefined when it does not know one.
   *
   * @example
   * ```ts
   * new KeyCache().knownScore(1, new TextEncoder().encode("m")); // undefined
   * ```
   */
  knownScore(id: number, member: Uint8Array): number | undefined {
    if (member.length > LONGEST_KNOWN_ELEMENT) return undefined;
    return this.#byId.get(id)?.scores?.get(this.#elementName(member));
  }

  /**
   * Records the score a member of a cached sorted set has (found, or just written). Nothing
   * when the key is not cached, the member is long, or the batch knows
   * {@linkcode MOST_KNOWN_ELEMENTS} already.
   *
   * @example
   * ```ts
   * new KeyCache().rememberScore(1, new TextEncoder().encode("m"), 2); // nothing: key 1 is not cached
   * ```
   */
  rememberScore(id: number, member: Uint8Array, score: number): void {
    const entry = this.#byId.get(id);
    if (entry === undefined || member.length > LONGEST_KNOWN_ELEMENT) return;
    const scores = entry.scores ??= new Map();
    const name = this.#elementName(member);
    if (!scores.has(name)) {
      if (this.#knownElements >= MOST_KNOWN_ELEMENTS) return;
      this.#knownElements++;
    }
    scores.set(name, score);
  }

  /**
   * Keeps back the write of a new value to a field the batch knows the cached hash has
   * ({@linkcode knowsElement}): `sql` (parameters value, key id, field) runs with the last value
   * when the batch next names the hashes table or ends. The cache keeps its own copy of the
   * value. Returns false, writing nothing, when the field is not known, or when no write of it is
   * kept back yet and the value is longer than {@linkcode LONGEST_CACHED_VALUE} or past the
   * batch's budget (a field with a kept-back write always takes the new value: a write made at
   * once would come before it).
   *
   * @example
   * ```ts
   * const b = (s: string) => new TextEncoder().encode(s);
   * new KeyCache().keepBackField(1, b("f"), b("v"), "UPDATE hashes SET value = ? WHERE key_id = ? AND field = ?"); // false
   * ```
   */
  keepBackField(id: number, field: Uint8Array, value: Uint8Array, sql: string): boolean {
    if (field.length > LONGEST_KNOWN_ELEMENT) return false;
    const present = this.#byId.get(id)?.present;
    if (present === undefined) return false;
    const name = this.#elementName(field);
    const pending = present.get(name);
    if (pending) {
      pending.value = this.copy(value);
      return true;
    }
    if (pending === undefined || !this.#roomFor(value)) return false;
    const write: PendingFieldWrite = { sql, value: this.copy(value), id, field: this.copy(field) };
    present.set(name, write);
    this.#pendingFields.push(write);
    return true;
  }

  /**
   * The kept-back writes of hash fields, in the order first kept back; they are the caller's to
   * run now. The fields stay known.
   *
   * @example
   * ```ts
   * new KeyCache().takePendingFields(); // []
   * ```
   */
  takePendingFields(): PendingFieldWrite[] {
    const writes = this.#pendingFields;
    if (writes.length === 0) return writes;
    this.#pendingFields = [];
    for (const write of writes) {
      this.#byId.get(write.id)?.present?.set(byteString(write.field), null);
    }
    return writes;
  }

  /**
   * Forgets which hash fields and set members the batch knows, and the scores (a statement that
   * may have changed some ran). The store takes the kept-back field writes first; any still kept
   * back keep their fields known.
   *
   * @example
   * ```ts
   * new KeyCache().forgetElements();
   * ```
   */
  forgetElements(): void {
    if (this.#knownElements === 0) return;
    for (const entry of this.#byId.values()) entry.present = entry.scores = undefined;
    this.#knownElements = 0;
    // A field whose write is still kept back stays known, so that its next HSET keeps updating
    // that write rather than write at once and be overwritten by it.
    for (const write of this.#pendingFields) {
      const entry = this.#byId.get(write.id);
      if (entry === undefined) continue;
      (entry.present ??= new Map()).set(byteString(write.field), write);
      this.#knownElements++;
    }
  }

  // An element's name in the maps: a command asks about the same element (the same bytes object)
  // several times in a row, so the last name is reused, as for keys.
  #elementName(element: Uint8Array): string {
    if (element === this.#lastElement) return this.#lastElementName;
    this.#lastElement = element;
    if (!this.#lastElementBytes.matches(element)) {
      this.#lastElementName = byteString(element);
      this.#lastElementBytes.hold(element);
    }
    return this.#lastElementName;
  }

  // Whether a value may be cached: counts its bytes when it may.
  #roomFor(value: Uint8Array): boolean {
    if (value.length > LONGEST_CACHED_VALUE) return false;
    if (this.#valueBytes + value.length > MOST_CACHED_VALUE_BYTES) return false;
    this.#valueBytes += value.length;
    return true;
  }

  #written(entry: CachedKey, version: number, now: number): void {
    this.#onKeptBack();
    entry.meta.version = version;
    entry.updatedAt = now;
    if (!entry.pending) {
      entry.pending = true;
      this.#pending.push(entry);
    }
  }

  /**
   * The kept-back writes, in the order their keys were first written; they are the caller's to
   * write now. The cache stays as it is.
   *
   * @example
   * ```ts
   * new KeyCache().takePending(); // []
   * ```
   */
  takePending(): PendingWrite[] {
    const pending = this.#pending;
    this.#pending = [];
    return pending.map((entry) => {
      const { id, size, version, expireAt } = entry.meta;
      const value = entry.valueWritten ? entry.value : undefined;
      entry.pending = false;
      entry.valueWritten = false;
      return { id, size, version, updatedAt: entry.updatedAt, value, expireAt };
    });
  }

  /**
   * Forgets every key and every kept-back write (after they were written, or with a rollback).
   *
   * @example
   * ```ts
   * new KeyCache().clear();
   * ```
   */
  clear(): void {
    this.#lastKey = null;
    this.#lastElement = null;
    for (const [name, entry] of this.#byName) {
      if (entry.reused && this.#reusedNow.size < MOST_CACHED_KEYS) this.#reusedNow.add(name);
    }
    if (
      this.#byId.size === 0 && this.#missed.size === 0 && this.#pending.length === 0 &&
      this.#withEnds.length === 0 && this.#pendingFields.length === 0
    ) return;
    this.#missed.clear();
    this.#valueBytes = 0;
    this.#byName.clear();
    this.#byId.clear();
    this.#pending = [];
    this.#withEnds = [];
    this.#pendingFields = [];
    this.#knownElements = 0;
  }

  /**
   * Ends a server batch (its reads and its writes, each of which clears the cache): the keys it
   * used more than once are cached at their first use in the next one. A batch that cached
   * nothing (PINGs, say) leaves the hot keys as they are.
   *
   * @example
   * ```ts
   * const cache = new KeyCache();
   * cache.endBatch();
   * ```
   */
  endBatch(): void {
    if (!this.#cachedSinceEnd) return;
    this.#cachedSinceEnd = false;
    const hot = this.#reusedNow;
    this.#reusedNow = this.#hot;
    this.#reusedNow.clear();
    this.#hot = hot;
  }
}
