/** Writes a report's three files — report.json, report.md, latency.svg — into one directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderMarkdown } from './markdown.ts';
import { formatMs } from './progress.ts';
import type { LoadReport } from './report.ts';
import { renderLatencyPlot } from './svg-plot.ts';

export interface WrittenReport {
  readonly directory: string;
  readonly json: string;
  readonly markdown: string;
  readonly svg: string;
}

export async function writeReportFiles(report: LoadReport, directory: string): Promise<WrittenReport> {
  await mkdir(directory, { recursive: true });
  const files: WrittenReport = {
    directory,
    json: join(directory, 'report.json'),
    markdown: join(directory, 'report.md'),
    svg: join(directory, 'latency.svg'),
  };
  await Promise.all([
    writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`),
    writeFile(files.markdown, renderMarkdown(report, 'latency.svg')),
    writeFile(files.svg, renderReportPlot(report)),
  ]);
  return files;
}

export function renderReportPlot(report: LoadReport): string {
  const l = report.latencyMs;
  return renderLatencyPlot({
    title: `${report.scenario}: latency by percentile at ${report.config.rate}/s`,
    subtitle: [
      `${l.count} operations in ${report.config.durationS} s`,
      `p50 ${formatMs(l.p50)}`,
      `p99 ${formatMs(l.p99)}`,
      `p99.9 ${formatMs(l.p999)}`,
      report.startedAt.replace(/\.\d+Z$/, 'Z'),
    ].join('  ·  '),
    distribution: report.distribution,
    count: l.count,
  });
}
