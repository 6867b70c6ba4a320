// The live dashboard: one EventSource on /api/stream; each `views` event redraws charts and tables.
import { statusSeries, timeChart } from './charts.js';

const $ = (id) => document.getElementById(id);
const secs = (iso) => Date.parse(iso) / 1000;
const fmt = new Intl.NumberFormat('en-US');
const ms = (v) => (v === null ? '–' : v.toFixed(v < 10 ? 2 : 1));

const charts = {
  rps: timeChart(
    $('chart-rps'),
    [{ label: 'requests/s', stroke: '#4cc2ff', fill: 'rgba(76,194,255,0.12)' }],
    {
      spanSec: 120,
      stepSec: 1,
    },
  ),
  status: timeChart($('chart-status'), statusSeries(), { spanSec: 1800, stepSec: 60, points: true }),
  errors: timeChart(
    $('chart-errors'),
    [{ label: '5xx share', stroke: '#f85149', fill: 'rgba(248,81,73,0.12)' }],
    {
      spanSec: 1800,
      stepSec: 60,
      points: true,
      y: { range: (_u, _min, max) => [0, Math.max(0.05, max)] },
      yValues: (_u, ticks) => ticks.map((t) => `${(t * 100).toFixed(0)}%`),
    },
  ),
};

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function fillTable(id, rows, toCells) {
  const body = $(id).querySelector('tbody');
  body.replaceChildren(
    ...(rows.length === 0
      ? [
          Object.assign(document.createElement('tr'), {
            innerHTML: '<td class="empty" colspan="5">no data yet</td>',
          }),
        ]
      : rows.map((row) => {
          const tr = document.createElement('tr');
          tr.append(...toCells(row));
          return tr;
        })),
  );
}

function latestWindow(rows) {
  const last = rows.at(-1);
  return last === undefined ? [] : rows.filter((r) => r.window_start === last.window_start);
}

function render({ views }) {
  const rps = views.requests_per_second;
  charts.rps.update([rps.map((r) => secs(r.window_start)), rps.map((r) => r.requests)]);

  const minutes = [...new Set(views.status_per_minute.map((r) => r.window_start))];
  const byClass = (cls) =>
    minutes.map(
      (m) =>
        views.status_per_minute.find((r) => r.window_start === m && r.status_class === cls)?.requests ?? 0,
    );
  charts.status.update([minutes.map(secs), ...['2xx', '3xx', '4xx', '5xx'].map(byClass)]);

  const errors = views.error_rate_per_minute;
  charts.errors.update([errors.map((r) => secs(r.window_start)), errors.map((r) => r.error_rate)]);

  const lastMinute = errors.at(-1);
  $('kpi-requests').textContent = lastMinute ? fmt.format(lastMinute.requests) : '–';
  $('kpi-requests-window').textContent = lastMinute
    ? `${lastMinute.window_start.slice(11, 16)}–${lastMinute.window_end.slice(11, 16)} UTC`
    : '';
  $('kpi-error-rate').textContent = lastMinute ? `${(lastMinute.error_rate * 100).toFixed(2)}%` : '–';
  $('kpi-errors').textContent = lastMinute
    ? `${fmt.format(lastMinute.errors)} of ${fmt.format(lastMinute.requests)}`
    : '';
  const clients = views.unique_clients_per_minute.at(-1);
  $('kpi-clients').textContent = clients ? fmt.format(clients.unique_clients) : '–';
  $('kpi-peak').textContent = rps.length ? fmt.format(Math.max(...rps.map((r) => r.requests))) : '–';

  fillTable('latency-table', latestWindow(views.latency_per_route_per_minute), (r) => [
    cell(r.route),
    cell(fmt.format(r.requests), 'num'),
    cell(ms(r.p50_ms), 'num'),
    cell(ms(r.p95_ms), 'num'),
    cell(ms(r.p99_ms), 'num'),
  ]);
  const top = latestWindow(views.top_paths_5m);
  const max = Math.max(1, ...top.map((r) => r.requests));
  fillTable('top-paths-table', top, (r) => {
    const bar = cell('');
    const fill = document.createElement('div');
    fill.className = 'bar';
    fill.style.width = `${(100 * r.requests) / max}%`;
    bar.append(fill);
    return [cell(String(r.rank), 'num'), cell(r.path), cell(fmt.format(r.requests), 'num'), bar];
  });
}

// The page holds no key: POST /session sets an HttpOnly cookie that EventSource sends.
async function startSession() {
  const response = await fetch('/session', { method: 'POST' });
  if (!response.ok) throw new Error(`session: HTTP ${response.status}`);
}

/** A session, then the stream; again later if there is no session. */
function begin() {
  startSession().then(connect, () => setTimeout(begin, 5000));
}

function connect() {
  const source = new EventSource('/api/stream');
  source.addEventListener('views', (event) => {
    const snapshot = JSON.parse(event.data);
    render(snapshot);
    $('live-dot').className = 'dot live';
    $('live-text').textContent = 'live';
    $('kpi-updated').textContent = `updated ${snapshot.at.slice(11, 19)} UTC`;
    document.body.dataset.seq = String(snapshot.seq);
  });
  source.addEventListener('error', () => {
    $('live-dot').className = 'dot down';
    $('live-text').textContent = 'reconnecting…';
    // EventSource gives up on an answer that is not a stream (401: the session expired; 429/503)
    if (source.readyState === EventSource.CLOSED) setTimeout(begin, 1000);
  });
}

begin();
