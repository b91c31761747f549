/**
 * Random publish/subscribe sequences over three subscribers and a publisher, the same against
 * redis-server and Redlite, every frame compared. A model of who subscribes to what tells how
 * many frames each step brings to each connection.
 */

import { connectionsDifferential, type ConnectionStep } from "../_helpers/connections_compat.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { globMatch } from "../../src/db/glob.ts";

const SUBSCRIBERS = ["a", "b", "c"];
const CHANNELS = ["news", "news.tech", "sport", "nows", "x", ""];
const PATTERNS = ["news*", "*", "n?ws", "s[a-p]ort", "x", "news.\\*", "[^n]*"];

const encoder = new TextEncoder();
const matches = (pattern: string, channel: string) =>
  globMatch(encoder.encode(pattern), encoder.encode(channel));

/** What one connection is subscribed to. */
class Model {
  channels = new Set<string>();
  patterns: string[] = []; // in the order subscribed, as Redis 7.0 keeps them
  shardChannels = new Set<string>();
}

function generate(seed: number, length: number): ConnectionStep[] {
  const random = new SeededRandom(seed);
  const models = new Map(SUBSCRIBERS.map((name) => [name, new Model()]));
  const some = (pool: string[], max: number) =>
    Array.from({ length: random.range(1, max) }, () => random.pick(pool));
  const steps: ConnectionStep[] = [];
  for (let i = 0; i < length; i++) {
    const on = random.pick(SUBSCRIBERS);
    const model = models.get(on)!;
    switch (random.int(12)) {
      case 0:
      case 1: {
        const channels = some(CHANNELS, 3);
        for (const channel of channels) model.channels.add(channel);
        steps.push({ on, cmd: ["SUBSCRIBE", ...channels], frames: channels.length });
        break;
      }
      case 2: {
        // Without arguments only from one channel at most: Redis goes in its hash order.
        if (model.channels.size <= 1 && random.int(2) === 0) {
          steps.push({ on, cmd: ["UNSUBSCRIBE"] });
          model.channels.clear();
          break;
        }
        const channels = some(CHANNELS, 2);
        for (const channel of channels) model.channels.delete(channel);
        steps.push({ on, cmd: ["UNSUBSCRIBE", ...channels], frames: channels.length });
        break;
      }
      case 3: {
        const patterns = some(PATTERNS, 2);
        for (const pattern of patterns) {
          if (!model.patterns.includes(pattern)) model.patterns.push(pattern);
        }
        steps.push({ on, cmd: ["PSUBSCRIBE", ...patterns], frames: patterns.length });
        break;
      }
      case 4: {
        if (random.int(2) === 0) {
          steps.push({ on, cmd: ["PUNSUBSCRIBE"], frames: Math.max(1, model.patterns.length) });
          model.patterns = [];
          break;
        }
        const patterns = some(PATTERNS, 2);
        model.patterns = model.patterns.filter((pattern) => !patterns.includes(pattern));
        steps.push({ on, cmd: ["PUNSUBSCRIBE", ...patterns], frames: patterns.length });
        break;
      }
      case 5: {
        const channels = some(CHANNELS, 2);
        const subscribe = random.int(2) === 0;
        for (const channel of channels) {
          if (subscribe) model.shardChannels.add(channel);
          else model.shardChannels.delete(channel);
        }
        const command = subscribe ? "SSUBSCRIBE" : "SUNSUBSCRIBE";
        steps.push({ on, cmd: [command, ...channels], frames: channels.length });
        break;
      }
      case 6:
      case 7:
      case 8: {
        const channel = random.pick(CHANNELS);
        const message = `m${i}`;
        steps.push({ on: "pub", cmd: ["PUBLISH", channel, message] });
        for (const [name, subscriber] of models) {
          const count = (subscriber.channels.has(channel) ? 1 : 0) +
            subscriber.patterns.filter((pattern) => matches(pattern, channel)).length;
          if (count > 0) steps.push({ on: name, frames: count, anyOrder: true });
        }
        break;
      }
      case 9: {
        const channel = random.pick(CHANNELS);
        steps.push({ on: "pub", cmd: ["SPUBLISH", channel, `s${i}`] });
        for (const [name, subscriber] of models) {
          if (subscriber.shardChannels.has(channel)) steps.push({ on: name });
        }
        break;
      }
      case 10: {
        const pick = random.int(5);
        if (pick === 0) steps.push({ on: "pub", cmd: ["PUBSUB", "NUMSUB", ...some(CHANNELS, 3)] });
        else if (pick === 1) steps.push({ on: "pub", cmd: ["PUBSUB", "NUMPAT"] });
        else if (pick === 2) {
          steps.push({ on: "pub", cmd: ["PUBSUB", "SHARDNUMSUB", ...some(CHANNELS, 3)] });
        } else {
          const pattern = random.int(2) === 0 ? [] : [random.pick(PATTERNS)];
          steps.push({ on: "pub", cmd: ["PUBSUB", "CHANNELS", ...pattern], unordered: true });
        }
        break;
      }
      default:
        steps.push({ on, cmd: random.int(2) === 0 ? ["PING"] : ["PING", `p${i}`] });
    }
  }
  return steps;
}

for (const seed of [1, 2, 3, 4]) {
  connectionsDifferential(`random pub/sub sequence, seed ${seed}`, generate(seed, 200));
}
