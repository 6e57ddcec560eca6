import { type Response, Router } from 'express';
import { assertBatchId } from '../batches/index.js';
import { isBatchlineError, messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { DashboardData } from './dashboard-data.js';

/** What the pages poll. Every answer is read from the broker at request time and never cached by the browser. */
export function apiRoutes(data: DashboardData, options: { sampleSeconds: number; readOnly: boolean; logger: Logger }): Router {
  const router = Router();
  const { logger } = options;
  let failing = false;

  /** Runs a handler; a broker that cannot be read is a 503 the pages show as "retrying", logged once per outage. */
  const answer = async (res: Response, produce: () => Promise<unknown>) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      const body = await produce();
      // The broker gate may have answered 503 already (a hung broker): nothing left to send.
      if (res.headersSent) return;
      if (failing) logger.info('dashboard reads the broker again');
      failing = false;
      if (body === undefined) res.status(404).json({ error: 'not found' });
      else res.json({ now: Date.now(), ...body });
    } catch (error) {
      if (res.headersSent) return;
      if (isBatchlineError(error) && error.code === 'E_BAD_INPUT') {
        res.status(400).json({ error: error.message });
        return;
      }
      if (!failing) logger.warn({ err: messageOf(error) }, 'dashboard cannot read the broker; answering 503 until it can');
      failing = true;
      res.status(503).json({ error: 'the broker cannot be read right now' });
    }
  };

  router.get('/batches', (req, res) => {
    const requested = Number(req.query.limit ?? 50);
    const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 500) : 50;
    return answer(res, async () => ({ batches: await data.batches(limit) }));
  });

  router.get('/batches/:id', (req, res) =>
    answer(res, async () => {
      const detail = await data.batch(assertBatchId(req.params.id));
      return detail && { ...detail };
    }),
  );

  router.get('/workers', (_req, res) => answer(res, async () => ({ workers: await data.workers() })));

  router.get('/queues', (_req, res) =>
    answer(res, async () => ({ ...(await data.queueOverview()), sampleSeconds: options.sampleSeconds })),
  );

  router.get('/settings', (_req, res) => answer(res, async () => ({ readOnly: options.readOnly, sampleSeconds: options.sampleSeconds })));

  router.use((_req, res) => {
    res.status(404).json({ error: 'no such API route' });
  });

  return router;
}
