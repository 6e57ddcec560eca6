/**
 * Browser helpers shared by the pages: DOM building (text only, never HTML from data:
 * document ids, sources and error messages are user input), number and time formats,
 * JSON polling. Plain ES2020, no backticks, backslashes or template placeholders, because it is
 * embedded in a TypeScript template string.
 */
export const clientCore = `
/** Series colours, matching the stylesheet's (SVG fills take literal colours). */
const COLORS = { ok: '#2e9d5b', failed: '#d64545', active: '#3b7ddd', waiting: '#d99a1e', exact: '#6f52e8', semantic: '#1fa4b3', miss: '#a3adb8' };

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'style') for (const [name, v] of Object.entries(value)) el.style.setProperty(name, v);
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function byId(id) {
  return document.getElementById(id);
}

function fmtInt(n) {
  return n === undefined || n === null ? '–' : Number(n).toLocaleString('en-US');
}

function fmtPct(share) {
  if (share === undefined || share === null || !isFinite(share)) return '–';
  const pct = share * 100;
  return (pct > 0 && pct < 10 ? pct.toFixed(1) : Math.round(pct).toString()) + ' %';
}

function fmtRate(perMinute) {
  if (perMinute === undefined || perMinute === null) return '–';
  return (perMinute >= 100 ? Math.round(perMinute).toLocaleString('en-US') : perMinute.toFixed(1)) + '/min';
}

function fmtDuration(ms) {
  if (ms === undefined || ms === null || !isFinite(ms)) return '–';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + (s % 60) + ' s';
  const hours = Math.floor(m / 60);
  if (hours < 48) return hours + ' h ' + (m % 60) + ' min';
  return Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h';
}

function fmtTime(ms) {
  const d = new Date(ms);
  const today = new Date().toDateString() === d.toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return today ? time : d.toLocaleDateString() + ' ' + time;
}

function fmtClock(ms, withSeconds) {
  return new Date(ms).toLocaleTimeString([], withSeconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
}

async function getJson(url) {
  const res = await fetch(url, { cache: 'no-store', credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error('HTTP ' + res.status + ' from ' + url);
  return res.json();
}

/** Shows when the data was last read, or that reading failed (the page keeps the last data it had). */
function setStatus(ok, text) {
  const el = byId('status');
  if (!el) return;
  el.textContent = text;
  el.className = ok ? 'status' : 'status error';
}

/** Runs refresh now and again intervalMs after each run ends, so slow answers never pile up. */
function poll(refresh, intervalMs) {
  const tick = async () => {
    try {
      await refresh();
      setStatus(true, 'updated ' + new Date().toLocaleTimeString());
    } catch (error) {
      setStatus(false, 'cannot read the broker (' + (error && error.message ? error.message : 'error') + ') — retrying');
    }
    setTimeout(tick, intervalMs);
  };
  tick();
}

/** A horizontal bar of parts [{cls, value}] over total, with an accessible progress value. */
function stackedBar(parts, total, options) {
  const bar = h('div', { class: 'bar' + (options && options.thin ? ' thin' : '') });
  for (const part of parts) {
    if (!total || !part.value) continue;
    bar.append(h('span', { class: part.cls, title: part.title || '', style: { width: Math.min(100, (part.value / total) * 100) + '%' } }));
  }
  if (options && options.progress !== undefined) {
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-valuenow', String(Math.round(options.progress * 100)));
  }
  return bar;
}

function progressBar(batch) {
  return stackedBar(
    [
      { cls: 'ok', value: batch.ok, title: 'ok' },
      { cls: 'failed', value: batch.failed, title: 'failed' },
      { cls: 'active', value: batch.active, title: 'running' },
    ],
    batch.total,
    { progress: batch.progress },
  );
}

function cacheBar(cache) {
  const total = cache.exact + cache.semantic + cache.miss;
  return stackedBar(
    [
      { cls: 'exact', value: cache.exact, title: 'exact hits' },
      { cls: 'semantic', value: cache.semantic, title: 'semantic hits' },
      { cls: 'miss', value: cache.miss, title: 'misses' },
    ],
    total,
    { thin: true },
  );
}

function phaseBadge(batch) {
  const reason = batch.ingestError ? 'ingest failed: ' + batch.ingestError.message : batch.phase === 'ingest-stalled' ? 'not sealed and no ingest progress: its ingest was probably killed' : '';
  return h('span', { class: 'badge phase ' + batch.phase, text: batch.phase.replace('-', ' '), title: reason });
}

function stateBadge(state) {
  return h('span', { class: 'badge state breaker-state ' + state, text: state });
}

function table(headers, rows) {
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { class: header.num ? 'num' : '', text: header.label, title: header.title })))),
    h('tbody', {}, rows),
  );
}
`;
