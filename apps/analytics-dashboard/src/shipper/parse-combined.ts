import { closingQuote, unescapeLogField } from './log-escapes.ts';
import { type ParseResult, pathOf, rejected } from './parsed-line.ts';

// %h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-agent}i" [request_time]
const HEAD = /^(\S+) \S+ \S+ \[([^\]]+)\] /;
const STATUS_SIZE = / (\d{3}) (\d+|-)/y;
const END = /\s*$/y;
const SECONDS_END = / (\d+(?:\.\d+)?)\s*$/y;
const CLF_TIME =
  /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))? ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const notCombined = (what: string) => rejected(`not a combined-format line: ${what}`);

/** What follows the size: nothing, a request time, or referrer and user agent (and a request time). */
type Tail = { referrer?: string; userAgent?: string; seconds?: string } | { problem: string };

/**
 * One line of the nginx/Apache "combined" format (or the common format without referrer and user
 * agent), optionally followed by the request time in seconds (nginx `$request_time`, e.g. `0.042`;
 * without it the duration is 0). Quoted fields are unescaped as nginx and Apache escape them
 * (`log-escapes.ts`). The user agent, the last quoted field, runs to the line's last quote, so one
 * holding bare quotes (older Apache, hand-written formats, some proxies) is still read, as GoAccess
 * does; a bare quote anywhere else makes the line ambiguous, and it is rejected with the reason.
 */
export function parseCombined(text: string): ParseResult {
  const head = HEAD.exec(text);
  if (head === null) return rejected('not a combined-format line');
  const [whole, clientIp = '', time = ''] = head;
  const ts = parseClfTime(time);
  if (ts === undefined) return rejected(`unreadable timestamp "${time}"`);
  const open = whole.length;
  const close = text[open] === '"' ? closingQuote(text, open) : -1;
  if (close === -1) return notCombined('no quoted request line after the time');
  STATUS_SIZE.lastIndex = close + 1;
  const statusSize = STATUS_SIZE.exec(text);
  if (statusSize === null) return notCombined('no status and size after the request line');
  const [, status = '', size = ''] = statusSize;
  const tail = readTail(text, STATUS_SIZE.lastIndex);
  if ('problem' in tail) return notCombined(tail.problem);
  const rawRequest = text.slice(open + 1, close);
  const parts = unescapeLogField(rawRequest).split(' ');
  // named as the log has it: escapes kept, no control characters in the reason
  if (parts.length < 2 || parts.length > 3) return rejected(`unreadable request line "${rawRequest}"`);
  const [method = '', target = ''] = parts;
  const { referrer, userAgent, seconds } = tail;
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
      userAgent: userAgent === undefined || userAgent === '-' ? '' : userAgent,
      ...(referrer === undefined || referrer === '-' ? {} : { referrer }),
    },
  };
}

function readTail(text: string, at: number): Tail {
  if (!text.startsWith(' "', at)) {
    END.lastIndex = at;
    if (END.test(text)) return {};
    SECONDS_END.lastIndex = at;
    const seconds = SECONDS_END.exec(text)?.[1];
    return seconds === undefined ? { problem: 'expected a quoted referrer after the size' } : { seconds };
  }
  const refClose = closingQuote(text, at + 1);
  if (refClose === -1 || !text.startsWith(' "', refClose + 1))
    return { problem: 'expected the quoted referrer, then the quoted user agent' };
  const agentOpen = refClose + 2;
  const agentEnd = lastFieldEnd(text, agentOpen + 1);
  if (agentEnd === undefined) return { problem: 'the user agent is not closed by a quote' };
  return {
    referrer: unescapeLogField(text.slice(at + 2, refClose)),
    userAgent: unescapeLogField(withoutForwardedFor(text.slice(agentOpen + 1, agentEnd.close))),
    ...(agentEnd.seconds === undefined ? {} : { seconds: agentEnd.seconds }),
  };
}

// nginx's stock `main` format appends "$http_x_forwarded_for" after the user agent: `-` or a list of
// IP addresses. Whole addresses only, so that a user agent ending in `"4.5"` is not taken for one.
const ADDRESS = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|[\da-fA-F]*:[\da-fA-F:.]+)`;
const FORWARDED_FOR = new RegExp(String.raw`" "(?:-|${ADDRESS}(?:, ?${ADDRESS})*)$`);

/** The user agent without the X-Forwarded-For field that may follow it (not kept: not in the views). */
function withoutForwardedFor(agent: string): string {
  // hot path: most user agents end in a character an address list cannot hold, or hold no quote
  // before their address-like tail; only those that do are matched against the pattern
  let i = agent.length - 1;
  while (i >= 0 && isForwardedForChar(agent.charCodeAt(i))) i--;
  if (i < 2 || agent.charCodeAt(i) !== 0x22) return agent;
  const match = FORWARDED_FOR.exec(agent);
  // `\" \"` is an escaped quote inside the user agent (Apache), not the end of the field
  return match === null || agent[match.index - 1] === '\\' ? agent : agent.slice(0, match.index);
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** What an X-Forwarded-For field holds: hex digits, `.`, `:`, `,`, space and `-`. */
const isForwardedForChar = (c: number) =>
  isDigit(c) ||
  ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) ||
  c === 0x2e ||
  c === 0x3a ||
  c === 0x2c ||
  c === 0x20 ||
  c === 0x2d;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d;

/**
 * The closing quote of the line's last quoted field — its last `"`, followed only by an optional
 * request time (` 0.042`) and whitespace — searched from the end, at or after `from`.
 */
function lastFieldEnd(text: string, from: number): { close: number; seconds?: string } | undefined {
  let i = text.length - 1;
  while (i >= from && isSpace(text.charCodeAt(i))) i--;
  const numberEnd = i + 1;
  while (i >= from && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 0x2e)) i--;
  const number = text.slice(i + 1, numberEnd);
  if (number !== '' && text.charCodeAt(i) === 0x20 && /^\d+(?:\.\d+)?$/.test(number)) {
    if (i - 1 >= from && text.charCodeAt(i - 1) === 0x22) return { close: i - 1, seconds: number };
    return undefined;
  }
  return numberEnd - 1 >= from && text.charCodeAt(numberEnd - 1) === 0x22
    ? { close: numberEnd - 1 }
    : undefined;
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
  if (Number(day) < 1 || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return undefined;
  if (new Date(Date.UTC(Number(year), month, Number(day))).getUTCDate() !== Number(day)) return undefined;
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}
