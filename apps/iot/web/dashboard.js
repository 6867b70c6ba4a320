import { renderChart } from './chart.js';

const state = { devices: new Map(), selected: null, windows: [], alerts: [] };
const $ = (id) => document.getElementById(id);

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

function health(w) {
  const battery = w.metrics?.battery?.min;
  if (battery !== undefined && battery < 10) return 'low';
  return Date.now() - Date.parse(w.windowStart) > 5 * 60_000 ? 'stale' : 'ok';
}

function renderFleet() {
  const grid = $('fleet');
  const ids = [...state.devices.keys()].sort();
  $('device-count').textContent = String(ids.length);
  grid.replaceChildren(
    ...ids.map((id) => {
      const w = state.devices.get(id);
      const cell = document.createElement('button');
      cell.className = `device ${health(w)}${id === state.selected ? ' selected' : ''}`;
      cell.dataset.deviceId = id;
      const temp = w.metrics?.temperature?.mean;
      const battery = w.metrics?.battery?.min;
      cell.innerHTML = '<span class="id"></span><span class="temp"></span><span class="battery"></span>';
      cell.querySelector('.id').textContent = id;
      cell.querySelector('.temp').textContent = temp === undefined ? '–' : `${temp.toFixed(1)} °C`;
      cell.querySelector('.battery').textContent =
        battery === undefined ? '' : `battery ${battery.toFixed(0)}%`;
      cell.addEventListener('click', () => select(id));
      return cell;
    }),
  );
}

function renderDetail() {
  if (state.selected === null) return;
  $('device-title').textContent = state.selected;
  const points = state.windows.map((w) => ({
    t: Date.parse(w.windowStart),
    mean: w.metrics.temperature.mean,
    min: w.metrics.temperature.min,
    max: w.metrics.temperature.max,
  }));
  const last = state.windows.at(-1);
  const readings = state.windows.reduce((n, w) => n + w.readingCount, 0);
  const stats = $('device-stats');
  stats.dataset.readings = String(readings);
  stats.innerHTML = '';
  const add = (label, value) => {
    const d = document.createElement('div');
    d.innerHTML = '<span class="label"></span><span class="value"></span>';
    d.querySelector('.label').textContent = label;
    d.querySelector('.value').textContent = value;
    stats.append(d);
  };
  add('readings', String(readings));
  add('windows', String(state.windows.length));
  if (last) {
    add('temp p95', `${last.metrics.temperature.p95.toFixed(2)} °C`);
    add('humidity', `${last.metrics.humidity.mean.toFixed(1)} %`);
    add('battery', `${last.metrics.battery.min.toFixed(0)} %`);
  }
  renderChart($('chart'), points, { label: `temperature of ${state.selected}`, unit: '°C' });
}

function renderAlerts() {
  $('alert-count').textContent = String(state.alerts.length);
  $('alerts').replaceChildren(
    ...state.alerts.slice(0, 100).map((a) => {
      const li = document.createElement('li');
      li.className = `alert ${a.kind}`;
      li.dataset.alertId = a.alertId;
      li.innerHTML =
        '<span class="kind"></span><span class="who"></span><span class="msg"></span><time></time>';
      li.querySelector('.kind').textContent = a.kind;
      li.querySelector('.who').textContent = a.deviceId;
      li.querySelector('.msg').textContent = a.message;
      li.querySelector('time').textContent = a.ts.slice(11, 19);
      return li;
    }),
  );
}

async function select(id) {
  state.selected = id;
  state.windows = (await getJson(`/api/live/devices/${encodeURIComponent(id)}/windows`)).windows;
  renderFleet();
  renderDetail();
}

function onWindow(w) {
  state.devices.set(w.deviceId, w);
  if (w.deviceId === state.selected) {
    const i = state.windows.findIndex((x) => x.windowStart === w.windowStart);
    if (i >= 0) state.windows[i] = w;
    else
      state.windows = [...state.windows, w]
        .sort((a, b) => Date.parse(a.windowStart) - Date.parse(b.windowStart))
        .slice(-60);
    renderDetail();
  }
  renderFleet();
}

async function loadFleet() {
  const { devices } = await getJson('/api/live/devices');
  for (const w of devices) state.devices.set(w.deviceId, w);
}

async function start() {
  await loadFleet();
  const wanted = new URLSearchParams(location.search).get('device');
  renderFleet();
  const first = wanted ?? [...state.devices.keys()].sort()[0];
  if (first) await select(first);
  try {
    state.alerts = (await getJson('/api/anomalies?limit=50')).anomalies.map((a) => ({
      alertId: a.alert_id,
      deviceId: a.device_id,
      kind: a.kind,
      message: a.message,
      ts: String(a.ts).replace(' ', 'T'),
    }));
  } catch {
    state.alerts = [];
  }
  renderAlerts();
  const source = new EventSource('/api/stream');
  source.addEventListener('open', () => {
    $('status').textContent = 'live';
    $('status').className = 'status live';
  });
  source.addEventListener('error', () => {
    $('status').textContent = 'reconnecting…';
    $('status').className = 'status';
  });
  source.addEventListener('window', (e) => onWindow(JSON.parse(e.data)));
  // away longer than the stream keeps: read the fleet again instead of its missed updates
  source.addEventListener('reset', () =>
    loadFleet().then(() => (state.selected ? select(state.selected) : renderFleet())),
  );
  source.addEventListener('alert', (e) => {
    const a = JSON.parse(e.data);
    if (state.alerts.some((x) => x.alertId === a.alertId)) return;
    state.alerts.unshift(a);
    renderAlerts();
  });
}

start().catch((error) => {
  $('status').textContent = `error: ${error.message}`;
});
