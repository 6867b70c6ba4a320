import { describe, expect, it } from 'vitest';
import {
  createKafka,
  createProducer,
  ensureTopics,
  KafkaSettingsError,
  runConsumer,
  runTransactionalProcessor,
} from '../src/index.ts';
import { freshPaymentsTopic, recordingLogger } from './helpers.ts';

// Nothing listens here: a settings error must come before any connection attempt.
const unreachable = createKafka({
  brokers: ['127.0.0.1:1'],
  clientId: 'settings-test',
  logger: recordingLogger(),
});
const topic = freshPaymentsTopic();

async function settingsError(promise: Promise<unknown>): Promise<KafkaSettingsError> {
  const failure = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(KafkaSettingsError);
  return failure as KafkaSettingsError;
}

describe('settings are rejected at construction', () => {
  it('createKafka names every problem', () => {
    try {
      createKafka({
        brokers: ['localhost', 'a:b'],
        clientId: ' ',
        logLevel: 'loud' as 'warn',
        requestTimeoutMs: 0,
        client: 'rdkafka' as 'kafkajs',
      });
      expect.unreachable();
    } catch (e) {
      const error = e as KafkaSettingsError;
      expect(error).toBeInstanceOf(KafkaSettingsError);
      expect(error.problems).toEqual([
        'broker "localhost" is not host:port',
        'broker "a:b" is not host:port',
        'clientId must be a non-empty string',
        'logLevel "loud" is not error|warn|info|debug|silent',
        'requestTimeoutMs must be a positive integer (ms), got 0',
        'client "rdkafka" is not kafkajs|platformatic',
      ]);
    }
    expect(() => createKafka({ brokers: [], clientId: 'x' })).toThrow(/at least one host:port/);
    expect(createKafka({ brokers: ['h:1'], clientId: 'x' }).implementation).toBe('kafkajs');
    expect(createKafka({ brokers: ['h:1'], clientId: 'x', client: 'platformatic' }).implementation).toBe(
      'platformatic',
    );
  });

  it('createProducer', async () => {
    const error = await settingsError(
      createProducer(unreachable, { lingerMs: -1, maxBatchSize: 0, maxBufferedMessages: 1.5 }),
    );
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/lingerMs must be an integer in 0\.\.10000, got -1/);
  });

  it('runConsumer', async () => {
    const error = await settingsError(
      runConsumer(unreachable, {
        groupId: '',
        topic,
        maxBatchSize: 0,
        retry: { maxRetries: 1, initialBackoffMs: 10, maxBackoffMs: 5 },
        handleBatch: async () => undefined,
      }),
    );
    expect(error.message).toMatch(/groupId must be a non-empty string/);
    expect(error.message).toMatch(/maxBatchSize/);

    const retry = await settingsError(
      runConsumer(unreachable, {
        groupId: 'g',
        topic,
        retry: { maxRetries: 1, initialBackoffMs: 10, maxBackoffMs: 5 },
        handleBatch: async () => undefined,
      }),
    );
    expect(retry.message).toMatch(/^invalid retry settings: maxBackoffMs must be >= initialBackoffMs \(10\)/);

    const handlers = await settingsError(
      // @ts-expect-error: both handlers given
      runConsumer(unreachable, {
        groupId: 'g',
        topic,
        handleBatch: async () => undefined,
        handleMessage: async () => undefined,
      }),
    );
    expect(handlers.message).toMatch(/exactly one of handleBatch and handleMessage/);
  });

  it('runTransactionalProcessor', async () => {
    const error = await settingsError(
      runTransactionalProcessor(unreachable, {
        groupId: 'g',
        topic,
        transactionalId: '',
        transactionTimeoutMs: 10,
        process: async () => undefined,
      }),
    );
    expect(error.message).toMatch(/transactionalId must be a non-empty string/);
    expect(error.message).toMatch(/transactionTimeoutMs/);
  });

  it('ensureTopics', async () => {
    const error = await settingsError(ensureTopics(unreachable, [{ topic: 'bad name!', partitions: 0 }]));
    expect(error.problems).toEqual([
      'topic name "bad name!" is not valid',
      'bad name!.partitions must be an integer in 1..10000, got 0',
    ]);
  });
});
