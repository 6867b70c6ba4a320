import { renderChart } from './chart.js';

const state = { devices: new Map(), selected: null, windows: [], alerts: [] };
const $ = (id) => document.getElementById(id);

// The page holds no key: POST /session sets an HttpOnly cookie that fetch and EventSource send.
async function startSession() {
  const res = await fetch('/session', { method: 'POST' });
  if (!res.ok) throw new Error(`session: ${res.status}`);
}

async function getJson(url) {
  let res = await fetch(url);
  if (res.status === 401) {
    await startSession(); // the session expired: once more with a new one
    res = await fetch(url);
  }
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

/** Of two copies of a window, the later write: a snapshot, a REST read and the stream can overlap. */
const newer = (a, b) => (a === undefined || b.version > a.version ? b : a);

/** The fleet grid shows each device's newest window. */
function showInFleet(w) {
  const shown = state.devices.get(w.deviceId);
  const later =
    shown === undefined ||
    Date.parse(w.windowStart) > Date.parse(shown.windowStart) ||
    (w.windowStart === shown.windowStart && w.version > shown.version);
  if (later) state.devices.set(w.deviceId, w);
}

/** The selected device's windows with `incoming` merged in, oldest first, the newest 60. */
function mergeWindows(windows, incoming) {
  const byStart = new Map(windows.map((w) => [w.windowStart, w]));
  for (const w of incoming) byStart.set(w.windowStart, newer(byStart.get(w.windowStart), w));
  return [...byStart.values()]
    .sort((a, b) => Date.parse(a.windowStart) - Date.parse(b.windowStart))
    .slice(-60);
}

// Called only once the stream is subscribed (after its snapshot), so a window that changes while
// the read runs arrives on the stream too; merging by version keeps whichever is newer.
async function select(id) {
  if (state.selected !== id) state.windows = [];
  state.selected = id;
  const { windows } = await getJson(`/api/live/devices/${encodeURIComponent(id)}/windows`);
  if (state.selected !== id) return; // another device was picked meanwhile
  state.windows = mergeWindows(state.windows, windows);
  renderFleet();
  renderDetail();
}

function onWindow(w) {
  showInFleet(w);
  if (w.deviceId === state.selected) {
    state.windows = mergeWindows(state.windows, [w]);
    renderDetail();
  }
  renderFleet();
}

/** The stream's first message (and its first after a `reset`): every device's newest window. */
async function onSnapshot(devices) {
  for (const w of devices) showInFleet(w);
  renderFleet();
  const wanted = new URLSearchParams(location.search).get('device');
  const device = state.selected ?? wanted ?? [...state.devices.keys()].sort()[0];
  if (device) await select(device);
}

async function loadAlerts() {
  try {
    const loaded = (await getJson('/api/anomalies?limit=50')).anomalies.map((a) => ({
      alertId: a.alert_id,
      deviceId: a.device_id,
      kind: a.kind,
      message: a.message,
      ts: String(a.ts).replace(' ', 'T'),
    }));
    // alerts the stream delivered meanwhile stay, newest first
    const known = new Set(state.alerts.map((a) => a.alertId));
    state.alerts = [...state.alerts, ...loaded.filter((a) => !known.has(a.alertId))];
  } catch {
    // the live alerts still arrive
  }
  renderAlerts();
}

// The stream first: it starts with a snapshot of the fleet, and every read after it is merged with
// what the stream delivers, so no change can fall between a read and the subscription.
function start() {
  const source = new EventSource('/api/stream');
  source.addEventListener('open', () => {
    $('status').textContent = 'live';
    $('status').className = 'status live';
  });
  source.addEventListener('error', () => {
    $('status').textContent = 'reconnecting…';
    $('status').className = 'status';
    // EventSource gives up on an answer that is not a stream (401: the session expired; 429/503)
    if (source.readyState === EventSource.CLOSED) setTimeout(begin, 1000);
  });
  let alertsLoaded = false;
  source.addEventListener('snapshot', (e) => {
    onSnapshot(JSON.parse(e.data).devices).catch(showError);
    if (!alertsLoaded) {
      alertsLoaded = true;
      loadAlerts();
    }
  });
  source.addEventListener('window', (e) => onWindow(JSON.parse(e.data)));
  source.addEventListener('alert', (e) => {
    const a = JSON.parse(e.data);
    if (state.alerts.some((x) => x.alertId === a.alertId)) return;
    state.alerts.unshift(a);
    renderAlerts();
  });
}

function showError(error) {
  $('status').textContent = `error: ${error.message}`;
}

/** A session, then the stream; again later if there is no session. */
function begin() {
  startSession().then(start, (error) => {
    showError(error);
    setTimeout(begin, 5000);
  });
}

begin();
