/**
 * Publish/subscribe: the server's registries of channels, patterns and shard channels, the
 * per-client subscriptions, the fan-out of messages to subscribers, and the rules of Redis's
 * subscribed context (what a RESP2 subscriber may run, the pubsub output buffer limit).
 *
 * Messages are not stored: a message reaches the clients subscribed when it is published, in
 * this server process, and no one else.
 *
 * @module
 */

import { asciiText, byteString } from "../db/bytes.ts";
import { RedisError } from "../db/errors.ts";
import { globMatch } from "../db/glob.ts";
import type { Protocol } from "../resp/encoder.ts";
import { PushReply, type Reply } from "../resp/reply.ts";
import type { CommandSpec } from "../commands/types.ts";
import { parseMemory } from "./config.ts";

/**
 * What the registry needs from a subscribed connection (the server's `Connection` is one).
 *
 * @example
 * ```ts
 * const collected: Uint8Array[] = [];
 * const subscriber: Subscriber = {
 *   protocol: 2,
 *   deliver: (frame) => collected.push(frame.slice()),
 *   push: () => {},
 * };
 * ```
 */
export interface Subscriber {
  /** The protocol version of its replies: messages are arrays in RESP2, push frames in RESP3. */
  readonly protocol: Protocol;
  /**
   * Appends an encoded message to its output, after what is already there, and sends it. The
   * bytes are the publisher's scratch buffer: copy them to keep them.
   */
  deliver(frame: Uint8Array): void;
  /** Writes a reply of its running command now, ahead of the command's own reply. */
  push(reply: Reply): void;
}

/**
 * One client's subscriptions: channels, patterns and shard channels, each by its bytes, in
 * the order subscribed.
 *
 * @example
 * ```ts
 * const subscriptions = new Subscriptions(connection);
 * subscriptions.active; // false until it subscribes to something
 * ```
 */
export class Subscriptions {
  /** Channels, by registry key. */
  readonly channels: Map<string, Uint8Array> = new Map();
  /** Patterns, by registry key. */
  readonly patterns: Map<string, Uint8Array> = new Map();
  /** Shard channels, by registry key. */
  readonly shardChannels: Map<string, Uint8Array> = new Map();
  /** Since when (Unix seconds) its output has been over the soft limit; 0 while it is not. */
  overSoftLimitSince = 0;

  /** @param owner the connection that subscribes */
  constructor(readonly owner: Subscriber) {}

  /** Whether it is subscribed to anything: Redis's CLIENT_PUBSUB flag (`flags=P`). */
  get active(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }
}

const encoder = new TextEncoder();

/** Who is subscribed to one channel or pattern. */
interface Entry {
  readonly name: Uint8Array;
  readonly subscribers: Set<Subscriptions>;
}

/** One of the three kinds of subscription, as Redis's `pubsubtype` describes them. */
interface Kind {
  /** The client's subscriptions of this kind. */
  mine(client: Subscriptions): Map<string, Uint8Array>;
  /** The count that confirmations report. */
  count(client: Subscriptions): number;
  readonly subscribed: Uint8Array;
  readonly unsubscribed: Uint8Array;
}

const CHANNELS: Kind = {
  mine: (client) => client.channels,
  count: (client) => client.channels.size + client.patterns.size,
  subscribed: encoder.encode("subscribe"),
  unsubscribed: encoder.encode("unsubscribe"),
};

const PATTERNS: Kind = {
  mine: (client) => client.patterns,
  count: CHANNELS.count,
  subscribed: encoder.encode("psubscribe"),
  unsubscribed: encoder.encode("punsubscribe"),
};

const SHARD_CHANNELS: Kind = {
  mine: (client) => client.shardChannels,
  count: (client) => client.shardChannels.size,
  subscribed: encoder.encode("ssubscribe"),
  unsubscribed: encoder.encode("sunsubscribe"),
};

const MESSAGE = encoder.encode("message");
const PMESSAGE = encoder.encode("pmessage");
const SMESSAGE = encoder.encode("smessage");

/**
 * The pubsub class of Redis's `client-output-buffer-limit`: bytes, bytes, seconds.
 *
 * @example
 * ```ts
 * const limit: OutputLimit = { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, seconds: 60 };
 * ```
 */
export interface OutputLimit {
  /** Closes the client at once above this many bytes waiting (0: no limit). */
  hard: number;
  /** Closes the client when above this many bytes for `seconds` (0: no limit). */
  soft: number;
  /** How long the soft limit may be exceeded. */
  seconds: number;
}

/**
 * The pubsub class of a `client-output-buffer-limit` value (`normal 0 0 0 pubsub 32mb 8mb
 * 60 ...`); null when the value does not name it.
 *
 * @example
 * ```ts
 * pubsubOutputLimit("pubsub 32mb 8mb 60"); // { hard: 33554432, soft: 8388608, seconds: 60 }
 * ```
 */
export function pubsubOutputLimit(value: string): OutputLimit | null {
  const words = value.split(" ").filter((word) => word !== "");
  for (let i = 0; i + 3 < words.length; i += 4) {
    if (words[i].toLowerCase() !== "pubsub") continue;
    const hard = parseMemory(words[i + 1]);
    const soft = parseMemory(words[i + 2]);
    const seconds = Number(words[i + 3]);
    if (hard === null || soft === null || !Number.isInteger(seconds)) return null;
    return { hard: Number(hard), soft: Number(soft), seconds };
  }
  return null;
}

/**
 * The server's channels, patterns and shard channels and who listens to them.
 *
 * @example
 * ```ts
 * const pubsub = new PubSub();
 * pubsub.subscribe(subscriptions, [new TextEncoder().encode("news")]);
 * pubsub.publish(new TextEncoder().encode("news"), new TextEncoder().encode("hi")); // 1
 * ```
 */
export class PubSub {
  /** The output buffer limit of subscribed clients (`client-output-buffer-limit pubsub`). */
  outputLimit: OutputLimit = { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, seconds: 60 };
  readonly #channels = new Map<string, Entry>();
  readonly #patterns = new Map<string, Entry>();
  readonly #shardChannels = new Map<string, Entry>();

  /** Channels with at least one subscriber (INFO `pubsub_channels`). */
  get channelCount(): number {
    return this.#channels.size;
  }

  /** Patterns with at least one subscriber (PUBSUB NUMPAT, INFO `pubsub_patterns`). */
  get patternCount(): number {
    return this.#patterns.size;
  }

  /** Shard channels with at least one subscriber (INFO `pubsubshard_channels`). */
  get shardChannelCount(): number {
    return this.#shardChannels.size;
  }

  /** SUBSCRIBE: one confirmation per channel, the last one returned, the others pushed. */
  subscribe(client: Subscriptions, channels: readonly Uint8Array[]): Reply {
    return this.#subscribeAll(client, channels, CHANNELS, this.#channels);
  }

  /** PSUBSCRIBE. */
  psubscribe(client: Subscriptions, patterns: readonly Uint8Array[]): Reply {
    return this.#subscribeAll(client, patterns, PATTERNS, this.#patterns);
  }

  /** SSUBSCRIBE. */
  ssubscribe(client: Subscriptions, channels: readonly Uint8Array[]): Reply {
    return this.#subscribeAll(client, channels, SHARD_CHANNELS, this.#shardChannels);
  }

  /** UNSUBSCRIBE: from the channels given, or from all of them. */
  unsubscribe(client: Subscriptions, channels: readonly Uint8Array[]): Reply {
    return this.#unsubscribeAll(client, channels, CHANNELS, this.#channels);
  }

  /** PUNSUBSCRIBE. */
  punsubscribe(client: Subscriptions, patterns: readonly Uint8Array[]): Reply {
    return this.#unsubscribeAll(client, patterns, PATTERNS, this.#patterns);
  }

  /** SUNSUBSCRIBE. */
  sunsubscribe(client: Subscriptions, channels: readonly Uint8Array[]): Reply {
    return this.#unsubscribeAll(client, channels, SHARD_CHANNELS, this.#shardChannels);
  }

  /** Drops every subscription of a client without confirmations (RESET, a closed connection). */
  forget(client: Subscriptions): void {
    if (!client.active) return;
    this.#drop(client, CHANNELS, this.#channels);
    this.#drop(client, PATTERNS, this.#patterns);
    this.#drop(client, SHARD_CHANNELS, this.#shardChannels);
  }

  /**
   * PUBLISH: sends `message` to the channel's subscribers (`message`), then to the subscribers
   * of every matching pattern (`pmessage`); returns how many deliveries it made.
   */
  publish(channel: Uint8Array, message: Uint8Array): number {
    let receivers = this.#fanOut(this.#channels.get(byteString(channel)), [
      MESSAGE,
      channel,
      message,
    ]);
    if (this.#patterns.size === 0) return receivers;
    for (const entry of this.#patterns.values()) {
      if (!globMatch(entry.name, channel)) continue;
      receivers += this.#fanOut(entry, [PMESSAGE, entry.name, channel, message]);
    }
    return receivers;
  }

  /** SPUBLISH: to the shard channel's subscribers only (patterns do not see shard messages). */
  spublish(channel: Uint8Array, message: Uint8Array): number {
    return this.#fanOut(this.#shardChannels.get(byteString(channel)), [
      SMESSAGE,
      channel,
      message,
    ]);
  }

  /** PUBSUB CHANNELS: the active channels matching the pattern (all without one). */
  channels(pattern: Uint8Array | null): Uint8Array[] {
    return namesMatching(this.#channels, pattern);
  }

  /** PUBSUB SHARDCHANNELS. */
  shardChannels(pattern: Uint8Array | null): Uint8Array[] {
    return namesMatching(this.#shardChannels, pattern);
  }

  /** PUBSUB NUMSUB: each channel given with its number of subscribers. */
  numsub(channels: readonly Uint8Array[]): Reply[] {
    return subscriberCounts(this.#channels, channels);
  }

  /** PUBSUB SHARDNUMSUB. */
  shardNumsub(channels: readonly Uint8Array[]): Reply[] {
    return subscriberCounts(this.#shardChannels, channels);
  }

  /**
   * Whether a subscribed client's output (`pending` bytes not yet sent) is over the pubsub
   * output buffer limit: over the hard limit, or over the soft one for too long.
   */
  outputLimitReached(client: Subscriptions, pending: number): boolean {
    const { hard, soft, seconds } = this.outputLimit;
    if (hard > 0 && pending >= hard) return client.active;
    if (soft === 0 || pending < soft) {
      client.overSoftLimitSince = 0;
      return false;
    }
    if (!client.active) return false;
    // As Redis: in whole seconds of its clock, and only once more than `seconds` have passed.
    const now = Math.floor(Date.now() / 1000);
    if (client.overSoftLimitSince === 0) {
      client.overSoftLimitSince = now;
      return false;
    }
    return now - client.overSoftLimitSince > seconds;
  }

  #subscribeAll(
    client: Subscriptions,
    names: readonly Uint8Array[],
    kind: Kind,
    registry: Map<string, Entry>,
  ): Reply {
    const mine = kind.mine(client);
    let last: Reply = null;
    for (const name of names) {
      const key = byteString(name);
      if (!mine.has(key)) {
        mine.set(key, name);
        let entry = registry.get(key);
        if (entry === undefined) {
          entry = { name, subscribers: new Set() };
          registry.set(key, entry);
        }
        entry.subscribers.add(client);
      }
      if (last !== null) client.owner.push(last);
      last = new PushReply([kind.subscribed, name, kind.count(client)]);
    }
    return last;
  }

  #unsubscribeAll(
    client: Subscriptions,
    names: readonly Uint8Array[],
    kind: Kind,
    registry: Map<string, Entry>,
  ): Reply {
    const mine = kind.mine(client);
    const targets = names.length > 0 ? names : [...mine.values()];
    // Unsubscribed from nothing: still one confirmation, with a null name.
    if (targets.length === 0) return new PushReply([kind.unsubscribed, null, kind.count(client)]);
    let last: Reply = null;
    for (const name of targets) {
      removeSubscription(client, byteString(name), mine, registry);
      if (last !== null) client.owner.push(last);
      last = new PushReply([kind.unsubscribed, name, kind.count(client)]);
    }
    return last;
  }

  #drop(client: Subscriptions, kind: Kind, registry: Map<string, Entry>): void {
    const mine = kind.mine(client);
    for (const key of [...mine.keys()]) removeSubscription(client, key, mine, registry);
  }

  // Sends one message to every subscriber of an entry, encoded once per protocol version.
  #fanOut(entry: Entry | undefined, message: Uint8Array[]): number {
    if (entry === undefined) return 0;
    let resp2: Uint8Array | null = null;
    let resp3: Uint8Array | null = null;
    let receivers = 0;
    for (const client of entry.subscribers) {
      const protocol = client.owner.protocol;
      let frame: Uint8Array;
      if (protocol === 2) frame = resp2 ??= encodeMessage(ARRAY, message);
      else frame = resp3 ??= encodeMessage(PUSH, message);
      client.owner.deliver(frame);
      receivers++;
    }
    return receivers;
  }
}

const ARRAY = 42; // '*': a message in RESP2
const PUSH = 62; // '>': a push frame in RESP3

function writeDecimal(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  out[at++] = 13;
  out[at++] = 10;
  return at;
}

// Where messages are encoded, one buffer per protocol version, reused: a message is copied
// into each subscriber's output at once, so its frame need not outlive the fan-out.
const scratch: Record<number, Uint8Array> = {
  [ARRAY]: new Uint8Array(4096),
  [PUSH]: new Uint8Array(4096),
};

/**
 * A message as RESP bytes: `*3` (or `>3`) then the bulk strings, written straight into the
 * protocol's scratch buffer (a message goes to every subscriber: this is the hot path). The
 * bytes are valid until the next message of that protocol is encoded.
 */
function encodeMessage(marker: number, parts: Uint8Array[]): Uint8Array {
  let size = 16;
  for (let i = 0; i < parts.length; i++) size += parts[i].length + 24;
  if (scratch[marker].length < size) scratch[marker] = new Uint8Array(size * 2);
  const out = scratch[marker];
  out[0] = marker;
  let at = writeDecimal(out, 1, String(parts.length));
  for (let i = 0; i < parts.length; i++) {
    out[at++] = 36; // '$'
    at = writeDecimal(out, at, String(parts[i].length));
    out.set(parts[i], at);
    at += parts[i].length;
    out[at++] = 13;
    out[at++] = 10;
  }
  return out.subarray(0, at);
}

function removeSubscription(
  client: Subscriptions,
  key: string,
  mine: Map<string, Uint8Array>,
  registry: Map<string, Entry>,
): void {
  if (!mine.delete(key)) return;
  const entry = registry.get(key)!;
  entry.subscribers.delete(client);
  if (entry.subscribers.size === 0) registry.delete(key);
}

function namesMatching(registry: Map<string, Entry>, pattern: Uint8Array | null): Uint8Array[] {
  const names: Uint8Array[] = [];
  for (const entry of registry.values()) {
    if (pattern === null || globMatch(pattern, entry.name)) names.push(entry.name);
  }
  return names;
}

function subscriberCounts(
  registry: Map<string, Entry>,
  channels: readonly Uint8Array[],
): Reply[] {
  const reply: Reply[] = [];
  for (const channel of channels) {
    reply.push(channel, registry.get(byteString(channel))?.subscribers.size ?? 0);
  }
  return reply;
}

/** The commands a RESP2 client may run while subscribed. */
const ALLOWED_WHILE_SUBSCRIBED = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);

/**
 * Redis's error for a command a subscribed RESP2 client may not run, or null when it may run
 * it. (RESP3 clients may run anything while subscribed.)
 *
 * @example
 * ```ts
 * subscribedContextError(getSpec, [new TextEncoder().encode("GET"), key])?.message;
 * // "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
 * ```
 */
export function subscribedContextError(spec: CommandSpec, argv: Uint8Array[]): RedisError | null {
  const command = asciiText(argv[0]).toLowerCase();
  // A subcommand (SLOWLOG RESET) is not the command of the same name.
  const fullName = command === spec.name ? command : `${command}|${spec.name}`;
  if (ALLOWED_WHILE_SUBSCRIBED.has(fullName)) return null;
  return new RedisError(
    `ERR Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / ` +
      "RESET are allowed in this context",
  );
}
