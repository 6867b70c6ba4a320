// The three engines' SQL define the same views with the same columns as the catalog the API
// serves (read from the files themselves, so an edit to one engine's SQL cannot drift).
import { describe, expect, it } from 'vitest';
import { VIEW_NAMES, VIEWS } from '../src/views/catalog.ts';
import { fillPlaceholders, readEngineSql } from '../src/views/sql-files.ts';
import { definedViews } from '../src/views/view-sql.ts';

const ENGINES = ['postgres', 'risingwave', 'materialize'] as const;

async function viewsOf(engine: (typeof ENGINES)[number]) {
  const files = await readEngineSql(engine);
  return new Map(files.flatMap((f) => definedViews(f.sql)).map((v) => [v.name, v.columns]));
}

describe('view definitions', () => {
  it.each(ENGINES)('%s defines every catalog view with exactly its columns, in order', async (engine) => {
    const views = await viewsOf(engine);
    for (const name of VIEW_NAMES) {
      expect(views.get(name), `${engine}: ${name}`).toEqual(VIEWS[name].columns.map((c) => c.name));
    }
  });

  it('reads column names through casts, aliases, CTEs and nested queries', () => {
    const sql = `-- a comment; with a semicolon
      create materialized view if not exists v as
      with h as (select a, b from t)
      select x.window_start, count(*)::bigint as "Requests", f(a, b) as c from (select 1) x;
      create view w as select 1 as one`;
    expect(definedViews(sql)).toEqual([
      { name: 'v', columns: ['window_start', 'Requests', 'c'] },
      { name: 'w', columns: ['one'] },
    ]);
  });

  it("fills the streaming engines' placeholders as SQL literals and refuses unknown ones", () => {
    expect(fillPlaceholders("topic = '{{t}}'", { t: "a'b" })).toBe("topic = 'a''b'");
    expect(() => fillPlaceholders('{{missing}}', {})).toThrow(/missing/);
  });
});
