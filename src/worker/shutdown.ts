import type { Logger } from 'pino';

/*
 * Signals that mean "stop": SIGTERM from process managers, Kubernetes and `run`; SIGINT
 * from Ctrl-C. SIGHUP is left alone so a closed terminal does not drop active jobs
 * silently under nohup. A lost IPC channel means the parent `run`/`dev` died.
 */
const stopSignals = ['SIGTERM', 'SIGINT'] as const;

/**
 * Calls `stop` once on the first stop signal (or parent loss), then exits. A second
 * signal exits at once: the operator insisted, and unfinished jobs come back through
 * stall detection.
 */
export function onShutdown(logger: Logger, stop: (reason: string) => Promise<void>, deadlineMs: number): void {
  let stopping = false;
  const begin = (reason: string) => {
    if (stopping) {
      logger.warn({ reason }, 'second stop request; exiting now, active jobs return to the queue after their lock expires');
      process.exit(130);
    }
    stopping = true;
    // A stop that waits on a broker that is gone (it may have died with the parent) must
    // not keep the process alive: past the deadline it exits, and stall detection returns
    // any job it held.
    setTimeout(() => {
      logger.warn({ deadlineMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, deadlineMs).unref();
    stop(reason).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of stopSignals) process.on(signal, () => begin(signal));
  if (process.send) {
    process.on('disconnect', () => begin('parent process gone'));
    // The parent may have died while this worker was still starting, before the listener existed.
    if (!process.connected) begin('parent process gone');
  }
}
