/**
 * The overview page: batches with progress, cache health per live worker, queue depth
 * over the last hours. Refreshes in place every two seconds. Plain ES2020 without
 * backticks or template placeholders (embedded in a template string).
 */
export const clientOverview = `
function renderBatches(el, batches, now) {
  if (batches.length === 0) {
    el.replaceChildren(h('p', { class: 'empty', text: 'No batches yet. Run one with: batchline run <file.jsonl>' }));
    return;
  }
  // Few, narrow columns: the table must fit its panel from 1,024 px up (related figures share a cell).
  const rows = batches.map((b) =>
    h(
      'tr',
      { 'data-batch-id': b.batchId },
      h(
        'td',
        { class: 'batch-cell' },
        h('a', { href: '/batches/' + encodeURIComponent(b.batchId), class: 'mono', text: b.batchId }),
        h('div', { class: 'small' }, h('a', { href: '/queues/queue/' + encodeURIComponent(b.queue), text: b.queue }), ' · ' + fmtTime(b.createdAt)),
        h('div', { class: 'small source', title: b.source, text: b.source }),
      ),
      h('td', {}, phaseBadge(b)),
      h('td', { class: 'progress-cell' }, progressBar(b), h('div', { class: 'label', text: fmtPct(b.progress) + ' · ' + fmtInt(b.done) + ' of ' + fmtInt(b.total) })),
      h(
        'td',
        { class: 'num' },
        h('span', { class: 'ok', text: fmtInt(b.ok) }),
        ' / ',
        h('span', { class: b.failed ? 'failed' : '', text: fmtInt(b.failed) }),
        ' / ',
        h('span', { text: fmtInt(b.rejected) }),
      ),
      h('td', { class: 'num' }, h('span', { class: 'waiting', text: fmtInt(b.waiting) }), ' / ', h('span', { class: 'active', text: fmtInt(b.active) })),
      h('td', { class: 'cache-cell' }, cacheBar(b.cache), h('div', { class: 'small', text: fmtInt(b.cache.exact) + ' / ' + fmtInt(b.cache.semantic) + ' / ' + fmtInt(b.cache.miss) })),
      h('td', { class: 'num', text: fmtRate(b.throughputPerMinute) }),
      h('td', { class: 'num eta', text: b.phase === 'finished' ? 'done' : b.etaSeconds !== undefined ? fmtDuration(b.etaSeconds * 1000) : '–' }),
    ),
  );
  el.replaceChildren(
    table(
      [
        { label: 'Batch · queue · created' },
        { label: 'Phase' },
        { label: 'Progress' },
        { label: 'OK / failed / rejected', num: true, title: 'rejected: refused at ingest (bad records)' },
        { label: 'Waiting / active', num: true },
        { label: 'Cache exact / semantic / miss' },
        { label: 'Throughput', num: true },
        { label: 'ETA', num: true },
      ],
      rows,
    ),
  );
}

function renderWorkers(el, workers, now) {
  if (workers.length === 0) {
    el.replaceChildren(h('p', { class: 'empty', text: 'No live workers: none has sent a heartbeat recently.' }));
    return;
  }
  const rows = workers.map((w) =>
    h(
      'tr',
      { 'data-worker-id': w.id, 'data-breaker-state': w.cache.state },
      h('td', {}, h('div', { class: 'mono', text: w.host + ':' + w.pid }), h('div', { class: 'small', text: w.queue + ' · ' + w.pipeline + ' · ' + w.concurrency + ' at once' })),
      h(
        'td',
        {},
        stateBadge(w.cache.state),
        h('div', { class: 'small', text: (w.cache.timeInStateMs === undefined ? '' : 'for ' + fmtDuration(w.cache.timeInStateMs)) + (w.cache.state !== 'OFF' && !w.cache.connected ? ' · not connected' : '') }),
      ),
      h('td', {}, w.cache.lastError ? h('span', { class: w.cache.state === 'HEALTHY' ? 'error-text past' : 'error-text', title: w.cache.lastError, text: w.cache.lastError }) : h('span', { class: 'small', text: '–' })),
      h('td', { class: 'num', text: fmtPct(w.cache.hitRate.l1) + ' / ' + (w.cache.mode === 'l1+l2' ? fmtPct(w.cache.hitRate.l2) : 'n/a') }),
      h('td', { class: 'num', text: [w.cache.misses, w.cache.timeouts, w.cache.errors, w.cache.shortCircuits].map(fmtInt).join(' / ') }),
      h('td', { class: 'num' }, h('span', { class: 'ok', text: fmtInt(w.jobs.ok) }), ' / ', h('span', { class: w.jobs.failed ? 'failed' : '', text: fmtInt(w.jobs.failed) })),
      h('td', { class: 'num small', text: fmtDuration(now - w.at) + ' ago' }),
    ),
  );
  el.replaceChildren(
    table(
      [
        { label: 'Worker · queue · pipeline' },
        { label: 'Cache breaker' },
        { label: 'Last error' },
        { label: 'Hits L1 / L2', num: true, title: 'share of lookups served in-process / by the cache Redis' },
        { label: 'Misses / timeouts / errors / short-circuits', num: true, title: 'short-circuits: calls answered without I/O while the breaker was open' },
        { label: 'Jobs ok / failed', num: true },
        { label: 'Heartbeat', num: true },
      ],
      rows,
    ),
  );
}

function renderQueues(el, data) {
  const times = data.history.map((sample) => sample.at);
  const cards = data.queues.map((q) => {
    const c = q.counts;
    return h(
      'div',
      { class: 'card', 'data-queue': q.name },
      h('h3', {}, h('span', { text: q.name }), h('a', { class: 'small', href: q.url, text: 'open in Bull Board' })),
      h(
        'div',
        { class: 'counts' },
        [['waiting', q.waiting], ['active', q.active], ['delayed', c.delayed], ['completed', c.completed], ['failed', c.failed]].map((pair) =>
          h('span', {}, pair[0] + ' ', h('b', { text: fmtInt(pair[1] || 0) })),
        ),
      ),
      timeChart({
        id: 'queue-' + q.name,
        title: 'Waiting and active, last ' + fmtDuration(times.length ? times[times.length - 1] - times[0] : 0),
        times,
        width: 420,
        height: 120,
        series: [
          { name: 'waiting', color: COLORS.waiting, values: data.history.map((sample) => (sample.queues[q.name] || {}).waiting || 0) },
          { name: 'active', color: COLORS.active, values: data.history.map((sample) => (sample.queues[q.name] || {}).active || 0) },
        ],
      }),
    );
  });
  el.replaceChildren(h('div', { class: 'grid' }, cards));
}

function overviewPage() {
  const batchesEl = byId('batches');
  const workersEl = byId('workers');
  const queuesEl = byId('queues');
  poll(async () => {
    const [batches, workers, queues] = await Promise.all([getJson('/api/batches'), getJson('/api/workers'), getJson('/api/queues')]);
    renderBatches(batchesEl, batches.batches, batches.now);
    renderWorkers(workersEl, workers.workers, workers.now);
    renderQueues(queuesEl, queues);
  }, 2000);
}
`;
