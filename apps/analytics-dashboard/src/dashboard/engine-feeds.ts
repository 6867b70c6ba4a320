// Change feeds of the streaming engines: RisingWave subscriptions and Materialize SUBSCRIBE.
// Neither engine runs on the CI machines, so these paths are exercised only against a real
// engine (RISINGWAVE_URL / MATERIALIZE_URL).
import pg from 'pg';
import { createListeners, type ViewsChangeFeed } from './change-feed.ts';

export interface EngineFeedSettings {
  readonly url: string;
  /** The view whose changes wake the dashboard: every new line changes requests_per_second. */
  readonly view?: string;
  readonly onError?: (error: Error) => void;
}

/** Reads `fetch` in a loop on its own connection until closed; reconnects after a failure. */
function fetchLoop(
  settings: EngineFeedSettings,
  open: (client: pg.Client) => Promise<void>,
  fetch: (client: pg.Client) => Promise<boolean>,
): ViewsChangeFeed {
  const listeners = createListeners();
  let closed = false;
  let client: pg.Client | undefined;
  const loop = (async () => {
    while (!closed) {
      try {
        client = new pg.Client({ connectionString: settings.url });
        client.on('error', () => undefined);
        await client.connect();
        await open(client);
        while (!closed) if (await fetch(client)) listeners.notify();
      } catch (error) {
        if (!closed) settings.onError?.(error as Error);
        await client?.end().catch(() => undefined);
        if (!closed) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
  return {
    subscribe: (onChange) => listeners.add(onChange),
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
      await loop;
    },
  };
}

/** RisingWave: CREATE SUBSCRIPTION on the view and a subscription cursor fetched with a 1 s timeout. */
export function createRisingwaveChangeFeed(settings: EngineFeedSettings): ViewsChangeFeed {
  const view = settings.view ?? 'requests_per_second';
  return fetchLoop(
    settings,
    async (client) => {
      await client.query(
        `CREATE SUBSCRIPTION IF NOT EXISTS dashboard_${view}_changes FROM ${view} WITH (retention = '1h')`,
      );
      await client.query(`DECLARE dashboard_cursor SUBSCRIPTION CURSOR FOR dashboard_${view}_changes`);
    },
    async (client) =>
      (await client.query(`FETCH 1000 FROM dashboard_cursor WITH (timeout = '1s')`)).rows.length > 0,
  );
}

/** Materialize: SUBSCRIBE with progress messages; a row that is not a progress marker is a change. */
export function createMaterializeChangeFeed(settings: EngineFeedSettings): ViewsChangeFeed {
  const view = settings.view ?? 'requests_per_second';
  return fetchLoop(
    settings,
    async (client) => {
      await client.query('BEGIN');
      await client.query(
        `DECLARE dashboard_cursor CURSOR FOR SUBSCRIBE (SELECT * FROM ${view}) WITH (PROGRESS, SNAPSHOT = false)`,
      );
    },
    async (client) => {
      const { rows } = await client.query<{ mz_progressed: boolean }>(
        `FETCH ALL dashboard_cursor WITH (timeout = '1s')`,
      );
      return rows.some((row) => row.mz_progressed === false);
    },
  );
}
