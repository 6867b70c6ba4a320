import pg from 'pg';

/** Which transaction of which writer: passed to the work and the hold of each. */
export interface TransactionTurn {
  readonly writer: number;
  /** The writer's transactions so far (0 for its first). */
  readonly round: number;
  /** Since the writers started. */
  readonly elapsedMs: number;
}

export interface ConcurrentCommitsSettings<T> {
  /** Each writer has a connection of its own to this database. */
  readonly databaseUrl: string;
  readonly writers: number;
  /** Writers begin transactions until this long after the start; the last ones then finish. */
  readonly durationMs: number;
  /** One transaction's statements, between the BEGIN and COMMIT sent here; returns what to keep. */
  readonly work: (client: pg.Client, turn: TransactionTurn) => Promise<T>;
  /** How long the transaction then stays open before its COMMIT (ms; held by pg_sleep, server side). */
  readonly holdMs: (turn: TransactionTurn) => number;
}

export interface CommittedTransaction<T> extends TransactionTurn {
  readonly value: T;
  /** Date.now() when the COMMIT was sent: a reader subscribed before it must see the change. */
  readonly commitSentAt: number;
}

export interface ConcurrentCommits<T> {
  /** In the order their COMMITs returned. */
  readonly committed: readonly CommittedTransaction<T>[];
  /** Transactions PostgreSQL aborted as a deadlock or serialization failure (rolled back). */
  readonly aborted: number;
}

/** SQLSTATEs of a transaction that lost a race with another: expected under contention. */
const RACE_LOST = new Set(['40P01', '40001']);

/**
 * Several writers, each on its own real connection, commit transactions concurrently, each held
 * open for a chosen time — the workload that shows whether a change feed misses what commits late
 * or out of order. Any error but a lost race fails the run.
 */
export async function commitConcurrently<T>(
  settings: ConcurrentCommitsSettings<T>,
): Promise<ConcurrentCommits<T>> {
  const { databaseUrl, writers, durationMs, work, holdMs } = settings;
  if (!Number.isInteger(writers) || writers < 1)
    throw new RangeError(`writers must be an integer >= 1, got ${writers}`);
  const committed: CommittedTransaction<T>[] = [];
  let aborted = 0;
  const started = Date.now();

  async function writer(index: number): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      for (let round = 0; Date.now() - started < durationMs; round++) {
        const turn = { writer: index, round, elapsedMs: Date.now() - started };
        await client.query('BEGIN');
        try {
          const value = await work(client, turn);
          const hold = holdMs(turn);
          if (hold > 0) await client.query('SELECT pg_sleep($1)', [hold / 1000]);
          const commitSentAt = Date.now();
          await client.query('COMMIT');
          committed.push({ ...turn, value, commitSentAt });
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (!RACE_LOST.has((error as { code?: string }).code ?? '')) throw error;
          aborted++;
        }
      }
    } finally {
      await client.end();
    }
  }

  await Promise.all(Array.from({ length: writers }, (_, i) => writer(i)));
  return { committed, aborted };
}
