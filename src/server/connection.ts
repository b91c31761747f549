/**
 * One client connection: its socket, its decoder and reply buffer, and the per-client state
 * that connection commands change (selected database, protocol version, name, authentication).
 *
 * @module
 */

import type { Db } from "../db/db.ts";
import { RedisError } from "../db/errors.ts";
import { resolveCommand } from "../commands/dispatch.ts";
import type { ClientHandle, CommandContext, CommandSpec } from "../commands/types.ts";
import { CommandDecoder, ProtocolError, QueryBufferExceeded } from "../resp/decoder.ts";
import { type Protocol, ReplyWriter } from "../resp/encoder.ts";
import type { Reply } from "../resp/reply.ts";
import type { Server } from "./server.ts";
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
  /** MULTI's queue and the watched keys. */
  readonly transaction: ClientTransaction = new ClientTransaction(this);

  readonly #conn: Deno.Conn;
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
  // Complete commands may wait in the buffer: run them before reading more.
  #pending = false;
  #finished = false;
  #done!: () => void;
  // Where this batch's write transaction began in the reply buffer, and how many replies
  // depend on it: if the transaction fails, they become errors.
  #writeMark = -1;
  #writeReplies = 0;

  /**
   * @param server the server it belongs to
   * @param conn its socket
   * @param id its CLIENT ID
   */
  constructor(server: Server, conn: Deno.Conn, id: number) {
    this.server = server;
    this.id = id;
    this.#conn = conn;
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
    return this.#reading;
  }

  /** CLIENT KILL: as {@linkcode shutdown}. */
  kill(): void {
    this.shutdown();
  }

  /** Closes the connection now if it is idle in a read or blocked, else after the running batch. */
  shutdown(): void {
    this.#closing = true;
    if (this.#reading || this.#blocked !== null) this.#close();
  }

  /** One line of CLIENT LIST / CLIENT INFO, as Redis 7.2 writes it. */
  describe(): string {
    const now = Date.now();
    const command = this.lastCommand === null ? "NULL" : this.#commandName();
    return `id=${this.id} addr=${this.address} laddr=${this.localAddress} fd=-1 name=${this.name} ` +
      `age=${Math.floor((now - this.createdAt) / 1000)} idle=${
        Math.floor((now - this.lastInteraction) / 1000)
      } flags=${this.#flags()} db=${this.db.selected} sub=0 psub=0 ssub=0 multi=${this.transaction.queued} qbuf=${this.decoder.buffered} ` +
      `qbuf-free=0 argv-mem=0 multi-mem=0 rbs=${MIN_READ} rbp=0 obl=0 oll=0 omem=0 tot-mem=0 ` +
      `events=r cmd=${command} user=default redir=-1 resp=${this.protocol} ` +
      `lib-name=${this.libName} lib-ver=${this.libVersion}`;
  }

  // CLIENT LIST's flags, in Redis's order; N for none.
  #flags(): string {
    const flags = (this.transaction.active ? "x" : "") + (this.transaction.dirty ? "d" : "");
    return flags === "" ? "N" : flags;
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
    if (inWrite && this.#writeMark < 0) {
      this.#writeMark = this.writer.length;
      this.#writeReplies = 0;
    }
    this.decoder.authenticated = this.#authenticated || !this.server.passwordRequired;
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
    this.#blocked = null;
  }

  /** Called by the server when the batch holding this connection's commands is over. */
  batchDone(): void {
    this.#writeMark = -1;
    this.#flush();
  }

  // The connection's life is a chain of callbacks, not an async loop: read, run in a batch,
  // write the replies, read again. Each step costs one promise (the socket operation's); an
  // async loop with a promise per batch costs measurably more per command.

  #read(): void {
    this.#reading = true;
    this.#conn.read(this.decoder.space(MIN_READ)).then(this.#onRead, this.#onFailure);
  }

  #onRead = (count: number | null): void => {
    this.#reading = false;
    if (count === null || this.#closing) return this.#finish();
    try {
      this.decoder.commit(count);
    } catch (error) {
      return this.#onFailure(error);
    }
    this.server.stats.inputBytes += count;
    this.lastInteraction = Date.now();
    this.#pending = true;
    this.server.enqueue(this);
  };

  // After a batch (or a blocking command's reply): writes what is waiting, then goes on.
  #flush(): void {
    const length = this.writer.length;
    if (length === 0) return this.#continue();
    this.#writeFrom(0);
  }

  #writeFrom(offset: number): void {
    this.#conn.write(this.writer.view().subarray(offset)).then((written) => {
      const end = offset + written;
      if (end < this.writer.length) return this.#writeFrom(end);
      this.server.stats.outputBytes += end;
      this.writer.truncate();
      this.#continue();
    }, this.#onFailure);
  }

  #continue(): void {
    if (this.#closing) return this.#finish();
    if (this.#blocked !== null) return this.#unblock(this.#blocked);
    if (this.#pending || this.#waitingArgv !== null) this.server.enqueue(this);
    else this.#read();
  }

  // Waits for a blocking command's reply, sends it, then lets the commands after it run.
  #unblock(blocked: Promise<Reply>): void {
    const send = (reply: Reply) => {
      this.#blocked = null;
      if (this.#closed) return this.#finish();
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
