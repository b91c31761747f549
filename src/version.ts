/**
 * Version numbers: Redlite's own, and the version of Redis whose behaviour it follows.
 *
 * @module
 */

/** The version of Redlite, as `--version` and INFO report it. */
export const REDLITE_VERSION = "0.1.0";

/** The Redis version whose replies Redlite matches, as HELLO and INFO report it. */
export const REDIS_VERSION = "7.0.15";
