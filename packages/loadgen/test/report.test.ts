import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../src/histogram.ts';
import { renderMarkdown, renderSummary, table } from '../src/markdown.ts';
import { buildReport, reportDirectoryName } from '../src/report.ts';
import { renderReportPlot, writeReportFiles } from '../src/report-files.ts';
import type { RunResult } from '../src/run-result.ts';
import { decadeLabel, niceTicks, percentileToDecades } from '../src/svg-plot.ts';

const ms = 1e6;

function runResult(latenciesMs: readonly number[], override: Partial<RunResult> = {}): RunResult {
  const measured = createLatencyHistogram();
  for (const l of latenciesMs) measured.recordNs(l * ms);
  const n = latenciesMs.length;
  return {
    scenario: 'kafka-roundtrip',
    runId: 'abc12345',
    settings: { rate: 1000, durationS: n / 1000, warmupS: 1, maxInFlight: 10_000, drainS: 10 },
    options: { size: 200 },
    startedAtMs: Date.parse('2025-11-25T16:50:03.123Z'),
    endedAtMs: Date.parse('2025-11-25T16:50:15.456Z'),
    measuredSendSpanS: (n - 1) / 1000,
    interrupted: false,
    maxScheduleLagMs: 0.8,
    lateThresholdMs: 10,
    warmup: {
      counts: {
        sent: 1000,
        accepted: 1000,
        completed: 1000,
        lost: 0,
        late: 0,
        duplicates: 0,
        completedAfterRetry: 0,
        errors: {},
      },
      histogram: createLatencyHistogram(),
      scheduled: 1000,
    },
    measured: {
      counts: {
        sent: n + 3,
        accepted: n + 3,
        completed: n,
        lost: 2,
        late: 1,
        duplicates: 0,
        completedAfterRetry: 0,
        errors: { dropped: 4, KafkaBackpressureError: 1 },
      },
      histogram: measured,
      scheduled: n + 7,
    },
    problems: [],
    ...override,
  };
}

const latencies = Array.from({ length: 10_000 }, (_, i) => 1 + (i % 100) / 10); // 1 … 10.9 ms
const commandLine = 'pnpm loadgen kafka-roundtrip --rate 1000 --duration 10 --warmup 1';

describe('report', () => {
  const report = buildReport(runResult(latencies), commandLine);

  it('holds config, times, rates, counts, percentiles and the distribution', () => {
    expect(report).toMatchObject({
      reportVersion: 1,
      scenario: 'kafka-roundtrip',
      commandLine,
      config: {
        rate: 1000,
        durationS: 10,
        warmupS: 1,
        maxInFlight: 10_000,
        drainS: 10,
        options: { size: 200 },
      },
      startedAt: '2025-11-25T16:50:03.123Z',
      endedAt: '2025-11-25T16:50:15.456Z',
      interrupted: false,
      counts: {
        scheduled: 10_007,
        sent: 10_003,
        completed: 10_000,
        errorsTotal: 5,
        errors: { dropped: 4, KafkaBackpressureError: 1 },
        lost: 2,
        late: 1,
      },
      warmup: { sent: 1000, completed: 1000, errorsTotal: 0, lost: 0 },
      schedule: { maxLagMs: 0.8, lateThresholdMs: 10 },
    });
    // 10000 sends spanning 9.999 s at 1000/s
    expect(report.throughput.offered).toBe(1000);
    expect(report.throughput.achieved).toBeCloseTo(1000.3, 0);
    expect(report.throughput.completed).toBeCloseTo(1000, 0);
    expect(report.latencyMs.count).toBe(10_000);
    expect(report.latencyMs.p50).toBeCloseTo(5.9, 1);
    expect(report.latencyMs.p99).toBeCloseTo(10.8, 1);
    expect(report.latencyMs.max).toBeCloseTo(10.9, 1);
    expect(report.distribution[0]?.percentile).toBe(0);
    expect(report.distribution.at(-1)).toEqual({ percentile: 100, latencyMs: report.latencyMs.max });
    // survives JSON as is
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('names its directory after the scenario and start time, safe for any file system', () => {
    expect(reportDirectoryName(report)).toBe('kafka-roundtrip-2025-11-25T16-50-03Z');
  });

  it('renders Markdown with the command line, settings, outcome and latency tables and the plot', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('# Load test: kafka-roundtrip');
    expect(md).toContain(`\`\`\`sh\n${commandLine}\n\`\`\``);
    expect(md).toMatch(/\| offered rate\s+\| 1000\/s\s+\|/);
    expect(md).toMatch(/\| --size\s+\| 200\s+\|/);
    expect(md).toMatch(/\| offered\/s \| achieved\/s \| completed\/s \| scheduled \|\s+sent \|/);
    expect(md).toMatch(
      /\| latency \|\s+min \|\s+p50 \|\s+p90 \|\s+p95 \|\s+p99 \|\s+p99\.9 \|\s+max \|\s+mean \|/,
    );
    expect(md).toMatch(/\| dropped\s+\|\s+4 \|/);
    expect(md).toContain('![latency by percentile](latency.svg)');
  });

  it('prints a summary with the outcome and latency tables', () => {
    const summary = renderSummary(report);
    expect(summary.split('\n')[0]).toBe('kafka-roundtrip — 1000/s for 10 s');
    expect(summary).toContain('| offered/s |');
    expect(summary).toContain('| latency |');
    expect(summary).toContain('KafkaBackpressureError');
  });

  it('aligns table columns', () => {
    const lines = table(
      ['a', 'long header'],
      [
        ['xxxxx', '1'],
        ['y', '22'],
      ],
      ['left', 'right'],
    ).split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[1]).toBe('| ----- | ----------: |');
  });

  it('draws a well-formed SVG with titled, labelled, log-percentile axes', () => {
    const svg = renderReportPlot(report);
    expect(XMLValidator.validate(svg)).toBe(true);
    const texts = svgTexts(svg);
    expect(texts).toContain('Percentile');
    expect(texts).toContain('Latency (ms)');
    expect(texts).toEqual(expect.arrayContaining(['0%', '90%', '99%', '99.9%', '99.99%']));
    expect(texts.some((t) => t.includes('kafka-roundtrip') && t.includes('1000/s'))).toBe(true);
    expect(texts.some((t) => t.startsWith('max '))).toBe(true);
    // the curve: one point per distribution entry, x ascending
    const points = /<polyline[^>]*points="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(points).toHaveLength(report.distribution.length);
    const xs = points.map((p) => Number(p.split(',')[0]));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('escapes text and says so when nothing completed', () => {
    const empty = buildReport(runResult([], { scenario: 'a-b' }), 'pnpm loadgen a-b --tag "<x>&"');
    const svg = renderReportPlot(empty);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svgTexts(svg)).toContain('no completed operations');
  });

  it('maps percentiles to evenly spaced decades and labels them', () => {
    expect(percentileToDecades(0)).toBe(0);
    expect(percentileToDecades(90)).toBeCloseTo(1, 10);
    expect(percentileToDecades(99.9)).toBeCloseTo(3, 10);
    expect([0, 1, 2, 3, 4, 5].map(decadeLabel)).toEqual(['0%', '90%', '99%', '99.9%', '99.99%', '99.999%']);
    expect(niceTicks(10.9)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(niceTicks(0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  describe('files', () => {
    let dir: string | undefined;
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('writes report.json, report.md and latency.svg into the directory', async () => {
      dir = await mkdtemp(join(tmpdir(), 'loadgen-report-'));
      const target = join(dir, 'nested', reportDirectoryName(report));
      const files = await writeReportFiles(report, target);
      expect(JSON.parse(await readFile(files.json, 'utf8'))).toEqual(report);
      expect(await readFile(files.markdown, 'utf8')).toBe(renderMarkdown(report));
      expect(XMLValidator.validate(await readFile(files.svg, 'utf8'))).toBe(true);
    });
  });
});

/** Every text node of the SVG. */
function svgTexts(svg: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '#text') out.push(String(value));
        else walk(value);
      }
    }
  };
  walk(new XMLParser({ ignoreAttributes: true, preserveOrder: true }).parse(svg));
  return out;
}
