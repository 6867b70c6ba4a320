// Parser throughput: the shipper's line parser alone, over combined-format lines the log generator
// writes, timed in rounds (the median is reported).
//   node src/bench/parse-lines.ts [--lines 200000] [--rounds 7]
import { parseArgs } from 'node:util';
import { combinedLine } from '../loggen/access-line.ts';
import { createTraffic } from '../loggen/traffic.ts';
import { parseLine } from '../shipper/parse-line.ts';

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '7' } },
});
const lineCount = Number(values.lines);
const rounds = Number(values.rounds);
if (!Number.isInteger(lineCount) || lineCount < 1) throw new RangeError('--lines must be a positive integer');
if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError('--rounds must be a positive integer');

const traffic = createTraffic({ seed: 3, hosts: ['web-bench.example'], errorRate: 0.02 });
const start = Date.UTC(2026, 0, 1);
// one line in a second's worth of traffic moves the clock, as a real log does
const lines = Array.from({ length: lineCount }, (_, i) => combinedLine(traffic(start + i * 7)));

const rates: number[] = [];
let accepted = 0;
for (let round = 0; round < rounds; round++) {
  accepted = 0;
  const began = performance.now();
  for (const line of lines) if (parseLine(line).ok) accepted += 1;
  rates.push(lineCount / ((performance.now() - began) / 1000));
}
if (accepted !== lineCount) throw new Error(`only ${accepted} of ${lineCount} generated lines parsed`);
rates.sort((a, b) => a - b);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `parsed ${fmt(lineCount)} combined lines × ${rounds} rounds: median ${fmt(rates[Math.floor(rounds / 2)] ?? 0)} lines/s (min ${fmt(rates[0] ?? 0)}, max ${fmt(rates.at(-1) ?? 0)})`,
);
