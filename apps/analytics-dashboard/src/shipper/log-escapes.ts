/**
 * Undoes the escaping servers apply inside the quoted fields of an access log:
 * - nginx (`escape=default`) writes `"`, `\` and every byte below 0x20 or above 0x7E as `\xHH` —
 *   so a UTF-8 character arrives as several escapes (`é` = `\xC3\xA9`), decoded here together;
 * - Apache (mod_log_config) writes `\"`, `\\`, `\n`, `\t`, … and `\xhh` for other control bytes.
 * An escape neither writes (`\q`) is kept as it stands.
 */
const SIMPLE: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  v: '\v',
  f: '\f',
};

const utf8 = new TextDecoder('utf-8');

/** The value of the hex digit at `i`, or -1. */
function hexAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

export function unescapeLogField(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  let bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length === 0) return;
    // invalid UTF-8 (a Latin-1 client, a binary request) becomes U+FFFD rather than failing the line
    out += utf8.decode(Uint8Array.from(bytes));
    bytes = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const high = c === '\\' && text[i + 1] === 'x' ? hexAt(text, i + 2) : -1;
    const low = high === -1 ? -1 : hexAt(text, i + 3);
    if (low !== -1) {
      bytes.push(high * 16 + low);
      i += 4;
      continue;
    }
    flushBytes();
    const simple = c === '\\' ? SIMPLE[text[i + 1] ?? ''] : undefined;
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else {
      out += c;
      i += 1;
    }
  }
  flushBytes();
  return out;
}

/**
 * The end of a quoted field that starts at `open` (the index of its `"`): the index of the closing
 * quote, skipping backslash escapes; -1 when the field is not closed.
 */
export function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 1;
    else if (c === 0x22 /* " */) return i;
  }
  return -1;
}
