/**
 * Durations as the secrets operators read them. VSO's CRDs accept one number and one unit
 * (`^([0-9]+(\.[0-9]+)?(s|m|h))$`, PKI TTLs also `d`); ESO reads Go durations. The library
 * accepts the intersection: a whole number and one unit, which both parse identically.
 */
const UNIT_SECONDS: { [unit: string]: number } = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of `value` (`30s`, `15m`, `1h`, and with `allowDays` `30d`), or undefined when it is not one. */
export function durationSeconds(value: unknown, allowDays = false): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = (allowDays ? /^([1-9][0-9]{0,8})(s|m|h|d)$/ : /^([1-9][0-9]{0,8})(s|m|h)$/).exec(value);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]] : undefined;
}

/** `seconds` as the shortest exact single-unit duration (`3600` -> `1h`, `90` -> `90s`). */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
