import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDashboard, startDashboard } from '../../src/dashboard/index.js';
import { silentLogger } from '../../src/log.js';
import { BatchStore } from '../../src/batches/batch-store.js';
import { WorkerRegistry } from '../../src/queue/worker-registry.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { ARTIFACTS, browserTestsRunnable, openBrowser, type TestBrowser } from '../helpers/browser.js';
import { tempDir } from '../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';
import {
  dashboardConfig,
  ingest,
  startWorkers,
  uniquePrefix,
  type WorkerGroup,
  waitFor,
  writeDocs,
} from '../integration/dashboard/live-system.js';

/*
 * The dashboard in a real browser (Debian's chromium through playwright-core) during a
 * batch that lasts about ten seconds: the batches page shows the batch's progress and
 * updates it in place, the health panel shows each live worker's breaker state, the batch
 * page draws its charts and lists the failed documents, and no request leaves this
 * machine; at 1,400 and 1,024 px every column stays in its panel and on screen.
 * Screenshots go to test/artifacts/; UPDATE_DOCS_SCREENSHOT=1 also refreshes the README's
 * docs/dashboard.png and the per-width docs/dashboard-{1400,1024}.png (and batch pages).
 */

const USER = 'operator';
const PASSWORD = 'browser-test-password';
const DOCS = 800;
const FAIL_EVERY = 50;

let broker: RedisServer;
let cache: RedisServer;
let raw: Redis;
let store: BatchStore;
let registry: WorkerRegistry;
let dashboard: RunningDashboard;
let readOnlyDashboard: RunningDashboard;
let workers: WorkerGroup | undefined;
let browser: TestBrowser;
const prefix = uniquePrefix();
const batchId = uniqueName('browser');
/** Every URL the browser asked for, and every console error, per test. */
const requested: string[] = [];
const consoleErrors: string[] = [];

function watch(page: Page): Page {
  page.on('request', (request) => void requested.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => void consoleErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

const progressOf = (page: Page) =>
  page.locator(`tr[data-batch-id="${batchId}"] [role=progressbar]`).getAttribute('aria-valuenow').then(Number);

const runnable = browserTestsRunnable();

beforeAll(async () => {
  if (!runnable) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  broker = await startRedis('broker');
  cache = await startRedis('cache');
  raw = new Redis(broker.url);
  store = new BatchStore(raw, prefix, 3_600);
  registry = new WorkerRegistry(raw, prefix);
  const credentials = { username: USER, password: PASSWORD, sampleSeconds: 1 };
  dashboard = await startDashboard(dashboardConfig(broker.url, prefix, credentials), { brokerUrl: broker.url, logger: silentLogger });
  readOnlyDashboard = await startDashboard(dashboardConfig(broker.url, prefix, { ...credentials, readOnly: true }), {
    brokerUrl: broker.url,
    logger: silentLogger,
  });
  browser = await openBrowser({ httpCredentials: { username: USER, password: PASSWORD } });
  workers = startWorkers({ brokerUrl: broker.url, cacheUrl: cache.url, prefix, count: 2, concurrency: 4, slowMs: 100 });
  await waitFor('two live workers', async () => (await registry.live()).length === 2);
  // An earlier, finished batch, so the page shows one of each (and the README's screenshot too).
  const earlier = uniqueName('nightly');
  // A long source path, as real backfills have: it must not push columns out of their panel.
  const earlierDir = path.join(tempDir('browser-earlier'), 'exports', 'customer-invoices-2026-11-eu-west-1');
  mkdirSync(earlierDir, { recursive: true });
  const earlierFile = writeDocs(earlierDir, 'nightly-backfill-invoices-and-receipts.jsonl', { count: 96, failEvery: 30 });
  await ingest({ brokerUrl: broker.url, prefix, batchId: earlier, file: earlierFile });
  await waitFor('the earlier batch to finish', async () => (await store.get(earlier))?.finishedAt !== undefined);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workers?.stop();
  await dashboard?.close();
  await readOnlyDashboard?.close();
  raw?.disconnect();
  await stopRedis(broker, cache);
});

describe.skipIf(!runnable)('dashboard in chromium', () => {
  it('batches page: the running batch’s progress, updated in place, and each worker’s breaker state', async () => {
    const dir = tempDir('browser');
    await ingest({ brokerUrl: broker.url, prefix, batchId, file: writeDocs(dir, 'docs.jsonl', { count: DOCS, failEvery: FAIL_EVERY }) });
    const page = watch(await browser.context.newPage());
    await page.goto(`${dashboard.url}/`);

    const row = page.locator(`tr[data-batch-id="${batchId}"]`);
    await row.waitFor();
    const first = await waitFor('the batch under way on the page', async () => {
      const shown = await progressOf(page);
      return shown >= 5 && shown;
    });
    const info = await store.get(batchId);
    expect(first).toBeLessThan(100);
    expect(info?.finishedAt).toBeUndefined();
    await expect(row.textContent()).resolves.toContain(`of ${DOCS.toLocaleString('en-US')}`);
    expect(await row.locator('.phase').textContent()).toBe('processing');

    // The page refreshes its data without reloading: a marker set now survives the next figures.
    // (Browser-side code is passed as strings: the tests are typechecked without DOM types.)
    await page.evaluate("window.marker = 'same document'");
    await waitFor('newer figures on the page', async () => (await progressOf(page)) > first);
    expect(await page.evaluate('window.marker')).toBe('same document');
    expect(await page.evaluate("performance.getEntriesByType('navigation').length")).toBe(1);

    // Cache health: one row per live worker, showing the breaker state its heartbeat reports.
    const live = await registry.live();
    expect(live).toHaveLength(2);
    for (const worker of live) {
      const state = await waitFor(`worker ${worker.id} on the panel with its heartbeat's breaker state`, async () => {
        const shown = await page.locator(`tr[data-worker-id="${worker.id}"] .breaker-state`).textContent({ timeout: 10_000 });
        const reported = (await registry.live()).find((beat) => beat.id === worker.id)?.cache.health.breaker?.state;
        return shown !== null && shown === reported && shown;
      });
      expect(['UNKNOWN', 'HEALTHY', 'DEGRADED', 'UNHEALTHY']).toContain(state);
    }
    expect(await page.locator('#workers tr[data-worker-id]').count()).toBe(2);
    await page.locator('#queues figure[data-chart="queue-default"] svg').waitFor();

    await page.screenshot({ path: path.join(ARTIFACTS, 'overview-running.png'), fullPage: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png') });
    // The README's picture is replaced only on request, so a test run leaves the work tree clean.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: path.resolve('docs/dashboard.png') });
    await page.close();
  }, 150_000);

  it('batch page: counts, charts, failed documents with reasons, and links into Bull Board', async () => {
    const page = watch(await browser.context.newPage());
    await page.goto(`${dashboard.url}/`);
    await page.locator(`tr[data-batch-id="${batchId}"] a[href^="/batches/"]`).click();
    await page.waitForURL(`${dashboard.url}/batches/${batchId}`);
    await page.locator('#summary [role=progressbar]').waitFor();
    await page.locator('#summary .phase.finished').waitFor({ timeout: 90_000 });

    const failed = DOCS / FAIL_EVERY;
    await waitFor('every failed document listed', async () => (await page.locator('#failures tr[data-doc-id]').count()) === failed);
    const first = page.locator('#failures tr[data-doc-id]').first();
    const docId = await first.getAttribute('data-doc-id');
    expect(await first.textContent()).toContain(`refused ${docId}`);
    expect(await page.locator('#summary [role=progressbar]').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('figure[data-chart="docs-per-minute"] svg').locator('rect, path').count()).toBeGreaterThan(0);
    expect(await page.locator('figure[data-chart="cache-hit-rate"] svg').locator('rect, path').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'batch-finished.png'), fullPage: true });

    await page.locator('#summary a', { hasText: 'failed jobs' }).click();
    await page.waitForURL(/\/queues\/queue\/default\?status=failed$/);
    await page.getByText(batchId, { exact: false }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'bull-board-failed.png') });
    await page.close();
  }, 150_000);

  it('fits the screen at 1,400 and 1,024 px: every column inside its panel, no LLM cards without an LLM', async () => {
    // Elements (table cells, stat cards) whose box leaves their panel or the viewport. Browser-side code is a string (no DOM types here).
    const outside = (selector: string, panel: string) => `(() => {
      const width = document.documentElement.clientWidth;
      const bad = [];
      for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
        const box = el.getBoundingClientRect();
        const holder = el.closest(${JSON.stringify(panel)}).getBoundingClientRect();
        if (box.width === 0) continue;
        if (box.left < holder.left - 0.5 || box.right > holder.right + 0.5 || box.right > width + 0.5) {
          bad.push((el.textContent || el.tagName).trim().slice(0, 40) + ' [' + Math.round(box.left) + '..' + Math.round(box.right) + ' in ' + Math.round(holder.left) + '..' + Math.round(holder.right) + ', viewport ' + width + ']');
        }
      }
      return bad;
    })()`;
    // Every problem at both widths, asserted together at the end (one run shows them all).
    const problems: Record<string, unknown> = {};
    for (const width of [1_400, 1_024]) {
      const page = watch(await browser.context.newPage());
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${dashboard.url}/`);
      await page.locator(`tr[data-batch-id="${batchId}"] .phase.finished`).waitFor();
      await page.locator('#workers tr[data-worker-id]').first().waitFor();
      problems[`overview at ${width} px: cells or cards outside their panel or the screen`] = await page.evaluate(
        outside('#batches th, #batches td, #workers th, #workers td, #queues .card', 'section'),
      );
      problems[`overview at ${width} px: scrolls sideways`] = await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
      await page.screenshot({ path: path.join(ARTIFACTS, `overview-${width}.png`), fullPage: true });
      if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: path.resolve(`docs/dashboard-${width}.png`), fullPage: true });

      await page.goto(`${dashboard.url}/batches/${batchId}`);
      await page.locator('#summary .stat').first().waitFor();
      problems[`batch page at ${width} px: cards outside their grid or the screen`] = await page.evaluate(outside('#summary .stat', '.stats'));
      problems[`batch page at ${width} px: scrolls sideways`] = await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
      // No LLM is configured for these workers: no LLM or token cards.
      problems[`batch page at ${width} px: LLM cards without an LLM`] = (await page.locator('#summary .stat .k').allTextContents()).filter((k) => /LLM|Tokens/.test(k));
      await page.screenshot({ path: path.join(ARTIFACTS, `batch-${width}.png`), fullPage: true });
      if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: path.resolve(`docs/dashboard-batch-${width}.png`), fullPage: true });
      await page.close();
    }
    expect(Object.fromEntries(Object.entries(problems).filter(([, found]) => (Array.isArray(found) ? found.length > 0 : found)))).toEqual({});
  }, 150_000);

  it('read-only: Bull Board shows no write actions', async () => {
    const writable = watch(await browser.context.newPage());
    await writable.goto(`${dashboard.url}/queues/queue/default?status=failed`);
    const writeButtons = (page: Page) => page.getByRole('button', { name: /retry|clean|pause|promote|remove|empty|obliterate|add job/i });
    await writeButtons(writable).first().waitFor({ timeout: 30_000 });

    const readOnly = watch(await browser.context.newPage());
    await readOnly.goto(`${readOnlyDashboard.url}/queues/queue/default?status=failed`);
    await readOnly.getByText(batchId, { exact: false }).first().waitFor({ timeout: 30_000 });
    expect(await writeButtons(readOnly).count()).toBe(0);
    await readOnly.screenshot({ path: path.join(ARTIFACTS, 'bull-board-read-only.png') });
    await writable.close();
    await readOnly.close();
  }, 150_000);

  it('nothing was loaded from outside this process, and no page logged an error', () => {
    const origins = new Set(requested.map((url) => (url.startsWith('data:') ? 'data:' : new URL(url).origin)));
    for (const origin of origins) expect([new URL(dashboard.url).origin, new URL(readOnlyDashboard.url).origin, 'data:']).toContain(origin);
    expect(consoleErrors).toEqual([]);
  });
});
