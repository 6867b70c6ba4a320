import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ViewsEngine } from '../common/env.ts';

/** sql/<engine>/: each engine's NNN_name.sql files. */
export function engineSqlDir(engine: ViewsEngine): string {
  return new URL(`../../sql/${engine}/`, import.meta.url).pathname;
}

export interface SqlFile {
  readonly name: string;
  readonly sql: string;
}

/** An engine's SQL files in name order. */
export async function readEngineSql(engine: ViewsEngine): Promise<SqlFile[]> {
  const dir = engineSqlDir(engine);
  const names = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(join(dir, name), 'utf8') })));
}

/** Fills `{{name}}` placeholders with values quoted for a SQL string literal; unknown ones are refused. */
export function fillPlaceholders(sql: string, values: Readonly<Record<string, string>>): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for the SQL placeholder {{${key}}}`);
    // the placeholders sit inside '…' literals: double any quote so a value cannot end the literal
    return value.replaceAll("'", "''");
  });
}
