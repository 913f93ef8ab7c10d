/**
 * Durations as Vault writes them (`87600h`, `5m`, `30s`, `1h30m`, `7d`, or a bare number of
 * seconds) turned into integer seconds, the only form the constructs emit: the provider and
 * Vault agree on seconds, while `"24h"` against a read-back `"86400"` is a perpetual diff.
 */
import { ModelValidationError } from "./errors";
import { z } from "zod";

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60, s: 1 };

const WHOLE = /^(?:\d+[dhms])+$/;

const PART = /(\d+)([dhms])/g;

/**
 * Parse `value` into whole seconds. Accepts a non-negative integer, a string of digits, or one
 * or more `<integer><unit>` parts with units `d`, `h`, `m`, `s` in that order (`1h30m`).
 * @param path field path used in the error message
 * @throws ModelValidationError naming `path` for anything else (`10x`, `-5s`, `1.5h`, `""`).
 */
export function parseWholeDuration(value: unknown, path: string): number {
  const seconds = tryParseWholeDuration(value);
  if (seconds === undefined) {
    throw new ModelValidationError([{ path, message: durationMessage(value) }]);
  }
  return seconds;
}

/** Seconds for a valid duration, `undefined` otherwise (see {@link parseWholeDuration}). */
export function tryParseWholeDuration(value: unknown): number | undefined {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return toSafe(Number(text));
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  let lastRank = -1;
  const order = "dhms";
  for (const match of text.matchAll(PART)) {
    const rank = order.indexOf(match[2]);
    if (rank <= lastRank) return undefined;
    lastRank = rank;
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
  }
  return toSafe(total);
}

function toSafe(n: number): number | undefined {
  return Number.isSafeInteger(n) ? n : undefined;
}

function durationMessage(value: unknown): string {
  return `invalid duration ${JSON.stringify(value)}: expected whole seconds or <n>d/<n>h/<n>m/<n>s parts such as "87600h", "5m", "1h30m"`;
}

/** Render seconds back into the shortest exact `h`/`m`/`s` form (`2592000` → `"720h"`). */
export function formatWholeDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}

/** A zod schema accepting any duration form and producing integer seconds. */
export const durationSeconds = z
  .union([z.string(), z.number()], {
    // zod's own message for a failed union is a bare "Invalid input".
    error: (issue) =>
      issue.input === undefined
        ? 'required: a duration such as "720h" or a number of seconds'
        : `expected a duration such as "720h" or a number of seconds, got ${typeof issue.input}`,
  })
  .transform((value, ctx) => {
    const seconds = tryParseWholeDuration(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: "custom", message: durationMessage(value) });
      return z.NEVER;
    }
    return seconds;
  });

/** `7200s (2h)`: seconds with their whole-unit form, for messages that compare durations. */
export function describeSeconds(seconds: number): string {
  return `${seconds}s (${formatWholeDuration(seconds)})`;
}
