// A small SVG line chart (mean with a min–max band): enough for one metric over recent windows.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** points: [{t: epoch ms, mean, min, max}] sorted by t. */
export function renderChart(container, points, { label = '', unit = '' } = {}) {
  const width = container.clientWidth || 640;
  const height = 260;
  const pad = { l: 44, r: 12, t: 14, b: 26 };
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': label,
  });
  container.replaceChildren(svg);
  if (points.length === 0) {
    const text = el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' });
    text.textContent = 'waiting for readings…';
    svg.append(text);
    return;
  }
  const t0 = points[0].t;
  const t1 = Math.max(points.at(-1).t, t0 + 60_000);
  let lo = Math.min(...points.map((p) => p.min));
  let hi = Math.max(...points.map((p) => p.max));
  if (hi - lo < 1e-6) {
    lo -= 1;
    hi += 1;
  }
  const x = (t) => pad.l + ((t - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (v) => pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b);
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    svg.append(el('line', { x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v), class: 'gridline' }));
    const tick = el('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' });
    tick.textContent = v.toFixed(1);
    svg.append(tick);
  }
  const band = points
    .map((p) => `${x(p.t)},${y(p.max)}`)
    .concat([...points].reverse().map((p) => `${x(p.t)},${y(p.min)}`));
  svg.append(el('polygon', { points: band.join(' '), class: 'band' }));
  svg.append(
    el('polyline', { points: points.map((p) => `${x(p.t)},${y(p.mean)}`).join(' '), class: 'line' }),
  );
  for (const p of points) svg.append(el('circle', { cx: x(p.t), cy: y(p.mean), r: 3, class: 'dot' }));
  const first = el('text', { x: pad.l, y: height - 6, class: 'tick' });
  first.textContent = new Date(t0).toISOString().slice(11, 16);
  const last = el('text', { x: width - pad.r, y: height - 6, 'text-anchor': 'end', class: 'tick' });
  last.textContent = `${new Date(points.at(-1).t).toISOString().slice(11, 16)} UTC ${unit}`;
  svg.append(first, last);
}
