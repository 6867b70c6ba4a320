import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markPoison, PoisonError, StreamkitError } from '@streamkit/runtime';
import { defineTopic, paymentValidator, SchemaValidationError } from '@streamkit/schemas';
import {
  createTestDatabase,
  freePort,
  lockDirectory,
  type PrivateRedis,
  startPrivateRedis,
  type TestDatabase,
  uniqueName,
} from '@streamkit/testkit';
import { Redis, ReplyError } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { classifyFailure } from '../src/failure-class.ts';
import { createAdmin, createKafka, createProducer, ensureTopics, HandlerError } from '../src/index.ts';
import { recordingLogger } from './helpers.ts';

const { databaseUrl, kafkaBrokers } = inject('infrastructure');

/** What `promise` rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function silentClient(connectionString: string): pg.Client {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  return client;
}

describe('classifyFailure: PostgreSQL errors from a real server', () => {
  let db: TestDatabase;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase(databaseUrl, 'failure-class');
    admin = silentClient(databaseUrl);
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`alter database "${db.name}" allow_connections true`).catch(() => undefined);
    await admin?.end();
    await db?.drop();
  });

  it('a refused connection is transient', async () => {
    const client = silentClient(`postgres://postgres@127.0.0.1:${await freePort()}/x`);
    expect(classifyFailure(await rejection(client.connect()))).toMatchObject({
      kind: 'transient',
      reason: 'ECONNREFUSED',
    });
  });

  it('a terminated session (57P01) and the client it leaves behind are transient', async () => {
    const client = silentClient(db.url);
    await client.connect();
    const terminated = await rejection(client.query('select pg_terminate_backend(pg_backend_pid())'));
    expect(classifyFailure(terminated)).toMatchObject({ kind: 'transient', reason: 'postgres:57P01' });
    const after = await rejection(client.query('select 1'));
    expect(classifyFailure(after)).toMatchObject({ kind: 'transient', reason: 'postgres:connection' });
    await client.end().catch(() => undefined);
  });

  it('a database that refuses connections is transient (FATAL at startup)', async () => {
    await admin.query(`alter database "${db.name}" allow_connections false`);
    try {
      const refused = await rejection(silentClient(db.url).connect());
      expect(classifyFailure(refused)).toMatchObject({ kind: 'transient', reason: 'postgres:55000' });
    } finally {
      await admin.query(`alter database "${db.name}" allow_connections true`);
    }
  });

  it('a pool that cannot hand out a connection in time is transient', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 100 });
    const held = await pool.connect();
    try {
      expect(classifyFailure(await rejection(pool.query('select 1')))).toMatchObject({
        kind: 'transient',
        reason: 'postgres:connection',
      });
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('serialization failures (40001) and deadlocks (40P01) are transient', async () => {
    const setup = silentClient(db.url);
    await setup.connect();
    await setup.query('create table if not exists acct (id int primary key, n int)');
    await setup.query('insert into acct values (1, 0), (2, 0) on conflict do nothing');
    await setup.end();
    const [a, b] = [silentClient(db.url), silentClient(db.url)];
    await Promise.all([a.connect(), b.connect()]);
    try {
      for (const c of [a, b]) await c.query('begin isolation level serializable');
      await a.query('select sum(n) from acct');
      await b.query('select sum(n) from acct');
      await a.query('update acct set n = n + 1 where id = 1');
      await b.query('update acct set n = n + 1 where id = 2');
      await a.query('commit');
      const serialization = await rejection(b.query('commit'));
      expect(classifyFailure(serialization)).toMatchObject({ kind: 'transient', reason: 'postgres:40001' });

      for (const c of [a, b]) await c.query('begin');
      await a.query('update acct set n = n + 1 where id = 1');
      await b.query('update acct set n = n + 1 where id = 2');
      const crossed = await Promise.allSettled([
        a.query('update acct set n = n + 1 where id = 2'),
        b.query('update acct set n = n + 1 where id = 1'),
      ]);
      const deadlock = crossed.find((r) => r.status === 'rejected');
      expect(classifyFailure(deadlock?.status === 'rejected' ? deadlock.reason : undefined)).toMatchObject({
        kind: 'transient',
        reason: 'postgres:40P01',
      });
    } finally {
      for (const c of [a, b]) await c.query('rollback').catch(() => undefined);
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("a record's bad data (22xxx, 23xxx) is poison without retries; other SQL errors are unclassified poison", async () => {
    const client = silentClient(db.url);
    await client.connect();
    try {
      expect(classifyFailure(await rejection(client.query("select 'x'::int")))).toMatchObject({
        kind: 'poison',
        reason: 'invalid-data',
      });
      await client.query('create table if not exists uniq (id int primary key)');
      await client.query('insert into uniq values (1) on conflict do nothing');
      expect(classifyFailure(await rejection(client.query('insert into uniq values (1)')))).toMatchObject({
        kind: 'poison',
        reason: 'invalid-data',
      });
      expect(classifyFailure(await rejection(client.query('select * from no_such_table')))).toMatchObject({
        kind: 'poison',
        reason: 'unclassified',
      });
    } finally {
      await client.end();
    }
  });
});

describe('classifyFailure: Redis errors from real servers', () => {
  const servers: PrivateRedis[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  function client(url: string): Redis {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 50, lazyConnect: true });
    redis.on('error', () => undefined);
    return redis;
  }

  it('no server on the port, and a closed connection, are transient', async () => {
    const nobody = client(`redis://127.0.0.1:${await freePort()}`);
    const refused = await rejection(nobody.get('k'));
    expect(classifyFailure(refused)).toMatchObject({ kind: 'transient', reason: 'redis:connection' });
    nobody.disconnect();

    const server = await startPrivateRedis();
    servers.push(server);
    const closed = client(server.url);
    await closed.connect();
    closed.disconnect();
    expect(classifyFailure(await rejection(closed.get('k')))).toMatchObject({
      kind: 'transient',
      reason: 'redis:connection',
    });
  });

  it('a replica refuses writes (READONLY), and one without its master refuses reads (MASTERDOWN)', async () => {
    const primary = await startPrivateRedis();
    servers.push(primary);
    const replica = await startPrivateRedis(['--replicaof', '127.0.0.1', String(primary.port)]);
    servers.push(replica);
    const orphan = await startPrivateRedis([
      '--replicaof',
      '127.0.0.1',
      String(await freePort()),
      '--replica-serve-stale-data',
      'no',
    ]);
    servers.push(orphan);
    const [r, o] = [client(replica.url), client(orphan.url)];
    try {
      expect(classifyFailure(await rejection(r.set('k', '1')))).toMatchObject({
        kind: 'transient',
        reason: 'redis:READONLY',
      });
      expect(classifyFailure(await rejection(o.get('k')))).toMatchObject({
        kind: 'transient',
        reason: 'redis:MASTERDOWN',
      });
    } finally {
      r.disconnect();
      o.disconnect();
    }
  });

  it('LOADING (as ioredis reports it) is transient; WRONGTYPE is the data: poison', async () => {
    expect(classifyFailure(new ReplyError('LOADING Redis is loading the dataset in memory'))).toMatchObject({
      kind: 'transient',
      reason: 'redis:LOADING',
    });
    const server = await startPrivateRedis();
    servers.push(server);
    const redis = client(server.url);
    try {
      await redis.set('s', 'x');
      expect(classifyFailure(await rejection(redis.hset('s', 'f', '1')))).toMatchObject({
        kind: 'poison',
        reason: 'unclassified',
      });
    } finally {
      redis.disconnect();
    }
  });
});

describe('classifyFailure: Kafka errors from real clients', () => {
  it.each(['kafkajs', 'platformatic'] as const)('an unreachable broker is transient (%s)', async (client) => {
    const kafka = createKafka({
      brokers: [`127.0.0.1:${await freePort()}`],
      clientId: uniqueName('unreachable'),
      logger: recordingLogger(),
      client,
      connectionTimeoutMs: 500,
      requestTimeoutMs: 1000,
    });
    const failure = classifyFailure(await rejection(createProducer(kafka)));
    expect(failure.kind).toBe('transient');
  });

  it('a record larger than the broker accepts is poison', async () => {
    const kafka = createKafka({
      brokers: kafkaBrokers,
      clientId: uniqueName('too-large'),
      logger: recordingLogger(),
    });
    const topic = uniqueName('too-large');
    await ensureTopics(kafka, [{ topic }]);
    const producer = await createProducer(kafka);
    const big = defineTopic(topic, paymentValidator, (p) => p.cardId);
    try {
      const error = await rejection(
        producer.send(big, [
          {
            value: {
              paymentId: 'p',
              cardId: 'c',
              accountId: 'a',
              merchantId: 'x'.repeat(2_000_000),
              mcc: '5411',
              amount: 1,
              currency: 'EUR',
              country: 'DE',
              ts: new Date().toISOString(),
            },
          },
        ]),
      );
      expect(classifyFailure(error).kind).toBe('poison');
    } finally {
      await producer.disconnect();
      const admin = await createAdmin(kafka);
      await admin.deleteTopics([topic]);
      await admin.disconnect();
    }
  });
});

describe('classifyFailure: the disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'failure-class-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a full disk (ENOSPC) is transient', async () => {
    expect(classifyFailure(await rejection(writeFile('/dev/full', 'x')))).toMatchObject({
      kind: 'transient',
      reason: 'ENOSPC',
    });
  });

  it('a data directory the service may not write is transient (EACCES, or EPERM for root)', async () => {
    const locked = join(dir, 'locked');
    const lock = await lockDirectory(locked);
    try {
      expect(classifyFailure(await rejection(writeFile(join(locked, 'f'), 'x')))).toMatchObject({
        kind: 'transient',
        reason: lock.code,
      });
    } finally {
      await lock.unlock();
    }
  });
});

describe('classifyFailure: what handlers throw', () => {
  it('PoisonError and markPoison are poison, even around an infrastructure error', () => {
    expect(classifyFailure(new PoisonError('card unknown'))).toMatchObject({
      kind: 'poison',
      reason: 'marked',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(markPoison(refused))).toMatchObject({ kind: 'poison', reason: 'marked' });
    expect(classifyFailure(new HandlerError('t', 0, ['1'], markPoison('bad')))).toMatchObject({
      kind: 'poison',
      reason: 'marked',
    });
  });

  it('schema validation is poison; a retriable StreamkitError is transient; a bug is unclassified poison', () => {
    const invalid = paymentValidator.validate({ amount: -1 });
    if (invalid.ok) throw new Error('expected an invalid payment');
    expect(classifyFailure(new SchemaValidationError('Payment', invalid.errors))).toMatchObject({
      kind: 'poison',
      reason: 'invalid-data',
    });
    expect(
      classifyFailure(new StreamkitError('lake busy', { retriable: true, cause: new Error('x') })),
    ).toMatchObject({ kind: 'transient', reason: 'retriable:StreamkitError' });
    expect(classifyFailure(new HandlerError('t', 0, ['1'], new TypeError('x is undefined')))).toMatchObject({
      kind: 'poison',
      reason: 'unclassified',
    });
  });

  it('says what failed from the outside in, without the HandlerError wrapper', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const failure = classifyFailure(
      new HandlerError('t', 0, ['1'], new StreamkitError('reading card states failed', { cause: refused })),
    );
    expect(failure).toEqual({
      kind: 'transient',
      reason: 'ECONNREFUSED',
      message: 'reading card states failed: connect ECONNREFUSED 127.0.0.1:6379',
    });
  });

  it('an infrastructure error deep in a cause chain or an AggregateError is found', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const wrapped = new Error('sink failed', { cause: new AggregateError([new Error('a'), reset]) });
    expect(classifyFailure(new HandlerError('t', 0, ['1'], wrapped))).toMatchObject({
      kind: 'transient',
      reason: 'ECONNRESET',
    });
  });
});
