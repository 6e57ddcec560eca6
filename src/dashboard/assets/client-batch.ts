/**
 * The batch page: progress, counts, rate and ETA, documents per minute, cache hit rate
 * per minute, failed documents with their reasons, links into Bull Board. Plain ES2020
 * without backticks or template placeholders (embedded in a template string).
 */
export const clientBatch = `
function stat(label, value, cls) {
  return h('div', { class: 'stat' }, h('div', { class: 'k', text: label }), h('div', { class: 'v ' + (cls || ''), text: value }));
}

function usedLlm(b) {
  return b.llm.calls > 0 || b.llm.tokensSaved > 0;
}

function renderSummary(el, detail) {
  const b = detail.batch;
  el.replaceChildren(
    h('h2', {}, h('span', { class: 'mono', text: b.batchId }), phaseBadge(b), h('span', { class: 'hint', text: b.source + ' · queue ' + b.queue + ' · ' + b.pipeline })),
    b.ingestError
      ? h('div', { class: 'error-text ingest-error', text: 'Ingest failed ' + fmtTime(b.ingestError.at) + ': ' + b.ingestError.message + ' — it will not finish by itself; ingest it again with --batch-id ' + b.batchId })
      : b.phase === 'ingest-stalled'
        ? h('div', { class: 'error-text ingest-error', text: 'Not sealed and no ingest progress for a while: its ingest was probably killed; if it is not running, ingest it again with --batch-id ' + b.batchId })
        : null,
    h('div', { class: 'bigbar', 'data-batch-id': b.batchId }, progressBar(b)),
    h('div', { class: 'small', style: { 'margin-top': '4px' }, text: fmtPct(b.progress) + ' done · ' + fmtInt(b.done) + ' of ' + fmtInt(b.total) + ' documents' }),
    h(
      'div',
      { class: 'stats' },
      stat('Total', fmtInt(b.total)),
      stat('OK', fmtInt(b.ok), 'ok'),
      stat('Failed', fmtInt(b.failed), b.failed ? 'failed' : ''),
      stat('Rejected at ingest', fmtInt(b.rejected)),
      stat('Waiting', fmtInt(b.waiting), 'waiting'),
      stat('Active', fmtInt(b.active), 'active'),
      stat('Cache exact', fmtInt(b.cache.exact)),
      stat('Cache semantic', fmtInt(b.cache.semantic)),
      stat('Cache miss', fmtInt(b.cache.miss)),
      // LLM figures only for a batch that used one (like the CLI's summary): zeros would suggest an LLM that is not there.
      usedLlm(b) ? stat('LLM calls', fmtInt(b.llm.calls)) : null,
      usedLlm(b) ? stat('Tokens spent (in / out)', fmtInt(b.llm.tokensIn) + ' / ' + fmtInt(b.llm.tokensOut)) : null,
      usedLlm(b) ? stat('Tokens saved by the cache', fmtInt(b.llm.tokensSaved), b.llm.tokensSaved ? 'ok' : '') : null,
      stat(b.phase === 'finished' ? 'Average rate' : 'Throughput', fmtRate(b.throughputPerMinute)),
      stat('ETA', b.phase === 'finished' ? 'done' : b.etaSeconds !== undefined ? fmtDuration(b.etaSeconds * 1000) : '–'),
      stat(b.finishedAt ? 'Took' : 'Running for', fmtDuration((b.finishedAt || detail.now) - b.createdAt)),
    ),
    h(
      'div',
      { class: 'links' },
      h('span', { class: 'small', text: 'Bull Board:' }),
      h('a', { href: detail.links.queue, text: 'queue ' + b.queue }),
      h('a', { href: detail.links.active, text: 'active jobs' }),
      h('a', { href: detail.links.failed, text: 'failed jobs' }),
      h('span', { class: 'small', text: 'created ' + fmtTime(b.createdAt) + (b.finishedAt ? ' · finished ' + fmtTime(b.finishedAt) : '') }),
    ),
  );
}

function renderCharts(el, detail) {
  const points = detail.timeline;
  const times = points.map((p) => p.minute * 1000);
  const share = (p, key) => {
    const all = p.cacheExact + p.cacheSemantic + p.cacheMiss;
    return all ? p[key] / all : 0;
  };
  const c = detail.batch.cache;
  const served = c.exact + c.semantic + c.miss;
  el.replaceChildren(
    h(
      'div',
      { class: 'charts' },
      timeChart({
        id: 'docs-per-minute',
        title: 'Documents per minute',
        times,
        stacked: true,
        series: [
          { name: 'ok', color: COLORS.ok, values: points.map((p) => p.ok) },
          { name: 'failed', color: COLORS.failed, values: points.map((p) => p.failed) },
        ],
      }),
      timeChart({
        id: 'cache-hit-rate',
        title: 'Cache hit rate per minute',
        note: served ? 'overall: ' + fmtPct((c.exact + c.semantic) / served) + ' hits' : undefined,
        times,
        stacked: true,
        percent: true,
        series: [
          { name: 'exact', color: COLORS.exact, values: points.map((p) => share(p, 'cacheExact')) },
          { name: 'semantic', color: COLORS.semantic, values: points.map((p) => share(p, 'cacheSemantic')) },
          { name: 'miss', color: COLORS.miss, values: points.map((p) => share(p, 'cacheMiss')) },
        ],
      }),
    ),
  );
}

function renderFailures(el, detail) {
  const failures = detail.failures;
  if (failures.length === 0) {
    el.replaceChildren(h('p', { class: 'empty', text: detail.batch.failed ? 'Failed documents are being recorded…' : 'No failed documents.' }));
    return;
  }
  const shown = table(
      [{ label: 'Document' }, { label: 'Code' }, { label: 'Reason' }, { label: 'Job' }],
      failures.map((f) =>
        h(
          'tr',
          { 'data-doc-id': f.id },
          h('td', { class: 'mono', text: f.id }),
          h('td', { class: 'mono failed', text: f.code }),
          h('td', { text: f.message }),
          h('td', {}, h('a', { href: f.jobUrl, text: 'open in Bull Board' })),
        ),
      ),
  );
  if (failures.length < detail.batch.failed) {
    const note = 'Showing ' + fmtInt(failures.length) + ' of ' + fmtInt(detail.batch.failed) + ' (batchline export lists them all).';
    el.replaceChildren(h('p', { class: 'small', text: note }), shown);
  } else {
    el.replaceChildren(shown);
  }
}

function batchPage() {
  const id = decodeURIComponent(location.pathname.split('/')[2] || '');
  document.title = 'batchline — ' + id;
  poll(async () => {
    const detail = await getJson('/api/batches/' + encodeURIComponent(id));
    if (!detail) {
      byId('summary').replaceChildren(h('p', { class: 'empty', text: 'The broker has no batch "' + id + '" (it may have expired).' }));
      return;
    }
    renderSummary(byId('summary'), detail);
    renderCharts(byId('charts'), detail);
    renderFailures(byId('failures'), detail);
  }, 2000);
}
`;
