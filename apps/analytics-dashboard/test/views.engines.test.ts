// RisingWave and Materialize: the views created from sql/<engine> on a reachable engine. Neither
// engine runs on the CI machines: without RISINGWAVE_URL / MATERIALIZE_URL these tests are
// skipped, and say so.
import { loadConfig } from '@streamkit/config';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dashboardTopics } from '../src/common/topics.ts';
import { VIEW_NAMES, VIEWS } from '../src/views/catalog.ts';
import { viewsMigrateConfigSpec } from '../src/views/config.ts';
import { migrateViews } from '../src/views/migrate-views.ts';

const config = loadConfig(viewsMigrateConfigSpec);
const engines = [
  { engine: 'risingwave', url: config.risingwaveUrl, variable: 'RISINGWAVE_URL' },
  { engine: 'materialize', url: config.materializeUrl, variable: 'MATERIALIZE_URL' },
] as const;

for (const { engine, url, variable } of engines) {
  if (url === undefined) {
    console.info(`${engine} views: SKIPPED — ${variable} is not set, no ${engine} is reachable here`);
    describe(`${engine} views`, () => {
      it.skip(`SKIPPED: ${variable} is not set, so no ${engine} is reachable; its SQL is only checked by views.sql.test.ts`, () => {});
    });
    continue;
  }
  describe(`${engine} views (${variable})`, () => {
    it(`has every view with the catalog columns (after views:migrate with VIEWS_ENGINE=${engine})`, async () => {
      // IF NOT EXISTS throughout: applying again on a prepared engine changes nothing
      await migrateViews({
        engine,
        url,
        logsTopic: dashboardTopics(config.topicPrefix).logs.name,
        kafkaBootstrap: config.viewsKafkaBootstrap ?? config.kafkaBrokers.join(','),
      });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const name of VIEW_NAMES) {
          const result = await client.query(`select * from ${name} limit 0`);
          expect(
            result.fields.map((f) => f.name),
            name,
          ).toEqual(VIEWS[name].columns.map((c) => c.name));
        }
      } finally {
        await client.end();
      }
    });
  });
}
