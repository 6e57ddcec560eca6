#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitCodeFor, messageOf } from '../errors.js';

/*
 * Each command's module is loaded only when that command runs: loading all of them (BullMQ,
 * Express, Bull Board, the pipeline) cost `status` and `export` about a second of start-up
 * before they did anything. Help and unknown commands load them all, in this order.
 */
const commands: Record<string, () => Promise<(program: Command) => void>> = {
  run: async () => (await import('./commands/run-command.js')).registerRunCommand,
  ingest: async () => (await import('./commands/ingest-command.js')).registerIngestCommand,
  worker: async () => (await import('./commands/worker-command.js')).registerWorkerCommand,
  status: async () => (await import('./commands/status-command.js')).registerStatusCommand,
  export: async () => (await import('./commands/export-command.js')).registerExportCommand,
  schedule: async () => (await import('./commands/schedule-command.js')).registerScheduleCommand,
  patterns: async () => (await import('./commands/patterns-command.js')).registerPatternsCommand,
  doctor: async () => (await import('./commands/doctor-command.js')).registerDoctorCommand,
  dashboard: async () => (await import('./commands/dashboard-command.js')).registerDashboardCommand,
  dev: async () => (await import('./commands/dev-command.js')).registerDevCommand,
};

/*
 * Ctrl-C (or SIGTERM) before a command has installed its own handler, while modules load
 * or servers start, exits with the documented code (130, 143) instead of dying by the
 * signal. A command that stops things on a signal installs its own handler; this one then
 * steps aside, so that the command's cleanup runs before it exits.
 */
const exitOnSignal = (signal: NodeJS.Signals) => {
  if (process.listenerCount(signal) === 1) process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.on('SIGINT', exitOnSignal);
process.on('SIGTERM', exitOnSignal);

/** package.json sits three folders up from dist/src/cli/main.js, in a checkout and in the image. */
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('batchline')
  .description('Worker-queue batch processor with an optional two-tier cache.')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

/** Commands that keep running until stopped (a server, worker processes). Every other one is done when its action returns. */
const longRunning = new Set(['worker', 'dashboard', 'dev']);

const requested = process.argv[2];
const only = requested !== undefined && Object.hasOwn(commands, requested) ? commands[requested] : undefined;
for (const load of only ? [only] : Object.values(commands)) (await load())(program);

try {
  await program.parseAsync(process.argv);
  // A one-shot command exits once it is done, instead of waiting for every handle to close:
  // a socket a Redis Cluster client left open after a failover, or a user pipeline's
  // keep-alive timer, kept a finished `run` alive forever. (Output is written synchronously:
  // pino's destination, and stdout/stderr on files, pipes and terminals on Linux.)
  if (requested === undefined || !longRunning.has(requested)) process.exit(process.exitCode ?? 0);
} catch (error) {
  // Usage errors (unknown flag, bad value) exit 2 like configuration errors; --help exits 0.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  process.stderr.write(`batchline: ${messageOf(error)}\n`);
  process.exit(exitCodeFor(error));
}
