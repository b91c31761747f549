/**
 * Who gets in: the password check (constant time) and Redis's protected mode (no password and
 * a client that is not on the loopback interface: refused with Redis's DENIED message).
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Redis 7.0.15's reply to a connection refused by protected mode, byte for byte (its "Setup a
 * an" included; Redis 7.2 reads "Set up an").
 */
export const PROTECTED_MODE_DENIED: Uint8Array = new TextEncoder().encode(
  "-DENIED Redis is running in protected mode because protected mode is enabled and no " +
    "password is set for the default user. In this mode connections are only accepted from " +
    "the loopback interface. If you want to connect from external computers to Redis you may " +
    "adopt one of the following solutions: 1) Just disable protected mode sending the command " +
    "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from " +
    "the same host the server is running, however MAKE SURE Redis is not publicly accessible " +
    "from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) " +
    "Alternatively you can just disable the protected mode by editing the Redis configuration " +
    "file, and setting the protected mode option to 'no', and then restarting the server. 3) " +
    "If you started the server manually just for testing, restart it with the " +
    "'--protected-mode no' option. 4) Setup a an authentication password for the default " +
    "user. NOTE: You only need to do one of the above things in order for the server to start " +
    "accepting connections from the outside.\r\n",
);

/**
 * Whether a client's address counts as the loopback interface for protected mode. As in Redis
 * 7.0, only `127.0.0.1` and `::1` do (a client from `127.0.0.2` is refused); `::ffff:127.0.0.1`
 * too, the form `127.0.0.1` takes on a dual-stack listener.
 *
 * @example
 * ```ts
 * isLoopbackClient({ transport: "tcp", hostname: "127.0.0.1", port: 5000 }); // true
 * isLoopbackClient({ transport: "tcp", hostname: "127.0.0.2", port: 5000 }); // false
 * ```
 */
export function isLoopbackClient(addr: Deno.Addr): boolean {
  if (addr.transport !== "tcp") return true; // a Unix socket is local by definition
  const host = addr.hostname;
  return host === "127.0.0.1" || host === "::1" || host === "::ffff:127.0.0.1";
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/**
 * A password kept as its SHA-256 digest, checked in constant time: the time a check takes
 * depends neither on where a guess first differs nor on its length (Redis's ACL compares the
 * digests the same way).
 *
 * @example
 * ```ts
 * const password = new Password(new TextEncoder().encode("s3cret"));
 * password.matches(new TextEncoder().encode("s3cret")); // true
 * ```
 */
export class Password {
  readonly #digest: Uint8Array;

  /** @param password the password's bytes */
  constructor(password: Uint8Array) {
    this.#digest = sha256(password);
  }

  /** Whether `candidate` is the password. */
  matches(candidate: Uint8Array): boolean {
    return timingSafeEqual(this.#digest, sha256(candidate));
  }
}
