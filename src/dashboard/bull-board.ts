import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

/**
 * Bull Board's page template loads its fonts from a public CDN. The dashboard must work
 * with nothing from outside this machine (and its CSP forbids it anyway), so the board
 * renders a copy of its template without that link; the fonts fall back to the system's.
 */
class LocalAssetsAdapter extends ExpressAdapter {
  constructor(private readonly viewsDir: string) {
    super();
  }

  override setViewsPath(original: string): ExpressAdapter {
    const template = readFileSync(path.join(original, 'index.ejs'), 'utf8');
    writeFileSync(path.join(this.viewsDir, 'index.ejs'), template.replace(/<link[^>]+href="https?:\/\/[^"]*"[^>]*>/g, ''));
    return super.setViewsPath(this.viewsDir);
  }
}

/** Bull Board for the given queues, to mount at `basePath`. `close()` removes the template copy. */
export function createBullBoardRouter(queues: readonly Queue[], options: { basePath: string; readOnly: boolean }): { router: Router; close(): void } {
  const viewsDir = mkdtempSync(path.join(os.tmpdir(), 'batchline-board-'));
  const adapter = new LocalAssetsAdapter(viewsDir);
  adapter.setBasePath(options.basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: options.readOnly, allowRetries: !options.readOnly })),
    serverAdapter: adapter,
    options: {
      uiConfig: {
        boardTitle: 'batchline',
        hideDocsLink: true,
        miscLinks: [{ text: 'Batches and cache health', url: '/' }],
      },
    },
  });
  return {
    router: adapter.getRouter() as Router,
    close: () => rmSync(viewsDir, { recursive: true, force: true }),
  };
}
