/**
 * "Cost as state grows" as a plain SVG: two panels over the same log-scaled x axis (state size),
 * completed throughput on the left and p99 latency on the right.
 */
import type { StateSizeResult } from './results.ts';

const width = 900;
const height = 420;
const panel = { top: 70, bottom: 60, width: 360, gap: 90, left: 70 };
const font = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export function renderStateSizePlot(title: string, data: StateSizeResult): string {
  const points = data.steps.map((s) => ({
    size: Number(s.options[data.option]),
    throughput: s.completed,
    p99: s.latencyMs.p99,
  }));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="18" font-weight="600" fill="#111" ${font}>${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="50" text-anchor="middle" font-size="13" fill="#555" ${font}>offered ${data.rate}/s; x: ${escapeXml(data.unit)} (log scale)</text>`,
    drawPanel(
      panel.left,
      'completed / s',
      points.map((p) => ({ x: p.size, y: p.throughput })),
      '#1f77b4',
    ),
    drawPanel(
      panel.left + panel.width + panel.gap,
      'p99 latency (ms)',
      points.map((p) => ({ x: p.size, y: p.p99 })),
      '#d62728',
    ),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function drawPanel(
  left: number,
  label: string,
  points: readonly { x: number; y: number }[],
  colour: string,
): string {
  const plotHeight = height - panel.top - panel.bottom;
  const xs = points.map((p) => Math.log10(Math.max(1, p.x)));
  const xMin = Math.floor(Math.min(...xs, 3));
  const xMax = Math.ceil(Math.max(...xs, xMin + 1));
  const yMax = niceMax(Math.max(0, ...points.map((p) => p.y)));
  const x = (v: number) => left + ((Math.log10(Math.max(1, v)) - xMin) / (xMax - xMin)) * panel.width;
  const y = (v: number) => panel.top + plotHeight - (v / yMax) * plotHeight;
  const out: string[] = [`<g ${font} font-size="12" fill="#333">`];
  out.push(
    `<rect x="${left}" y="${panel.top}" width="${panel.width}" height="${plotHeight}" fill="none" stroke="#999"/>`,
  );
  for (let d = xMin; d <= xMax; d++) {
    const px = fmt(left + ((d - xMin) / (xMax - xMin)) * panel.width);
    out.push(
      `<line x1="${px}" y1="${panel.top}" x2="${px}" y2="${panel.top + plotHeight}" stroke="#e3e3e3"/>`,
    );
    out.push(
      `<text x="${px}" y="${panel.top + plotHeight + 18}" text-anchor="middle">${formatCount(10 ** d)}</text>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(`<text x="${left - 8}" y="${fmt(y(v) + 4)}" text-anchor="end">${formatValue(v)}</text>`);
  }
  out.push(
    `<text x="${left + panel.width / 2}" y="${panel.top - 10}" text-anchor="middle" font-weight="600">${escapeXml(label)}</text>`,
  );
  const path = points.map((p) => `${fmt(x(p.x))},${fmt(y(p.y))}`).join(' ');
  out.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
  for (const p of points)
    out.push(`<circle cx="${fmt(x(p.x))}" cy="${fmt(y(p.y))}" r="4" fill="${colour}"/>`);
  out.push('</g>');
  return out.join('\n');
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (v <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${n / 1e6}M`;
  if (n >= 1e3) return `${n / 1e3}k`;
  return String(n);
}

function formatValue(v: number): string {
  return v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
