// Shipper throughput and memory: writes a log file, starts the real shipper process on it, and
// times it to its last checkpoint (every line acknowledged by Kafka).
//   node src/bench/shipper-throughput.ts [--lines 200000] [--node-flags="--cpu-prof --cpu-prof-dir=/tmp/prof"]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kafkaEnv, loadConfig, processEnvironment } from '@streamkit/config';
import { createAdmin, createKafka } from '@streamkit/kafka';
import { silentLogger } from '@streamkit/runtime';
import { nodeFlags as serviceNodeFlags } from '../common/node-flags.ts';
import { dashboardTopics } from '../common/topics.ts';
import { combinedLine } from '../loggen/access-line.ts';
import { createTraffic } from '../loggen/traffic.ts';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '200000' },
    'node-flags': { type: 'string', default: serviceNodeFlags.shipper.join(' ') },
    'batch-lines': { type: 'string', default: '2000' },
    'produce-batch-lines': { type: 'string', default: '1000' },
  },
});
const lineCount = Number(values.lines);
if (!Number.isInteger(lineCount) || lineCount < 1) throw new RangeError('--lines must be a positive integer');
const nodeFlags = (values['node-flags'] ?? '').split(' ').filter((f) => f !== '');
const { kafkaBrokers } = loadConfig(kafkaEnv);
const appDir = new URL('../..', import.meta.url).pathname;

const dir = await mkdtemp(join(tmpdir(), 'shipper-bench-'));
const file = join(dir, 'access.log');
const checkpointFile = join(dir, 'checkpoints.json');
const traffic = createTraffic({ seed: 3, hosts: ['web-bench.example'], errorRate: 0.02 });
const start = Date.now() - lineCount;
const lines: string[] = [];
for (let i = 0; i < lineCount; i++) lines.push(combinedLine(traffic(start + i)));
await writeFile(file, `${lines.join('\n')}\n`);
const { size } = await stat(file);
const prefix = `bench-${Date.now()}.`;

const started = performance.now();
const child = spawn(process.execPath, [...nodeFlags, 'src/shipper/main.ts'], {
  cwd: appDir,
  env: {
    ...processEnvironment(),
    KAFKA_TOPIC_PREFIX: prefix,
    SHIPPER_FILES: file,
    SHIPPER_CHECKPOINT_FILE: checkpointFile,
    SHIPPER_API_KEY: 'bench-shipper-key-0123456789',
    SHIPPER_LOG_HOST: 'web-bench.example',
    SHIPPER_MAX_BATCH_LINES: values['batch-lines'],
    SHIPPER_PRODUCE_BATCH_LINES: values['produce-batch-lines'],
    PORT: '0',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

const offset = async () => {
  try {
    const parsed = JSON.parse(await readFile(checkpointFile, 'utf8')) as {
      files: Record<string, { offset: number }>;
    };
    return parsed.files[file]?.offset ?? 0;
  } catch {
    return 0; // not written yet (or being replaced)
  }
};
const peakRssMb = async () => {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};

/** CPU seconds the shipper used (user + system; /proc ticks are 1/100 s on Linux) */
const cpuSeconds = async () => {
  const fields = (await readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => ''))
    .split(') ')[1]
    ?.split(' ');
  return (Number(fields?.[11] ?? 0) + Number(fields?.[12] ?? 0)) / 100;
};

let first: { at: number; offset: number; cpu: number } | undefined;
let last = 0;
const deadline = performance.now() + 300_000;
while (last < size) {
  if (performance.now() > deadline || child.exitCode !== null)
    throw new Error(`shipper stopped at ${last}/${size} bytes`);
  await new Promise((r) => setTimeout(r, 10));
  last = await offset();
  if (first === undefined && last > 0)
    first = { at: performance.now(), offset: last, cpu: await cpuSeconds() };
}
const done = performance.now();
const rss = await peakRssMb();
const cpuAfterFirstAck = (await cpuSeconds()) - (first?.cpu ?? 0);
child.kill('SIGTERM');
await once(child, 'exit');

const total = (done - started) / 1000;
const steady = first === undefined ? total : (done - first.at) / 1000;
const steadyLines = first === undefined ? lineCount : Math.round((lineCount * (size - first.offset)) / size);
console.log(
  JSON.stringify({
    lines: lineCount,
    megabytes: Math.round(size / 1e5) / 10,
    nodeFlags,
    batchLines: Number(values['batch-lines']),
    produceBatchLines: Number(values['produce-batch-lines']),
    totalSeconds: Math.round(total * 100) / 100,
    linesPerSecondInclStartup: Math.round(lineCount / total),
    linesPerSecondAfterFirstAck: Math.round(steadyLines / steady),
    // the machine is shared: lines per CPU second of the shipper is what one free core would give
    linesPerCpuSecondAfterFirstAck: Math.round(steadyLines / Math.max(cpuAfterFirstAck, 0.01)),
    peakRssMb: Math.round(rss),
  }),
);

const admin = await createAdmin(
  createKafka({ brokers: kafkaBrokers, clientId: 'shipper-bench', logger: silentLogger }),
);
const topics = dashboardTopics(prefix);
await admin.deleteTopics([topics.logs.name, topics.rejected.name]).catch(() => undefined);
await admin.disconnect();
await rm(dir, { recursive: true, force: true });
