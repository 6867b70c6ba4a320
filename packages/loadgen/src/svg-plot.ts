/**
 * The HDR-style "latency by percentile" plot as a self-contained SVG: the x axis is
 * log10(1 / (1 − p)), so 90 %, 99 %, 99.9 %, 99.99 % are evenly spaced and the tail — where
 * queueing shows — gets as much room as the median; the y axis is linear milliseconds.
 */
import type { PercentilePoint } from './histogram.ts';
import { formatMs } from './progress.ts';

export interface LatencyPlotInput {
  readonly title: string;
  readonly subtitle: string;
  /** Ascending percentiles; a final point at 100 is drawn as the maximum. */
  readonly distribution: readonly PercentilePoint[];
  /** Recorded values: the curve has no resolution beyond 1 / count. */
  readonly count: number;
}

const width = 900;
const height = 600;
const margin = { top: 78, right: 40, bottom: 72, left: 86 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
const font = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** x position of a percentile in decades: 0 % → 0, 90 % → 1, 99 % → 2, ... */
export function percentileToDecades(percentile: number): number {
  return Math.log10(1 / (1 - percentile / 100));
}

export function renderLatencyPlot(input: LatencyPlotInput): string {
  const curve = input.distribution.filter((p) => p.percentile < 100);
  const maxPoint = input.distribution.find((p) => p.percentile >= 100);
  const resolutionDecades = input.count > 0 ? Math.log10(input.count) : 0;
  const xDecades = Math.max(4, Math.ceil(resolutionDecades));
  const highest = Math.max(0, ...input.distribution.map((p) => p.latencyMs));
  const yTicks = niceTicks(highest);
  const yMax = yTicks[yTicks.length - 1] ?? 1;

  const x = (decades: number): number => margin.left + (decades / xDecades) * plotWidth;
  const y = (ms: number): number => margin.top + plotHeight - (ms / yMax) * plotHeight;
  const parts: string[] = [];

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="30" text-anchor="middle" font-size="20" font-weight="600" fill="#111" ${font}>${escapeXml(input.title)}</text>`,
    `<text x="${width / 2}" y="54" text-anchor="middle" font-size="13" fill="#555" ${font}>${escapeXml(input.subtitle)}</text>`,
  );

  // grid and tick labels
  parts.push('<g class="grid" stroke="#e3e3e3" stroke-width="1">');
  for (const tick of yTicks) parts.push(line(margin.left, y(tick), margin.left + plotWidth, y(tick)));
  for (let d = 1; d <= xDecades; d++) parts.push(line(x(d), margin.top, x(d), margin.top + plotHeight));
  parts.push('</g>');

  parts.push(`<g class="y-ticks" font-size="12" fill="#333" text-anchor="end" ${font}>`);
  for (const tick of yTicks)
    parts.push(`<text x="${margin.left - 8}" y="${fmt(y(tick) + 4)}">${formatTick(tick)}</text>`);
  parts.push('</g>');
  parts.push(`<g class="x-ticks" font-size="12" fill="#333" text-anchor="middle" ${font}>`);
  for (let d = 0; d <= xDecades; d++) {
    parts.push(`<text x="${fmt(x(d))}" y="${margin.top + plotHeight + 20}">${decadeLabel(d)}</text>`);
  }
  parts.push('</g>');

  // axes
  parts.push(
    '<g class="axes" stroke="#333" stroke-width="1.5">',
    line(margin.left, margin.top, margin.left, margin.top + plotHeight),
    line(margin.left, margin.top + plotHeight, margin.left + plotWidth, margin.top + plotHeight),
    '</g>',
    `<text class="x-label" x="${margin.left + plotWidth / 2}" y="${height - 22}" text-anchor="middle" font-size="14" fill="#111" ${font}>Percentile</text>`,
    `<text class="y-label" transform="translate(24 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="14" fill="#111" ${font}>Latency (ms)</text>`,
  );

  if (curve.length === 0) {
    parts.push(
      `<text x="${margin.left + plotWidth / 2}" y="${margin.top + plotHeight / 2}" text-anchor="middle" font-size="16" fill="#999" ${font}>no completed operations</text>`,
    );
  } else {
    const points = curve.map((p) => `${fmt(x(percentileToDecades(p.percentile)))},${fmt(y(p.latencyMs))}`);
    // the maximum sits where the data runs out of resolution
    if (maxPoint) points.push(`${fmt(x(resolutionDecades))},${fmt(y(maxPoint.latencyMs))}`);
    parts.push(
      `<polyline class="latency" fill="none" stroke="#1f6feb" stroke-width="2.5" stroke-linejoin="round" points="${points.join(' ')}"/>`,
    );
    if (maxPoint) {
      const mx = x(resolutionDecades);
      const my = y(maxPoint.latencyMs);
      const anchor = mx > margin.left + plotWidth - 120 ? 'end' : 'start';
      const dx = anchor === 'end' ? -8 : 8;
      parts.push(
        `<circle cx="${fmt(mx)}" cy="${fmt(my)}" r="4" fill="#d1242f"/>`,
        `<text x="${fmt(mx + dx)}" y="${fmt(Math.max(margin.top + 12, my - 8))}" text-anchor="${anchor}" font-size="12" fill="#d1242f" ${font}>max ${escapeXml(formatMs(maxPoint.latencyMs))}</text>`,
      );
    }
  }
  parts.push('</svg>', '');
  return parts.join('\n');
}

/** 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%". */
export function decadeLabel(decades: number): string {
  if (decades === 0) return '0%';
  return `${(100 - 100 / 10 ** decades).toFixed(Math.max(0, decades - 2))}%`;
}

/** Round ticks from 0 covering `max`: steps of 1, 2 or 5 × 10^k, 4 to 8 of them. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 6;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude) as number;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const tick = Number((i * step).toPrecision(12));
    ticks.push(tick);
    if (tick >= max) break;
  }
  return ticks;
}

function formatTick(ms: number): string {
  return Number(ms.toPrecision(6)).toString();
}

function line(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}"/>`;
}

function fmt(n: number): string {
  return Number(n.toFixed(2)).toString();
}

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
