// The domain's migrations against a real Postgres: the seeded rules ARE defaultRules, and changes notify.

import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { defaultRules } from '../src/domain/rules/defaults.ts';
import { parseRules } from '../src/domain/rules/parse.ts';
import { useMigratedDatabase } from './support/migrated-database.ts';

const database = useMigratedDatabase('fraud_domain', 2);

/** Collects NOTIFY payloads of one channel on a dedicated connection. */
async function listen(channel: string) {
  const client = new pg.Client({ connectionString: database().db.url });
  await client.connect();
  const payloads: string[] = [];
  client.on('notification', (n) => {
    if (n.channel === channel && n.payload !== undefined) payloads.push(n.payload);
  });
  await client.query(`listen ${channel}`);
  return { payloads, close: () => client.end() };
}

describe('001_rules.sql', () => {
  it('seeds exactly defaultRules, and every seeded row parses', async () => {
    const { rows } = await database().pool.query(
      'select id, description, condition, score, action, enabled, priority from fraud_rules',
    );
    const { rules, rejected } = parseRules(rows);
    expect(rejected).toEqual([]);
    expect(rules).toEqual(parseRules(defaultRules).rules);
  });

  it('is idempotent: migrating again changes nothing', async () => {
    const result = await migrate(database().pool);
    expect(result.applied).toEqual([]);
    const { rows } = await database().pool.query<{ n: string }>('select count(*) as n from fraud_rules');
    expect(Number(rows[0]?.n)).toBe(defaultRules.length);
  });

  it('notifies fraud_rules_changed with the rule id on insert, update and delete, and stamps updated_at', async () => {
    const listener = await listen('fraud_rules_changed');
    try {
      await database().pool.query(
        `insert into fraud_rules (id, description, condition, score, action) values ('R-TEST', 'test', '{"pattern":"card_testing"}', 0.5, 'flag')`,
      );
      const before = await database().pool.query<{ updated_at: Date }>(
        `select updated_at from fraud_rules where id = 'R-TEST'`,
      );
      await database().pool.query(`update fraud_rules set score = 0.6 where id = 'R-TEST'`);
      await database().pool.query(`delete from fraud_rules where id = 'R-TEST'`);
      await vi.waitFor(() => expect(listener.payloads).toEqual(['R-TEST', 'R-TEST', 'R-TEST']), {
        timeout: 10_000,
      });
      expect(before.rows[0]?.updated_at).toBeInstanceOf(Date);
    } finally {
      await listener.close();
    }
  });

  it('rejects a score outside [0, 1] and an unknown action', async () => {
    await expect(
      database().pool.query(
        `insert into fraud_rules (id, description, condition, score, action) values ('R-X', 'x', '{}', 1.5, 'flag')`,
      ),
    ).rejects.toThrow(/check/);
    await expect(
      database().pool.query(
        `insert into fraud_rules (id, description, condition, score, action) values ('R-X', 'x', '{}', 0.5, 'block')`,
      ),
    ).rejects.toThrow(/check/);
  });
});

describe('002_models.sql', () => {
  it('stores models and notifies fraud_model_published with the version', async () => {
    const listener = await listen('fraud_model_published');
    try {
      await database().pool.query(
        `insert into fraud_models (version, model) values ('v-test-1', '{"kind":"logistic_regression"}')`,
      );
      await vi.waitFor(() => expect(listener.payloads).toEqual(['v-test-1']), { timeout: 10_000 });
      const { rows } = await database().pool.query('select version, active from fraud_models');
      expect(rows).toEqual([{ version: 'v-test-1', active: true }]);
    } finally {
      await listener.close();
    }
  });
});
