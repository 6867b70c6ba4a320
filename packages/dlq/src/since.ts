const units: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since`: an ISO-8601 date or time (`2026-12-01`, `2026-12-01T08:00:00Z`), or how long ago
 * (`90m`, `6h`, `2d`). Returns epoch ms; throws TypeError naming the option otherwise.
 */
export function parseSince(text: string, now: number = Date.now()): number {
  const relative = /^(\d+)([smhd])$/.exec(text.trim());
  if (relative !== null) return now - Number(relative[1]) * (units[relative[2] as string] as number);
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at))
    throw new TypeError(
      `--since must be an ISO-8601 date/time or a duration like 90m, 6h, 2d; got ${JSON.stringify(text)}`,
    );
  return at;
}
