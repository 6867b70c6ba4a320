/**
 * A small reader of the view definitions in sql/<engine>/*.sql: each `CREATE [MATERIALIZED] VIEW`
 * with the names of its output columns. Enough for our own files (it follows parentheses, quotes
 * and comments), so a test can hold the three engines to the same names and columns.
 */
export interface DefinedView {
  readonly name: string;
  readonly columns: readonly string[];
}

const CREATE_VIEW = /^create\s+(?:materialized\s+)?view\s+(?:if\s+not\s+exists\s+)?("?[\w.]+"?)\s+as\s+/i;

export function definedViews(sql: string): DefinedView[] {
  return splitStatements(stripComments(sql)).flatMap((statement) => {
    const match = CREATE_VIEW.exec(statement);
    if (match === null || match[1] === undefined) return [];
    return [{ name: unquote(match[1]), columns: outputColumns(statement.slice(match[0].length)) }];
  });
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '');
}

/** Splits on `;` outside quotes. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ';') {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** The top-level (depth 0) text of a query with parenthesised parts blanked out. */
function topLevel(sql: string): string {
  let depth = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of sql) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      out += depth === 0 ? ch : ' ';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === '(') depth++;
    out += depth === 0 ? ch : ' ';
    if (ch === ')') depth--;
  }
  return out;
}

function outputColumns(query: string): string[] {
  const flat = topLevel(query);
  // the main SELECT is the last top-level one (a WITH clause's queries sit inside parentheses)
  const selects = [...flat.matchAll(/\bselect\b/gi)];
  const select = selects.at(-1);
  if (select?.index === undefined) return [];
  const start = select.index + select[0].length;
  const from = /\bfrom\b/i.exec(flat.slice(start));
  const end = from === null ? flat.length : start + from.index;
  const items: string[] = [];
  let itemStart = start;
  for (let i = start; i < end; i++) {
    if (flat[i] === ',') {
      items.push(query.slice(itemStart, i));
      itemStart = i + 1;
    }
  }
  items.push(query.slice(itemStart, end));
  return items.map(columnName);
}

function columnName(item: string): string {
  const flat = topLevel(item).trim();
  const alias = /\bas\s+("?[\w]+"?)\s*$/i.exec(flat);
  if (alias?.[1] !== undefined) return unquote(alias[1]);
  const bare = /("?[\w]+"?)\s*$/.exec(flat);
  return bare?.[1] === undefined ? flat : unquote(bare[1]);
}

function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1) : identifier.toLowerCase();
}
