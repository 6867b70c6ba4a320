import { HttpError } from '@streamkit/http';

const HOUR = 3_600_000;
/** The widest window a series or anomalies request may ask for: the lake's files it reads grow with it. */
export const MAX_RANGE_HOURS = 7 * 24;
/** The widest /api/fleet?hours=: it scans every raw reading of the window. */
export const MAX_FLEET_HOURS = 7 * 24;

/**
 * The [from, to) of a request (`to` defaults to now, `from` to `defaultHours` before `to`),
 * refused with 400 naming `from` when it is empty or wider than MAX_RANGE_HOURS.
 */
export function requestRange(
  query: { from?: string; to?: string },
  defaultHours: number,
): { from: Date; to: Date } {
  const to = query.to === undefined ? new Date() : new Date(query.to);
  const from = query.from === undefined ? new Date(to.getTime() - defaultHours * HOUR) : new Date(query.from);
  const span = to.getTime() - from.getTime();
  if (!(span > 0)) throw rangeError('must be before to');
  if (span > MAX_RANGE_HOURS * HOUR) throw rangeError(`must be at most ${MAX_RANGE_HOURS} hours before to`);
  return { from, to };
}

function rangeError(message: string): HttpError {
  return new HttpError(400, { message: 'invalid query string', fields: [{ field: 'from', message }] });
}
