// The alert console: the list from GET /alerts, live updates from GET /alerts/stream (SSE),
// acknowledgement with POST /alerts/:id/ack. Plain DOM, no framework; data only via textContent.
// Reads go through a session the page obtains itself (POST /session sets an HttpOnly cookie that
// fetch and EventSource send); acknowledging takes the API key, which the page asks for.
import { absolute, ago, decisionLabel, el, money } from './format.js';

const $ = (id) => document.getElementById(id);
const config = JSON.parse($('console-config')?.textContent ?? '{}');
const KEY_STORAGE = 'streamkit.alerts.apiKey';
const PAGE = 100;

const state = {
  alerts: new Map(),
  order: [],
  selected: null,
  cursor: null,
  filter: readFilter(),
  /** A first page of the list has been shown. */
  listed: false,
};

function readFilter() {
  return {
    decision: $('filter-decision').value,
    cardId: $('filter-card').value.trim(),
    open: $('filter-open').checked,
  };
}

function matches(alert, f = state.filter) {
  if (f.decision && alert.decision !== f.decision) return false;
  if (f.cardId && alert.cardId !== f.cardId) return false;
  if (f.open && alert.acknowledged) return false;
  return true;
}

function query(cursor) {
  const q = new URLSearchParams({ limit: String(PAGE) });
  const f = state.filter;
  if (f.decision) q.set('decision', f.decision);
  if (f.cardId) q.set('cardId', f.cardId);
  if (f.open) q.set('acknowledged', 'false');
  if (cursor) q.set('cursor', cursor);
  return q;
}

/** The service's error body `{error, message?, fields?}` as one line. */
function describeRefusal(body) {
  return (
    body.fields?.map((f) => `${f.field} ${f.message}`).join('; ') ?? body.message ?? body.error ?? 'failed'
  );
}

/** Asks for a page session (a cookie); another one when the last has expired. */
async function startSession() {
  const response = await fetch('/session', { method: 'POST' });
  if (!response.ok) throw new Error(describeRefusal(await response.json()));
}

/** GET with the session; when it has expired, once more with a new one. */
async function read(url) {
  const response = await fetch(url);
  if (response.status !== 401) return response;
  await startSession();
  return fetch(url);
}

/** Stream events arriving while a list read runs, one array per read (see loadPage). */
const captures = new Set();

/** Reads a page of the list. The first page replaces the list (a new filter, or a new stream). */
async function loadPage(cursor) {
  // The stream is subscribed before the list is read, so every change either is in the list's
  // snapshot or arrives on the stream; one that arrives while the read runs may be newer than the
  // snapshot, so it is applied again after the list.
  const capture = [];
  captures.add(capture);
  let response;
  let body;
  try {
    response = await read(`/alerts?${query(cursor)}`);
    body = await response.json();
  } finally {
    captures.delete(capture);
  }
  if (!response.ok) {
    $('list-note').textContent = describeRefusal(body);
    return;
  }
  $('list-note').textContent = '';
  if (!cursor) {
    state.alerts.clear();
    state.order = [];
    state.listed = true;
  }
  for (const alert of body.alerts) {
    if (!state.alerts.has(alert.alertId)) state.order.push(alert.alertId);
    keep(alert);
  }
  for (const { alert, isNew } of capture) applyChange(alert, isNew);
  state.cursor = body.nextCursor;
  render();
}

/** An alert only goes from open to acknowledged: of two copies of one, keep the acknowledged one. */
function keep(alert) {
  const known = state.alerts.get(alert.alertId);
  if (known === undefined || alert.acknowledged || !known.acknowledged)
    state.alerts.set(alert.alertId, alert);
}

/** A new alert goes on top; an acknowledgement updates an alert the list shows. */
function applyChange(alert, isNew) {
  if (isNew && !state.alerts.has(alert.alertId)) state.order.unshift(alert.alertId);
  if (isNew || state.alerts.has(alert.alertId)) keep(alert);
}

// ---- rendering -------------------------------------------------------------------------------
function row(alert) {
  const li = el('li', 'alert-row');
  li.dataset.alertId = alert.alertId;
  li.dataset.decision = alert.decision;
  li.tabIndex = 0;
  li.classList.toggle('acked', alert.acknowledged);
  li.classList.toggle('selected', alert.alertId === state.selected);
  const time = el('span', 'time', ago(alert.createdAt));
  time.title = absolute(alert.createdAt);
  li.append(
    time,
    el('span', `badge ${alert.decision}`, decisionLabel(alert.decision)),
    el('span', 'amount', money(alert.amount, alert.currency)),
    el('span', 'card mono', alert.cardId),
    el('span', 'score', alert.score.toFixed(2)),
    el(
      'span',
      `status ${alert.acknowledged ? 'done' : 'open'}`,
      alert.acknowledged ? 'Acknowledged' : 'Open',
    ),
  );
  li.addEventListener('click', () => select(alert.alertId));
  li.addEventListener('keydown', (e) => e.key === 'Enter' && select(alert.alertId));
  return li;
}

function render() {
  const visible = state.order.map((id) => state.alerts.get(id)).filter((a) => a && matches(a));
  $('alert-list').replaceChildren(...visible.map(row));
  $('empty').hidden = visible.length > 0;
  $('load-more').hidden = !state.cursor;
  const all = [...state.alerts.values()];
  $('stat-open').textContent = all.filter((a) => !a.acknowledged).length;
  $('stat-decline').textContent = all.filter((a) => a.decision === 'decline').length;
  $('stat-review').textContent = all.filter((a) => a.decision === 'review').length;
  renderDetails();
}

function renderDetails() {
  const alert = state.selected && state.alerts.get(state.selected);
  $('details-empty').hidden = Boolean(alert);
  $('details-body').hidden = !alert;
  if (!alert) return;
  const badge = $('d-decision');
  badge.className = `badge ${alert.decision}`;
  badge.textContent = decisionLabel(alert.decision);
  $('d-amount').textContent = money(alert.amount, alert.currency);
  const facts = {
    'd-payment': alert.paymentId,
    'd-card': alert.cardId,
    'd-account': alert.accountId,
    'd-merchant': alert.merchantId,
    'd-country': alert.country,
    'd-score': alert.score.toFixed(3),
    'd-model': alert.modelVersion,
    'd-paid': absolute(alert.paymentTs),
    'd-created': absolute(alert.createdAt),
  };
  for (const [id, text] of Object.entries(facts)) $(id).textContent = text;
  $('d-reasons').replaceChildren(...alert.reasons.map((r) => el('li', '', r)));
  const rules = alert.ruleIds.length
    ? alert.ruleIds.map((r) => el('span', 'chip mono', r))
    : [el('span', 'muted', 'none')];
  $('d-rules').replaceChildren(...rules);
  renderAck(alert);
}

function renderAck(alert) {
  const box = $('d-ack');
  if (alert.acknowledged) {
    const note = alert.ackNote ? ` — “${alert.ackNote}”` : '';
    box.replaceChildren(
      el(
        'p',
        'acked-note',
        `Acknowledged by ${alert.acknowledgedBy} · ${absolute(alert.acknowledgedAt)}${note}`,
      ),
    );
    return;
  }
  if (box.dataset.alertId === alert.alertId && box.querySelector('form')) return; // keep what is being typed
  const form = $('ack-form-template').content.firstElementChild.cloneNode(true);
  box.dataset.alertId = alert.alertId;
  form.querySelector('.key-field').hidden = Boolean(apiKey());
  form.by.value = localStorage.getItem('streamkit.alerts.by') ?? '';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    acknowledge(alert.alertId, form);
  });
  box.replaceChildren(form);
}

function select(alertId) {
  state.selected = alertId;
  render();
}

// ---- acknowledge -----------------------------------------------------------------------------
function apiKey() {
  return config.apiKey ?? sessionStorage.getItem(KEY_STORAGE);
}

async function acknowledge(alertId, form) {
  const error = form.querySelector('.form-error');
  const typedKey = form.apiKey.value.trim();
  if (typedKey) sessionStorage.setItem(KEY_STORAGE, typedKey);
  const key = apiKey();
  if (!key) {
    error.textContent = 'Enter the API key to acknowledge.';
    form.querySelector('.key-field').hidden = false;
    return;
  }
  localStorage.setItem('streamkit.alerts.by', form.by.value.trim());
  form.querySelector('button').disabled = true;
  const response = await fetch(`/alerts/${encodeURIComponent(alertId)}/ack`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({
      by: form.by.value.trim(),
      ...(form.note.value.trim() ? { note: form.note.value.trim() } : {}),
    }),
  }).catch(() => undefined);
  form.querySelector('button').disabled = false;
  if (response?.ok) {
    const { alert } = await response.json();
    keep(alert);
    render();
    return;
  }
  if (response?.status === 401) {
    sessionStorage.removeItem(KEY_STORAGE);
    form.querySelector('.key-field').hidden = Boolean(config.apiKey);
  }
  const body = response ? await response.json().catch(() => ({})) : { error: 'network error' };
  error.textContent = describeRefusal(body);
}

// ---- live updates ----------------------------------------------------------------------------
function setConnection(stateName, text) {
  $('connection').dataset.state = stateName;
  $('connection-text').textContent = text;
}

function connect() {
  const source = new EventSource('/alerts/stream');
  // once an event came, EventSource reconnects with its id and the stream replays what was missed;
  // before that a (re)connection starts fresh, so the list is read again once it is subscribed
  let resumable = false;
  source.addEventListener('open', () => {
    setConnection('live', 'Live');
    if (!resumable) loadPage(null);
  });
  source.addEventListener('error', () => {
    const closed = source.readyState === EventSource.CLOSED;
    setConnection(closed ? 'down' : 'reconnecting', 'Reconnecting…');
    // EventSource gives up on an answer that is not a stream (401: the session expired; 429/503)
    if (closed) setTimeout(begin, 1000);
    else if (!state.listed) loadPage(null); // show the list while the stream is down
  });
  const apply = (event, isNew) => {
    resumable = true;
    const alert = JSON.parse(event.data);
    for (const capture of captures) capture.push({ alert, isNew });
    applyChange(alert, isNew);
    render();
    if (isNew && matches(alert))
      document.querySelector(`[data-alert-id="${CSS.escape(alert.alertId)}"]`)?.classList.add('fresh');
  };
  source.addEventListener('alert', (e) => apply(e, true));
  source.addEventListener('ack', (e) => apply(e, false));
  // the stream could not replay what was missed: start again from the list
  source.addEventListener('reset', () => loadPage(null));
}

let filterTimer;
$('filters').addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    state.filter = readFilter();
    loadPage(null);
  }, 200);
});
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('load-more').addEventListener('click', () => loadPage(state.cursor));
setInterval(() => {
  for (const node of document.querySelectorAll('.alert-row .time')) {
    const alert = state.alerts.get(node.parentElement?.dataset.alertId);
    if (alert) node.textContent = ago(alert.createdAt);
  }
}, 30_000);

/** A session, then the stream (whose 'open' reads the list); again later if there is no session. */
function begin() {
  startSession().then(connect, (error) => {
    setConnection('down', String(error.message ?? error));
    setTimeout(begin, 5000);
  });
}
begin();
