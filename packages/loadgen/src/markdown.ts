/**
 * Text renderings of a report: `report.md`, and the summary printed at the end of a run (the
 * same aligned Markdown tables, which read well in a terminal too).
 */
import { formatMs } from './progress.ts';
import type { LoadReport } from './report.ts';

export function renderSummary(report: LoadReport): string {
  return [
    `${report.scenario} — ${report.config.rate}/s for ${report.config.durationS} s${report.interrupted ? ' (interrupted)' : ''}`,
    '',
    countsTable(report),
    '',
    latencyTable(report),
    ...errorSection(report),
    ...problemSection(report),
  ].join('\n');
}

export function renderMarkdown(report: LoadReport, plotFile = 'latency.svg'): string {
  const { config } = report;
  const options = Object.entries(config.options).map(([k, v]) => [`--${k}`, String(v)]);
  return [
    `# Load test: ${report.scenario}`,
    '',
    `Run \`${report.runId}\`, ${report.startedAt} → ${report.endedAt}${report.interrupted ? ', **interrupted (SIGINT)**' : ''}.`,
    '',
    '```sh',
    report.commandLine,
    '```',
    '',
    '## Settings',
    '',
    table(
      ['setting', 'value'],
      [
        ['offered rate', `${config.rate}/s`],
        ['measured duration', `${config.durationS} s`],
        ['warmup (not measured)', `${config.warmupS} s`],
        ['max in flight', String(config.maxInFlight)],
        ['drain', `${config.drainS} s`],
        ...options,
      ],
    ),
    '',
    '## Throughput and outcomes (measured window)',
    '',
    countsTable(report),
    '',
    `Warmup: ${report.warmup.sent} sent, ${report.warmup.completed} completed, ${report.warmup.errorsTotal} errors, ${report.warmup.lost} lost.`,
    `Largest delay of a send behind its schedule: ${formatMs(report.schedule.maxLagMs)} ("late" = more than ${report.schedule.lateThresholdMs} ms).`,
    ...errorSection(report),
    '',
    '## Latency',
    '',
    "From each operation's *intended* send time (open-loop schedule) to its observed effect, so queueing inside the generator and the system is included.",
    '',
    latencyTable(report),
    '',
    `![latency by percentile](${plotFile})`,
    '',
    '<details><summary>Percentile distribution</summary>',
    '',
    table(
      ['percentile', 'latency'],
      report.distribution.map((p) => [`${trimPercent(p.percentile)}%`, formatMs(p.latencyMs)]),
      ['right', 'right'],
    ),
    '',
    '</details>',
    ...problemSection(report),
    '',
  ].join('\n');
}

function countsTable(report: LoadReport): string {
  const { counts, throughput } = report;
  return table(
    [
      'offered/s',
      'achieved/s',
      'completed/s',
      'scheduled',
      'sent',
      'completed',
      'errors',
      'lost',
      'late',
      'duplicates',
      'after retry',
    ],
    [
      [
        String(throughput.offered),
        String(throughput.achieved),
        String(throughput.completed),
        String(counts.scheduled),
        String(counts.sent),
        String(counts.completed),
        String(counts.errorsTotal),
        String(counts.lost),
        String(counts.late),
        String(counts.duplicates),
        String(counts.completedAfterRetry),
      ],
    ],
    Array(11).fill('right'),
  );
}

function latencyTable(report: LoadReport): string {
  const l = report.latencyMs;
  return table(
    ['latency', 'min', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'],
    [
      ['ms', l.min, l.p50, l.p90, l.p95, l.p99, l.p999, l.max, l.mean].map((v) =>
        typeof v === 'number' ? v.toFixed(3) : v,
      ),
    ],
    Array(9).fill('right'),
  );
}

function errorSection(report: LoadReport): string[] {
  const kinds = Object.entries(report.counts.errors).sort((a, b) => b[1] - a[1]);
  if (kinds.length === 0) return [];
  return [
    '',
    '### Errors by kind',
    '',
    table(
      ['kind', 'count'],
      kinds.map(([k, n]) => [k, String(n)]),
      ['left', 'right'],
    ),
  ];
}

function problemSection(report: LoadReport): string[] {
  if (report.problems.length === 0) return [];
  return ['', '### Problems', '', ...report.problems.map((p) => `- ${p}`)];
}

type Align = 'left' | 'right';

/** A Markdown table padded so that its columns line up in plain text too. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const widths = headers.map((h, c) => Math.max(3, h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const pad = (text: string, c: number): string =>
    align[c] === 'right' ? text.padStart(widths[c] ?? 0) : text.padEnd(widths[c] ?? 0);
  const line = (cells: readonly string[]): string =>
    `| ${headers.map((_, c) => pad(cells[c] ?? '', c)).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

function trimPercent(p: number): string {
  return Number(p.toFixed(4)).toString();
}
