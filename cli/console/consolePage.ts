/** What the page is rendered with. */
export interface ConsolePageOptions {
  /** No action is rendered (and the server refuses them). */
  readonly readOnly: boolean;
  /** The endpoint or stack the console watches. */
  readonly target: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2733; background: #f5f7fa; }
body { margin: 0; padding: 16px 24px; }
header { display: flex; align-items: baseline; gap: 16px; }
h1 { font-size: 20px; margin: 0; } h2 { font-size: 16px; margin: 24px 0 8px; }
.muted { color: #6b7785; font-size: 12px; }
.badge { background: #e3e8ef; border-radius: 4px; padding: 2px 8px; font-size: 12px; }
.flow { display: flex; align-items: stretch; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
.box { background: #fff; border: 1px solid #cfd7e2; border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.box b { display: block; font-size: 13px; margin-bottom: 4px; }
.box .n { font-size: 22px; font-variant-numeric: tabular-nums; }
.box.dlq { border-color: #d9a0a0; } .box.dlq.bad { background: #fff1f1; border-color: #c0392b; }
.box.missing { opacity: .5; }
.arrow { align-self: center; color: #8895a5; font-size: 20px; }
.charts { display: flex; gap: 16px; flex-wrap: wrap; }
.chart { background: #fff; border: 1px solid #cfd7e2; border-radius: 6px; padding: 8px; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e8ef; padding: 4px 8px; text-align: left; vertical-align: top; }
td.reason { max-width: 520px; }
button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #8895a5; background: #fff; cursor: pointer; }
button.primary { background: #1f6feb; color: #fff; border-color: #1f6feb; }
#job { margin: 8px 0; font-size: 13px; }
pre { background: #fff; border: 1px solid #cfd7e2; padding: 8px; overflow: auto; max-height: 320px; font-size: 12px; }
`;

// The page's script: plain DOM, no dependency, every value inserted as text (never as HTML).
const SCRIPT = `
const token = new URLSearchParams(location.search).get('token') || '';
const readOnly = document.body.dataset.readonly === 'true';
const headers = { 'x-console-token': token };
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value; else if (key.startsWith('on')) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
};
const api = async (path, body) => {
  const response = await fetch(path, body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
};
const age = (s) => s === null || s === undefined ? '–' : s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : (s / 3600).toFixed(1) + ' h';
let selectedDlq = null;
let lastDepth = null;
let lastListed = 0;
const selected = new Set();

const queueBox = (q) => el('div', { class: 'box' + (q.deadLetter ? ' dlq' : '') + (q.deadLetter && q.depth > 0 ? ' bad' : '') + (q.found ? '' : ' missing'), 'data-queue': q.label },
  el('b', {}, q.label), q.found ? el('span', { class: 'n', 'data-depth': q.label }, q.depth) : el('span', { class: 'muted' }, 'not found'),
  el('div', { class: 'muted' }, q.name), el('div', { class: 'muted' }, 'in flight ' + q.inFlight + ' · oldest ' + age(q.oldestAgeSeconds)));
const counter = (label, value, note) => el('div', { class: 'box' }, el('b', {}, label), el('span', { class: 'n' }, value ?? '–'), note ? el('div', { class: 'muted' }, note) : '');

const drawFlow = (view) => {
  const flow = $('flow'); flow.replaceChildren();
  const byLabel = Object.fromEntries(view.queues.map((q) => [q.label, q]));
  const c = view.counters || {};
  const sources = view.queues.filter((q) => !q.deadLetter);
  for (const q of sources) {
    const row = el('div', { class: 'flow' });
    if (q.label === 'sync') row.append(counter('sign-ins published', c.published, 'fallback ' + (c.fallback ?? '–') + ' · lost ' + (c.publishFailed ?? '–')), el('span', { class: 'arrow' }, '→'), counter('event bus', '', 'rules route by type'), el('span', { class: 'arrow' }, '→'));
    row.append(queueBox(q));
    if (q.label === 'sync') row.append(el('span', { class: 'arrow' }, '→'), counter('rows written', c.rowsWritten, 'stale skipped ' + (c.staleSkipped ?? '–')));
    const dlq = view.queues.find((d) => d.deadLetter && d.sourceLabel === q.label);
    if (dlq) row.append(el('span', { class: 'arrow' }, '⇢'), queueBox(dlq));
    flow.append(row);
  }
};

const chart = (title, series, unit) => {
  const w = 420, h = 140, pad = 28;
  const all = series.flatMap((s) => s.points);
  const box = el('div', { class: 'chart' }, el('b', {}, title));
  if (all.length === 0) { box.append(el('div', { class: 'muted' }, 'no data yet')); return box; }
  const t0 = Math.min(...all.map((p) => p[0])), t1 = Math.max(...all.map((p) => p[0]), t0 + 1);
  const vmax = Math.max(...all.map((p) => p[1]), 1);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg'); svg.setAttribute('width', w); svg.setAttribute('height', h);
  for (const s of series) {
    const path = document.createElementNS(ns, 'polyline');
    path.setAttribute('fill', 'none'); path.setAttribute('stroke', s.color); path.setAttribute('stroke-width', '2');
    path.setAttribute('points', s.points.map((p) => (pad + (p[0] - t0) / (t1 - t0) * (w - pad - 4)).toFixed(1) + ',' + (h - 16 - p[1] / vmax * (h - 28)).toFixed(1)).join(' '));
    svg.append(path);
  }
  const label = document.createElementNS(ns, 'text'); label.setAttribute('x', 2); label.setAttribute('y', 12); label.setAttribute('font-size', '10'); label.textContent = Math.round(vmax) + ' ' + unit; svg.append(label);
  box.append(svg, el('div', { class: 'muted' }, series.map((s) => s.name).join(' · ')));
  return box;
};
const drawCharts = (series) => {
  $('charts').replaceChildren(
    chart('sync lag (ms)', [{ name: 'p50', color: '#1f6feb', points: series.lagP50Ms }, { name: 'p99', color: '#c0392b', points: series.lagP99Ms }], 'ms'),
    chart('rows written per minute', [{ name: 'throughput', color: '#2e8b57', points: series.throughputPerMinute }], '/min'));
  $('series-source').textContent = 'from ' + series.source;
};

const drawJobs = (jobs) => {
  const last = jobs[jobs.length - 1];
  if (!last) { $('job').textContent = ''; return; }
  const r = last.result || {};
  const what = last.kind === 'replay' ? 'replay: moved ' + (r.moved ?? 0) + ' of ' + (r.matched ?? 0) + ' matched' + (r.failed ? ', ' + r.failed + ' failed' : '') : 'reconcile';
  $('job').textContent = 'Last action #' + last.id + ' (' + what + '): ' + last.state + (last.error ? ' — ' + last.error : '');
  if (last.kind === 'reconcile' && last.state !== 'running') $('report').textContent = JSON.stringify(last.result ?? { error: last.error }, null, 2);
};

const drawDeadLetters = async () => {
  if (!selectedDlq) return;
  const data = await api('/api/dead-letters?queue=' + encodeURIComponent(selectedDlq));
  $('reasons-from').textContent = 'reasons from ' + data.reasonsFrom;
  const body = $('dead-letters'); body.replaceChildren();
  for (const m of data.messages) {
    const attrs = el('span', {}, m.attributeNames.length ? m.attributeNames.join(', ') + ' (hidden) ' : '–');
    if (m.attributeNames.length) attrs.append(el('button', { onclick: async () => { const r = await api('/api/reveal', { queue: selectedDlq, messageId: m.messageId }); attrs.textContent = JSON.stringify(r.attributes); } }, 'reveal'));
    const box = el('input', { type: 'checkbox', 'data-message-id': m.messageId, onchange: (e) => e.target.checked ? selected.add(m.messageId) : selected.delete(m.messageId) });
    if (selected.has(m.messageId)) box.checked = true;
    body.append(el('tr', { 'data-message-id': m.messageId }, readOnly ? '' : el('td', {}, box), el('td', {}, m.eventType), el('td', {}, m.sub ?? '–'), el('td', {}, m.occurredAt ?? '–'), el('td', {}, age(m.ageSeconds)), el('td', {}, m.receiveCount ?? '–'), el('td', { class: 'reason' }, m.reason ?? 'no reason found'), el('td', {}, attrs)));
  }
  $('dlq-empty').textContent = data.messages.length === 0 ? 'This DLQ is empty.' : '';
};

const replay = async (all) => {
  const ids = [...selected];
  const what = all ? 'every message of ' + selectedDlq : ids.length + ' selected message(s)';
  if (!all && ids.length === 0) { alert('Select messages first.'); return; }
  if (!confirm('Replay ' + what + ' to its source queue? Each is sent first and deleted from the DLQ second.')) return;
  try { await api('/api/replay', all ? { queue: selectedDlq, all: true } : { queue: selectedDlq, messageIds: ids }); selected.clear(); $('job').textContent = 'Replay started…'; }
  catch (error) { $('job').textContent = 'Refused: ' + error.message; }
};
const reconcile = async (dryRun) => {
  const maxDeletes = Number($('max-deletes').value);
  if (!confirm(dryRun ? 'Run a reconcile dry run (reads the pool and the table, changes nothing)?' : 'Repair drift through the bus, deleting at most ' + maxDeletes + ' users?')) return;
  try { await api('/api/reconcile', { dryRun, maxDeletes }); $('report').textContent = 'running…'; }
  catch (error) { $('report').textContent = 'Refused: ' + error.message; }
};

const refresh = async () => {
  try {
    const view = await api('/api/view');
    $('updated').textContent = 'updated ' + new Date(view.at).toLocaleTimeString();
    drawFlow(view); drawCharts(view.series); drawJobs(view.jobs);
    const dlqs = view.queues.filter((q) => q.deadLetter && q.found);
    if (!selectedDlq && dlqs[0]) selectedDlq = dlqs[0].label;
    const tabs = $('dlq-tabs'); tabs.replaceChildren(...dlqs.map((q) => el('button', { class: q.label === selectedDlq ? 'primary' : '', onclick: () => { selectedDlq = q.label; selected.clear(); lastDepth = null; refresh(); } }, q.label + ' (' + q.depth + ')')));
    // The dead-letter list costs a peek of the DLQ: read it again only when its depth changed,
    // or every 15 s, so an open page stays within a few API calls per second.
    const depth = (dlqs.find((q) => q.label === selectedDlq) || {}).depth;
    if (depth !== lastDepth || Date.now() - lastListed > 15000) {
      lastDepth = depth; lastListed = Date.now();
      await drawDeadLetters();
    }
    $('error').textContent = '';
  } catch (error) { $('error').textContent = 'Cannot read the pipeline: ' + error.message; }
};
if (!readOnly) {
  $('replay-selected').addEventListener('click', () => replay(false));
  $('replay-all').addEventListener('click', () => replay(true));
  $('reconcile-dry').addEventListener('click', () => reconcile(true));
  $('reconcile-repair').addEventListener('click', () => reconcile(false));
}
refresh();
setInterval(refresh, 3000);
`;

/**
 * The console's one page: server-rendered HTML with its style and a small script inline (no
 * framework, nothing fetched from elsewhere). In read-only mode no action is rendered at all.
 */
export const renderConsolePage = (options: ConsolePageOptions): string => {
  const actions = options.readOnly
    ? ''
    : `<div id="actions"><button id="replay-selected" class="primary">Replay selected</button> <button id="replay-all">Replay all</button></div>`;
  const reconcile = options.readOnly
    ? '<p class="muted">Read-only console: actions are hidden.</p>'
    : `<div><button id="reconcile-dry">Reconcile dry run</button> <label>max deletes <input id="max-deletes" type="number" min="0" value="10" style="width:5em"></label> <button id="reconcile-repair">Repair</button></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cognito-hasura-sync console</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body data-readonly="${options.readOnly}">
<header><h1>cognito-hasura-sync</h1><span class="badge">${escapeHtml(options.target)}</span>${options.readOnly ? '<span class="badge">read-only</span>' : ''}<span id="updated" class="muted"></span></header>
<div id="error" class="muted" style="color:#c0392b"></div>
<h2>Pipeline</h2><div id="flow"></div>
<h2>Last hour</h2><div id="charts" class="charts"></div><div id="series-source" class="muted"></div>
<h2>Dead letters</h2><div id="dlq-tabs"></div><div id="reasons-from" class="muted"></div>
<table><thead><tr>${options.readOnly ? '' : '<th></th>'}<th>type</th><th>user (sub)</th><th>occurred</th><th>age</th><th>receives</th><th>why it failed</th><th>attributes</th></tr></thead><tbody id="dead-letters"></tbody></table>
<div id="dlq-empty" class="muted"></div>
${actions}
<div id="job"></div>
<h2>Reconcile</h2>${reconcile}<pre id="report"></pre>
<script>${SCRIPT}</script>
</body></html>`;
};
