import { type RequestHandler, Router } from 'express';
import { clientBatch } from './assets/client-batch.js';
import { clientCharts } from './assets/client-charts.js';
import { clientCore } from './assets/client-core.js';
import { clientOverview } from './assets/client-overview.js';
import { dashboardCss } from './assets/styles.js';

/** The one script every page loads; the page picks its entry point from `data-page`. */
export const dashboardScript = [
  '(() => {',
  "'use strict';",
  clientCore,
  clientCharts,
  clientOverview,
  clientBatch,
  "if (document.body.dataset.page === 'batch') batchPage(); else overviewPage();",
  '})();',
  '',
].join('\n');

const PAGE_TITLES = { overview: 'batchline — batches and cache health', batch: 'batchline — batch' } as const;

/**
 * A page shell. No data goes into the HTML (the script fetches it and inserts it as
 * text), so nothing a user supplied — batch ids, sources, error messages — is ever
 * parsed as markup.
 */
function shell(page: keyof typeof PAGE_TITLES, readOnly: boolean, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${PAGE_TITLES[page]}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body data-page="${page}">
<header class="top">
<a class="brand" href="/">batchline</a>
<nav><a href="/"${page === 'overview' ? ' class="current"' : ''}>Batches</a><a href="/queues">Queues (Bull Board)</a><a href="/metrics">Metrics</a></nav>
${readOnly ? '<span class="badge ro" title="writes are refused (HTTP 405)">read-only</span>' : ''}
<span class="spacer"></span>
<span id="status" class="status">loading…</span>
</header>
<main>
${body}
</main>
<script src="/assets/dashboard.js"></script>
</body>
</html>
`;
}

const OVERVIEW_BODY = `<section><h2>Batches <span class="hint">newest first · progress, counts, cache use, rate and ETA</span></h2><div id="batches"><p class="empty">loading…</p></div></section>
<section><h2>Cache health <span class="hint">per live worker, from the heartbeats it writes to the broker</span></h2><div id="workers"><p class="empty">loading…</p></div></section>
<section><h2>Queues <span class="hint">waiting and active over the last hours</span></h2><div id="queues"><p class="empty">loading…</p></div></section>`;

const BATCH_BODY = `<p class="small"><a href="/">← all batches</a></p>
<section id="summary"><p class="empty">loading…</p></section>
<section><h2>Over time <span class="hint">per minute</span></h2><div id="charts"></div></section>
<section><h2>Failed documents</h2><div id="failures"><p class="empty">loading…</p></div></section>`;

/** The HTML pages and their two assets, all served from this process. */
export function pageRoutes(options: { readOnly: boolean }): Router {
  const router = Router();
  const overview = shell('overview', options.readOnly, OVERVIEW_BODY);
  const batch = shell('batch', options.readOnly, BATCH_BODY);
  const html =
    (page: string): RequestHandler =>
    (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page);
  };
  router.get('/', html(overview));
  router.get('/batches', (_req, res) => res.redirect(302, '/'));
  router.get('/batches/:id', html(batch));
  router.get('/assets/dashboard.css', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('css').send(dashboardCss);
  });
  router.get('/assets/dashboard.js', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('js').send(dashboardScript);
  });
  return router;
}
