/**
 * The Kafka baseline: the broker's own perf tools (ProducerPerformance, ConsumerPerformance,
 * EndToEndLatency from the Kafka jars that infra/kafka-local resolved), and their summary lines.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BenchError } from './errors.ts';

const run = promisify(execFile);

export interface ProducerPerfResult {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

export interface ConsumerPerfResult {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
}

export interface EndToEndResult {
  readonly avgMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

const num = String.raw`([\d.]+)`;
const producerSummary = new RegExp(
  String.raw`^(\d+) records sent, ${num} records/sec \(${num} MB/sec\), ${num} ms avg latency, ${num} ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th`,
  'm',
);

/** The final summary line of ProducerPerformance (the last line matching, not the periodic ones). */
export function parseProducerPerf(output: string): ProducerPerfResult {
  const lines = output.split('\n').filter((l) => producerSummary.test(l));
  const m = producerSummary.exec(lines[lines.length - 1] ?? '');
  if (m === null)
    throw new BenchError(`no ProducerPerformance summary in: ${tail(output)}`, { retriable: true });
  const n = (i: number) => Number(m[i]);
  return {
    records: n(1),
    recordsPerSec: n(2),
    mbPerSec: n(3),
    avgLatencyMs: n(4),
    maxLatencyMs: n(5),
    p50Ms: n(6),
    p95Ms: n(7),
    p99Ms: n(8),
    p999Ms: n(9),
  };
}

/** ConsumerPerformance prints a CSV header and one data line. */
export function parseConsumerPerf(output: string): ConsumerPerfResult {
  const lines = output.split('\n').map((l) => l.trim());
  const headerIndex = lines.findIndex((l) => l.startsWith('start.time'));
  const header = lines[headerIndex]?.split(',').map((h) => h.trim());
  const values = lines[headerIndex + 1]?.split(',').map((v) => v.trim());
  if (headerIndex < 0 || header === undefined || values === undefined) {
    throw new BenchError(`no ConsumerPerformance summary in: ${tail(output)}`, { retriable: true });
  }
  const field = (name: string): number => {
    const value = Number(values[header.indexOf(name)]);
    if (!Number.isFinite(value))
      throw new BenchError(`ConsumerPerformance: no ${name} in: ${tail(output)}`, { retriable: true });
    return value;
  };
  return {
    records: field('data.consumed.in.nMsg'),
    recordsPerSec: field('nMsg.sec'),
    mbPerSec: field('MB.sec'),
  };
}

export function parseEndToEnd(output: string): EndToEndResult {
  const avg = /Avg latency: ([\d.]+) ms/.exec(output);
  const pct = /Percentiles: 50th = ([\d.]+), 99th = ([\d.]+), 99.9th = ([\d.]+)/.exec(output);
  if (avg === null || pct === null) {
    throw new BenchError(`no EndToEndLatency summary in: ${tail(output)}`, { retriable: true });
  }
  return { avgMs: Number(avg[1]), p50Ms: Number(pct[1]), p99Ms: Number(pct[2]), p999Ms: Number(pct[3]) };
}

function tail(text: string): string {
  return JSON.stringify(text.trim().split('\n').slice(-3).join(' | '));
}

export interface KafkaTools {
  readonly kafkaVersion: string;
  producerPerf(topic: string, records: number, recordBytes: number): Promise<ProducerPerfResult>;
  consumerPerf(topic: string, records: number): Promise<ConsumerPerfResult>;
  endToEnd(topic: string, records: number, recordBytes: number): Promise<EndToEndResult>;
}

/** Finds the Kafka jars through infra/kafka-local; throws a BenchError when they are not there. */
export async function createKafkaTools(
  repoRoot: string,
  bootstrap: string,
  timeoutMs = 300_000,
): Promise<KafkaTools> {
  const script = join(repoRoot, 'infra', 'kafka-local', 'kafka-local');
  let classpath: string;
  let kafkaVersion: string;
  try {
    classpath = (await run(script, ['classpath'])).stdout.trim();
    const version = (await run(script, ['version'])).stdout;
    kafkaVersion = version.trim().split('\n')[0]?.trim() || 'unknown';
  } catch (error) {
    throw new BenchError(`cannot find the Kafka tools via ${script}`, { retriable: false, cause: error });
  }
  const java = async (mainClass: string, args: readonly string[]): Promise<string> => {
    try {
      const { stdout, stderr } = await run('java', ['-cp', classpath, mainClass, ...args], {
        timeout: timeoutMs,
        maxBuffer: 16 << 20,
      });
      return `${stdout}\n${stderr}`;
    } catch (error) {
      throw new BenchError(`${mainClass} failed`, { retriable: true, cause: error });
    }
  };
  // what the producer and consumer perf tools both take first
  const perfToolArgs = (topic: string, records: number) => [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--num-records',
    String(records),
  ];
  return {
    kafkaVersion,
    async producerPerf(topic, records, recordBytes) {
      const out = await java('org.apache.kafka.tools.ProducerPerformance', [
        ...perfToolArgs(topic, records),
        '--record-size',
        String(recordBytes),
        '--throughput',
        '-1',
        '--command-property',
        'acks=all',
      ]);
      return parseProducerPerf(out);
    },
    async consumerPerf(topic, records) {
      const out = await java('org.apache.kafka.tools.ConsumerPerformance', perfToolArgs(topic, records));
      return parseConsumerPerf(out);
    },
    async endToEnd(topic, records, recordBytes) {
      const out = await java('org.apache.kafka.tools.EndToEndLatency', [
        bootstrap,
        topic,
        String(records),
        'all',
        String(recordBytes),
      ]);
      return parseEndToEnd(out);
    },
  };
}
