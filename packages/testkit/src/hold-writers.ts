/** Anything that runs SQL text: a pg Pool or Client. */
export interface SqlRunner {
  query(text: string): Promise<unknown>;
}

export interface HoldWritersOptions {
  /** The statements that are held (default: every insert, update or delete). */
  readonly events?: string;
  /** Most holds last up to this long (ms, uniform). Default 30. */
  readonly typicalMs?: number;
  /** Some last this long (ms). Default 500. */
  readonly longMs?: number;
  /** The share of long holds. Default 0.02. */
  readonly longChance?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Test only: every transaction that writes `table` stays open a random while after each such
 * statement (a statement trigger that sleeps), so writers a test cannot hold itself — a sink, a
 * store method — commit late and out of order, as a feed over the table must survive.
 */
export async function holdWritersOf(
  db: SqlRunner,
  table: string,
  options: HoldWritersOptions = {},
): Promise<void> {
  if (!IDENTIFIER.test(table)) throw new RangeError(`table must be a plain identifier, got ${table}`);
  const { events = 'insert or update or delete', typicalMs = 30, longMs = 500, longChance = 0.02 } = options;
  const seconds = (ms: number) => Number(ms / 1000).toString();
  await db.query(`
    create function test_hold_${table}() returns trigger language plpgsql as $$
    begin
      perform pg_sleep(case when random() < ${Number(longChance)} then ${seconds(longMs)}
                            else random() * ${seconds(typicalMs)} end);
      return null;
    end $$;
    create trigger test_hold after ${events} on ${table}
      for each statement execute function test_hold_${table}();`);
}
