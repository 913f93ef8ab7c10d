/**
 * Durations the way Vault reads `min_wrapping_ttl` / `max_wrapping_ttl`: a number of seconds,
 * a string of digits (seconds), `<n>d` (days) or a Go duration such as `90s`, `1h30m`, `1.5h`.
 */

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * Parse a duration as Vault does (`parseutil.ParseDurationSecond`) and return seconds.
 * Throws an `Error` with the reason when Vault would refuse the value.
 */
export function parseVaultDuration(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`duration ${value} is not a finite number of seconds`);
    return value;
  }
  if (value === "") return 0;
  if (/^[+-]?\d+$/.test(value)) return Number.parseInt(value, 10);
  if (value.endsWith("d")) {
    const days = value.slice(0, -1);
    if (!/^[+-]?\d+$/.test(days)) throw new Error(`invalid duration "${value}": days must be a whole number`);
    return Number.parseInt(days, 10) * 86_400;
  }
  return parseGoDuration(value);
}

function parseGoDuration(text: string): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest.startsWith("-")) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === "") throw new Error(`invalid duration "${text}"`);
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest.length > 0) {
    const match = part.exec(rest);
    if (!match) throw new Error(`invalid duration "${text}": expected a number followed by one of ns, us, ms, s, m, h`);
    total += Number.parseFloat(match[1]) * GO_UNITS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}

/** Render seconds as the shortest exact duration string Vault reads back identically (`90s`, `1h`). */
export function formatVaultDuration(seconds: number): string {
  if (Number.isInteger(seconds) && seconds !== 0) {
    if (seconds % 3600 === 0) return `${seconds / 3600}h`;
    if (seconds % 60 === 0) return `${seconds / 60}m`;
  }
  return `${seconds}s`;
}
