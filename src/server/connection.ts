/**
 * One client connection: its socket, its decoder and reply buffer, and the per-client state
 * that connection commands change (selected database, protocol version, name, authentication).
 *
 * @module
 */

import type { Db } from "../db/db.ts";
import { RedisError } from "../db/errors.ts";
import { resolveCommand } from "../commands/dispatch.ts";
import type { BlockRequest, ClientHandle, CommandContext, CommandSpec } from "../commands/types.ts";
import { CommandDecoder, ProtocolError, QueryBufferExceeded } from "../resp/decoder.ts";
import { type Protocol, ReplyWriter } from "../resp/encoder.ts";
import type { Reply } from "../resp/reply.ts";
import { subscribedContextError, Subscriptions } from "./pubsub.ts";
import type { Server } from "./server.ts";
import { type SocketRead, socketReader } from "./socket_reader.ts";
import { ClientTransaction } from "./transactions.ts";

/** The least free space a read gets (it gets all the free space of the buffer). */
const MIN_READ = 4 * 1024;

const NOAUTH = new RedisError("NOAUTH Authentication required.");
const BLOCKED_IN_EXEC = new RedisError("ERR this command cannot block inside a transaction");

function formatAddress(addr: Deno.Addr): string {
  if (addr.transport !== "tcp" && addr.transport !== "udp") return "";
  return addr.hostname.includes(":")
    ? `[${addr.hostname}]:${addr.port}`
    : `${addr.hostname}:${addr.port}`;
}

/** A client of the server. */
export class Connection implements ClientHandle, CommandContext {
  readonly id: number;
  readonly db: Db;
  readonly server: Server;
  readonly address: string;
  readonly localAddress: string;
  protocol: Protocol = 2;
  name = "";
  libName = "";
  libVersion = "";
  noEvict = false;
  noTouch = false;
  /** When the connection was accepted (ms). */
  readonly createdAt: number = Date.now();
  /** When the client last sent something (ms). */
  lastInteraction: number = this.createdAt;
  /** The last command run, for CLIENT LIST (its spec and the name as sent). */
  lastCommand: CommandSpec | null = null;
  lastCommandName: Uint8Array | null = null;
  /** Replies of the current batch, written to the socket after it commits. */
  readonly writer: ReplyWriter = new ReplyWriter();
  readonly decoder: CommandDecoder;
  /** Ends when the connection is closed and forgotten. */
  readonly done: Promise<void>;
  /** Its channels and patterns (publish/subscribe). */
  readonly subscriptions: Subscriptions = new Subscriptions(this);
  /** MULTI's queue and the watched keys. */
  readonly transaction: ClientTransaction = new ClientTransaction(this);

  readonly #conn: Deno.Conn;
  readonly #readSocket: SocketRead;
  #authenticated: boolean;
  #closing = false;
  #closed = false;
  #silent = false;
  #closeListeners: (() => void)[] = [];
  #reading = false;
  // A decoded command waiting for the batch's write transaction, with its table entry.
  #waitingArgv: Uint8Array[] | null = null;
  #waitingSpec: CommandSpec | null = null;
  // A command whose reply is a promise (a blocking command): later commands wait for it.
  #blocked: Promise<Reply> | null = null;
  // Between #unblock and the blocking command's reply: idle, as far as messages and kills go.
  #waitingForReply = false;
  // Complete commands may wait in the buffer: run them before reading more.
  #pending = false;
  // From a blocked client's reply to the end of the replies after it: a read started while it
  // was blocked that completes meanwhile leaves its commands to this flow.
  #flowing = false;
  #finished = false;
  #done!: () => void;
  // Where this batch's write transaction began in the reply buffer, and how many replies
  // depend on it: if the transaction fails, they become errors.
  #writeMark = -1;
  #writeReplies = 0;
  // How much of the reply buffer the socket has taken; whether a write is under way; whether
  // the connection goes on (runs or reads) once everything is written.
  #sent = 0;
  #writing = false;
  #continueAfterWrite = false;
  // Messages delivered after the write mark: kept if the batch fails and its replies go.
  #messagesAfterMark: Uint8Array[] | null = null;

  /**
   * @param server the server it belongs to
   * @param conn its socket
   * @param id its CLIENT ID
   */
  constructor(server: Server, conn: Deno.Conn, id: number) {
    this.server = server;
    this.id = id;
    this.#conn = conn;
    this.#readSocket = socketReader(conn);
    this.db = server.db.session();
    this.address = formatAddress(conn.remoteAddr);
    this.localAddress = formatAddress(conn.localAddr);
    this.decoder = new CommandDecoder(server.limits);
    this.#authenticated = !server.passwordRequired;
    this.decoder.authenticated = this.#authenticated;
    this.done = new Promise((resolve) => this.#done = resolve);
    this.#read();
  }

  /** The connection is its own command context: commands reach it as `ctx.client`. */
  get client(): ClientHandle {
    return this;
  }

  get authenticated(): boolean {
    return this.#authenticated;
  }

  set authenticated(value: boolean) {
    this.#authenticated = value;
    this.decoder.authenticated = value || !this.server.passwordRequired;
  }

  /** Closes the connection once the replies of the running batch are written. */
  closeAfterReply(): void {
    this.#closing = true;
  }

  /** Closes the connection without sending the running command's reply. */
  closeWithoutReply(): void {
    this.#closing = true;
    this.#silent = true;
  }

  /** Calls `listener` when the connection closes. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  /** Inside EXEC a blocking command answers at once. */
  get denyBlocking(): boolean {
    return this.transaction.executing;
  }

  /** Whether the connection is waiting for the client to send something. */
  get waitingForInput(): boolean {
    return this.#reading && !this.#flowing;
  }

  /** Whether a blocking command of this client waits for its reply (CLIENT LIST's `b`). */
  get blocked(): boolean {
    return this.#blocked !== null;
  }

  /** The selected database (the keys a blocking command waits on are there). */
  get selectedDb(): number {
    return this.db.selected;
  }

  /** Blocks this client: see {@linkcode ClientHandle.block}. */
  block(request: BlockRequest): Promise<Reply> {
    return this.server.blocking.block(this, request);
  }

  /** CLIENT KILL: as {@linkcode shutdown}. */
  kill(): void {
    this.shutdown();
  }

  /** Closes the connection now if it is idle in a read or blocked, else after the running batch. */
  shutdown(): void {
    this.#closing = true;
    if (this.#idle) this.#close();
  }

  // Idle: waiting for the client to send something, or for a blocking command's reply; not in a
  // batch, nor queued for one, nor writing a batch's replies. A client that blocked in a batch
  // starts waiting only once the batch's replies are out (#unblock): until then its replies may
  // still be rolled back with the batch.
  get #idle(): boolean {
    return (this.#reading && !this.#flowing) || this.#waitingForReply;
  }

  /** One line of CLIENT LIST / CLIENT INFO, as Redis 7.2 writes it. */
  describe(): string {
    const now = Date.now();
    const command = this.lastCommand === null ? "NULL" : this.#commandName();
    return `id=${this.id} addr=${this.address} laddr=${this.localAddress} fd=-1 name=${this.name} ` +
      `age=${Math.floor((now - this.createdAt) / 1000)} idle=${
        Math.floor((now - this.lastInteraction) / 1000)
      } flags=${this.#flags()} db=${this.db.selected} ${this.#subscriptionCounts()} multi=${this.transaction.queued} qbuf=${this.decoder.buffered} ` +
      `qbuf-free=0 argv-mem=0 multi-mem=0 rbs=${MIN_READ} rbp=0 obl=0 oll=0 omem=0 tot-mem=0 ` +
      `events=r cmd=${command} user=default redir=-1 resp=${this.protocol} ` +
      `lib-name=${this.libName} lib-ver=${this.libVersion}`;
  }

  // CLIENT LIST's flags, in Redis's order; N for none.
  #flags(): string {
    const flags = (this.subscriptions.active ? "P" : "") + (this.transaction.active ? "x" : "") +
      (this.#blocked === null ? "" : "b") +
      (this.transaction.dirty ? "d" : "");
    return flags === "" ? "N" : flags;
  }

  #subscriptionCounts(): string {
    const { channels, patterns, shardChannels } = this.subscriptions;
    return `sub=${channels.size} psub=${patterns.size} ssub=${shardChannels.size}`;
  }

  /** Writes a reply of the running command now, ahead of its own reply (pub/sub confirmations). */
  push(reply: Reply): void {
    this.writer.write(reply, this.protocol);
  }

  /**
   * Appends a published message to the output after what is already there, and sends it now
   * if the connection is idle (else it goes with the running batch's replies). A subscriber
   * whose output grows over the pubsub output buffer limit is closed, as Redis closes it.
   */
  deliver(frame: Uint8Array): void {
    if (this.#closed) return;
    this.writer.append(frame);
    if (this.#writeMark >= 0) (this.#messagesAfterMark ??= []).push(frame.slice());
    if (
      this.server.pubsub.outputLimitReached(this.subscriptions, this.writer.length - this.#sent)
    ) {
      this.server.log(`client ${this.id} closed for overcoming of output buffer limits`);
      this.writer.truncate();
      this.#closing = true;
      this.#close();
      return;
    }
    if (this.#idle) this.#pump();
  }

  #commandName(): string {
    const spec = this.lastCommand!;
    const sent = new TextDecoder().decode(this.lastCommandName!).toLowerCase();
    return sent === spec.name ? sent : `${sent}|${spec.name}`;
  }

  /**
   * Runs the buffered commands of this connection within the server's batch. Outside the
   * batch's write transaction (`inWrite` false) it stops before the first write command and
   * returns false; inside, it runs every complete command. Stops early at a blocking command,
   * QUIT or a protocol error.
   */
  process(inWrite: boolean): boolean {
    if (this.#closed) return true; // closed by the output buffer limit: run nothing more
    if (inWrite && this.#writeMark < 0) {
      this.#writeMark = this.writer.length;
      this.#writeReplies = 0;
    }
    this.decoder.authenticated = this.#authenticated || !this.server.passwordRequired;
    // What it sent is run in the batch that follows the read: the batch's time is the read's.
    this.lastInteraction = this.server.batchTime;
    for (;;) {
      let argv = this.#waitingArgv;
      let spec = this.#waitingSpec;
      this.#waitingArgv = this.#waitingSpec = null;
      if (argv === null) {
        try {
          argv = this.decoder.next();
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
          this.writer.write(error, this.protocol);
          if (inWrite) this.#writeReplies++;
          this.#closing = true;
          return true;
        }
        if (argv === null) {
          this.#pending = false;
          return true;
        }
        try {
          spec = resolveCommand(argv);
        } catch (error) {
          if (!(error instanceof RedisError)) throw error;
          this.server.stats.commands++;
          this.writer.write(this.transaction.rejected(argv, error), this.protocol);
          if (inWrite) this.#writeReplies++;
          continue;
        }
      }
      if (this.transaction.queues(spec!)) {
        this.writer.write(this.transaction.enqueue(spec!, argv), this.protocol);
        if (inWrite) this.#writeReplies++;
        continue;
      }
      if (!inWrite && (spec!.flags.includes("write") || this.transaction.needsWrite(spec!))) {
        this.#waitingArgv = argv;
        this.#waitingSpec = spec;
        return false;
      }
      // Counted first: if the command fails the batch, its reply becomes the batch's error too.
      if (inWrite) this.#writeReplies++;
      const reply = this.#execute(spec!, argv);
      if (inWrite) this.server.blocking.afterCommand(this.db.selected, spec!, argv);
      if (reply instanceof Promise) {
        this.#blocked = reply;
        return true;
      }
      if (this.#silent) return true;
      this.writer.write(reply, this.protocol);
      if (this.#closing) return true;
    }
  }

  #execute(spec: CommandSpec, argv: Uint8Array[]): Reply | Promise<Reply> {
    this.server.stats.commands++;
    // Inside EXEC, CLIENT LIST goes on showing EXEC as the last command (as Redis).
    if (!this.transaction.executing) {
      this.lastCommand = spec;
      this.lastCommandName = argv[0];
    }
    if (!this.#authenticated && this.server.passwordRequired && !spec.flags.includes("no_auth")) {
      return this.transaction.rejected(argv, NOAUTH);
    }
    // (Inside EXEC every queued command runs, as Redis's EXEC does, subscribed or not.)
    if (this.protocol === 2 && this.subscriptions.active && !this.transaction.executing) {
      const refused = subscribedContextError(spec, argv);
      if (refused !== null) return this.transaction.rejected(argv, refused);
    }
    try {
      const reply = this.server.store.guard(() => spec.handler!(this, argv));
      this.server.watches.afterCommand(this.db.selected, spec, argv);
      return reply;
    } catch (error) {
      return this.server.errorReply(error);
    }
  }

  /** Runs a command of EXEC's queue as a command of its own, except that it cannot block. */
  runQueued(spec: CommandSpec, argv: Uint8Array[]): Reply {
    const reply = this.#execute(spec, argv);
    // The clients blocked on its keys are served once EXEC is over, as Redis does.
    this.server.blocking.signalWrite(this.db.selected, spec, argv);
    if (!(reply instanceof Promise)) return reply;
    // A blocking command that does not check denyBlocking: its wait cannot be part of EXEC.
    reply.catch(() => {});
    return BLOCKED_IN_EXEC;
  }

  /**
   * The batch's write transaction failed: every reply that depended on it becomes `error`.
   */
  writeFailed(error: RedisError): void {
    if (this.#writeMark < 0) {
      // The transaction failed before this connection's turn in it (it could not begin: the
      // lock is held by another process). The write command waiting for it fails, rather than
      // wait for ever; the commands after it are still buffered and run next.
      this.#pending = true;
      if (this.#waitingArgv === null) return;
      this.#waitingArgv = this.#waitingSpec = null;
      this.server.stats.commands++;
      this.writer.write(error, this.protocol);
      // The command was EXEC if the connection is in MULTI: its transaction is over.
      if (this.transaction.active) this.transaction.reset();
      return;
    }
    this.writer.truncate(this.#writeMark);
    for (let i = 0; i < this.#writeReplies; i++) this.writer.write(error, this.protocol);
    for (const message of this.#messagesAfterMark ?? []) this.writer.append(message);
    this.#blocked = null;
  }

  /** Called by the server when the batch holding this connection's commands is over. */
  batchDone(): void {
    this.#writeMark = -1;
    this.#messagesAfterMark = null;
    this.#flush();
  }

  // The connection's life is a chain of callbacks, not an async loop: read, run in a batch,
  // write the replies, read again. Each step costs one promise (the socket operation's); an
  // async loop with a promise per batch costs measurably more per command.

  #read(): void {
    this.#reading = true;
    this.#readSocket(this.decoder.space(MIN_READ)).then(this.#onRead, this.#onFailure);
  }

  #onRead = (count: number | null): void => {
    this.#reading = false;
    if (!count || this.#closing) return this.#finish(); // null or 0: the client closed
    try {
      this.decoder.commit(count);
    } catch (error) {
      return this.#onFailure(error);
    }
    this.server.stats.inputBytes += count;
    this.#pending = true;
    this.server.enqueue(this);
  };

  // While blocked, reads go to a chunk of their own, copied into the decoder when they end: the
  // read may still be pending when the client is served and its commands are decoded.
  #readWhileBlocked(): void {
    if (this.#reading) return;
    this.#reading = true;
    const chunk = new Uint8Array(MIN_READ);
    this.#readSocket(chunk).then((count) => {
      this.#reading = false;
      if (!count || this.#closing) return this.#finish();
      try {
        this.decoder.feed(chunk.subarray(0, count));
      } catch (error) {
        return this.#onFailure(error);
      }
      this.server.stats.inputBytes += count;
      this.lastInteraction = Date.now();
      this.#pending = true;
      // Still blocked: its commands wait, and it is read on so that its going away is seen.
      if (this.#blocked !== null) return this.#readWhileBlocked();
      // Served meanwhile: the flow that sends the reply runs these commands next.
      if (this.#flowing) return;
      this.#flowing = true;
      this.server.enqueue(this);
    }, this.#onFailure);
  }

  // After a batch (or a blocking command's reply): writes what is waiting, then goes on.
  #flush(): void {
    this.#continueAfterWrite = true;
    this.#pump();
  }

  // Writes the reply buffer until it is all sent (messages may join it meanwhile), then goes
  // on if a flush asked for it. One write at a time.
  #pump(): void {
    if (this.#writing) return;
    if (this.#sent < this.writer.length) {
      this.#writing = true;
      // Mostly the whole reply buffer: one view of it, not a view of a view.
      const replies = this.writer.view();
      this.#conn.write(this.#sent === 0 ? replies : replies.subarray(this.#sent)).then(
        this.#onWritten,
        this.#onFailure,
      );
      return;
    }
    this.writer.truncate();
    this.#sent = 0;
    if (!this.#continueAfterWrite) return;
    this.#continueAfterWrite = false;
    this.#continue();
  }

  #onWritten = (written: number): void => {
    this.#writing = false;
    this.#sent += written;
    this.server.stats.outputBytes += written;
    if (this.#closed) return this.#finish();
    this.#pump();
  };

  #continue(): void {
    if (this.#closing) return this.#finish();
    if (this.#blocked !== null) return this.#unblock(this.#blocked);
    if (this.#pending || this.#waitingArgv !== null) return this.server.enqueue(this);
    this.#flowing = false;
    if (!this.#reading) this.#read();
  }

  // Waits for a blocking command's reply, sends it, then lets the commands after it run.
  #unblock(blocked: Promise<Reply>): void {
    this.#waitingForReply = true;
    this.#readWhileBlocked();
    const send = (reply: Reply) => {
      this.#blocked = null;
      this.#waitingForReply = false;
      if (this.#closed) return this.#finish();
      this.#flowing = true;
      this.writer.write(reply, this.protocol);
      this.#flush();
    };
    blocked.then(send, (error) => {
      try {
        send(this.server.errorReply(error));
      } catch (fatal) {
        this.#onFailure(fatal);
      }
    });
  }

  #onFailure = (error: unknown): void => {
    // A reset connection or a client over its query buffer limit: Redis closes it silently.
    if (!(error instanceof QueryBufferExceeded) && !this.#closed && !isDisconnect(error)) {
      this.server.log(`client ${this.id}: ${(error as Error).message}`);
    }
    this.#finish();
  };

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#reading = false;
    this.#close();
    this.server.forget(this);
    this.#done();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed by the peer
    }
    this.server.pubsub.forget(this.subscriptions);
    for (const listener of this.#closeListeners) listener();
    this.#closeListeners = [];
  }
}

function isDisconnect(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.Interrupted ||
    error instanceof Deno.errors.NotConnected ||
    // A TLS client that closed without close_notify (redis-cli does): a disconnect too.
    error instanceof Deno.errors.UnexpectedEof;
}
