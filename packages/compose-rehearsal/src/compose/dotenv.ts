import { existsSync, readFileSync } from 'node:fs';

/**
 * A `.env` file as Compose reads it for interpolation: `KEY=value` lines, an optional `export `,
 * `#` comments (whole lines, or after an unquoted value following a space), values in single quotes
 * (literal) or double quotes (`\n`, `\"` and `\\` escapes). A missing file is an empty environment.
 */
export function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseDotEnv(readFileSync(path, 'utf8'), path);
}

export function parseDotEnv(text: string, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (match === null)
      throw new Error(`${source}:${index + 1}: expected KEY=value, got ${JSON.stringify(raw)}`);
    out[match[1] as string] = unquote(match[2] as string);
  });
  return out;
}

function unquote(value: string): string {
  if (value.startsWith("'")) {
    const end = value.indexOf("'", 1);
    return end === -1 ? value.slice(1) : value.slice(1, end);
  }
  if (value.startsWith('"')) {
    let out = '';
    for (let i = 1; i < value.length; i++) {
      const c = value[i];
      if (c === '"') break;
      if (c === '\\' && i + 1 < value.length) {
        const n = value[++i];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else out += c;
    }
    return out;
  }
  return value.replace(/\s+#.*$/, '');
}
