/**
 * The publish/subscribe commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE,
 * SUNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB. The registries live in the server
 * (`src/server/pubsub.ts`). Run in-process by `db.command()` there is no server and no one to
 * listen: subscribing is a server-only error, PUBLISH reaches no one (0), PUBSUB lists nothing.
 *
 * @module
 */

import { RedisError } from "../db/errors.ts";
import type { Reply } from "../resp/reply.ts";
import type { PubSub } from "../server/pubsub.ts";
import { clientOf, helpReply, NO_KEYS } from "./connection.ts";
import type { CommandContext, CommandFlag, CommandSpec, Handler } from "./types.ts";

const SUBSCRIBE_FLAGS: readonly CommandFlag[] = ["pubsub", "noscript", "loading", "stale"];
const PUBLISH_FLAGS: readonly CommandFlag[] = ["pubsub", "loading", "stale", "fast"];
const PUBSUB_FLAGS: readonly CommandFlag[] = ["pubsub", "loading", "stale"];

/** The server's registry, or none in-process. */
function registryOf(ctx: CommandContext): PubSub | undefined {
  return ctx.client?.server.pubsub;
}

const PUBSUB_HELP = [
  "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
  "HELP",
  "    Prints this help.",
];

// PUBSUB CHANNELS and SHARDCHANNELS take at most one pattern; the arity allows more, and Redis
// answers those with its subcommand syntax error.
function listChannels(shard: boolean): Handler {
  return (ctx, argv) => {
    if (argv.length > 3) {
      throw new RedisError(
        `ERR unknown subcommand or wrong number of arguments for '${
          new TextDecoder().decode(argv[1])
        }'. Try PUBSUB HELP.`,
      );
    }
    const pattern = argv.length === 3 ? argv[2] : null;
    const registry = registryOf(ctx);
    if (registry === undefined) return [];
    return shard ? registry.shardChannels(pattern) : registry.channels(pattern);
  };
}

function countSubscribers(shard: boolean): Handler {
  return (ctx, argv) => {
    const channels = argv.slice(2);
    const registry = registryOf(ctx);
    if (registry === undefined) return channels.flatMap((channel): Reply[] => [channel, 0]);
    return shard ? registry.shardNumsub(channels) : registry.numsub(channels);
  };
}

function pubsubCommand(
  name: string,
  arity: number,
  summary: string,
  since: string,
  handler: Handler,
): CommandSpec {
  return { name, arity, flags: PUBSUB_FLAGS, ...NO_KEYS, group: "pubsub", summary, since, handler };
}

type SubscriptionMethod =
  | "subscribe"
  | "unsubscribe"
  | "psubscribe"
  | "punsubscribe"
  | "ssubscribe"
  | "sunsubscribe";

// Redis declares the shard channels as keys (flagged not_key) for cluster routing.
const SHARD_KEYS = { firstKey: 1, lastKey: -1, step: 1 };

/** A (P|S)(UN)SUBSCRIBE command: the registry's method of the same name on its arguments. */
function subscriptionCommand(
  method: SubscriptionMethod,
  arity: number,
  summary: string,
  since: string,
): CommandSpec {
  return {
    name: method,
    arity,
    flags: SUBSCRIBE_FLAGS,
    ...(method === "ssubscribe" || method === "sunsubscribe" ? SHARD_KEYS : NO_KEYS),
    group: "pubsub",
    summary,
    since,
    handler: (ctx, argv) => {
      const client = clientOf(ctx);
      return client.server.pubsub[method](client.subscriptions, argv.slice(1));
    },
  };
}

/** The publish/subscribe commands. */
export const pubsubCommands: CommandSpec[] = [
  subscriptionCommand(
    "subscribe",
    -2,
    "Listen for messages published to the given channels",
    "2.0.0",
  ),
  subscriptionCommand(
    "unsubscribe",
    -1,
    "Stop listening for messages posted to the given channels",
    "2.0.0",
  ),
  subscriptionCommand(
    "psubscribe",
    -2,
    "Listen for messages published to channels matching the given patterns",
    "2.0.0",
  ),
  subscriptionCommand(
    "punsubscribe",
    -1,
    "Stop listening for messages posted to channels matching the given patterns",
    "2.0.0",
  ),
  subscriptionCommand(
    "ssubscribe",
    -2,
    "Listen for messages published to the given shard channels",
    "7.0.0",
  ),
  subscriptionCommand(
    "sunsubscribe",
    -1,
    "Stop listening for messages posted to the given shard channels",
    "7.0.0",
  ),
  {
    name: "publish",
    arity: 3,
    flags: PUBLISH_FLAGS,
    ...NO_KEYS,
    group: "pubsub",
    summary: "Post a message to a channel",
    since: "2.0.0",
    handler: (ctx, argv) => registryOf(ctx)?.publish(argv[1], argv[2]) ?? 0,
  },
  {
    name: "spublish",
    arity: 3,
    flags: PUBLISH_FLAGS,
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "pubsub",
    summary: "Post a message to a shard channel",
    since: "7.0.0",
    handler: (ctx, argv) => registryOf(ctx)?.spublish(argv[1], argv[2]) ?? 0,
  },
  {
    name: "pubsub",
    arity: -2,
    flags: [],
    ...NO_KEYS,
    group: "pubsub",
    summary: "A container for Pub/Sub commands",
    since: "2.8.0",
    subcommands: [
      pubsubCommand("channels", -2, "List active channels", "2.8.0", listChannels(false)),
      pubsubCommand(
        "numsub",
        -2,
        "Get the count of subscribers for channels",
        "2.8.0",
        countSubscribers(false),
      ),
      pubsubCommand(
        "numpat",
        2,
        "Get the count of unique patterns pattern subscriptions",
        "2.8.0",
        (ctx) => registryOf(ctx)?.patternCount ?? 0,
      ),
      pubsubCommand(
        "shardchannels",
        -2,
        "List active shard channels",
        "7.0.0",
        listChannels(true),
      ),
      pubsubCommand(
        "shardnumsub",
        -2,
        "Get the count of subscribers for shard channels",
        "7.0.0",
        countSubscribers(true),
      ),
      {
        ...pubsubCommand(
          "help",
          2,
          "Show helpful text about the different subcommands",
          "6.2.0",
          () => helpReply(PUBSUB_HELP),
        ),
        flags: ["loading", "stale"],
      },
    ],
  },
];
