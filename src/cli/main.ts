#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitCodeFor, messageOf } from '../errors.js';
import { registerDashboardCommand } from './commands/dashboard-command.js';
import { registerDevCommand } from './commands/dev-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerExportCommand } from './commands/export-command.js';
import { registerIngestCommand } from './commands/ingest-command.js';
import { registerPatternsCommand } from './commands/patterns-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerScheduleCommand } from './commands/schedule-command.js';
import { registerStatusCommand } from './commands/status-command.js';
import { registerWorkerCommand } from './commands/worker-command.js';

/** package.json sits three folders up from dist/src/cli/main.js, in a checkout and in the image. */
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('batchline')
  .description('Worker-queue batch processor with an optional two-tier cache.')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

registerRunCommand(program);
registerIngestCommand(program);
registerWorkerCommand(program);
registerStatusCommand(program);
registerExportCommand(program);
registerScheduleCommand(program);
registerPatternsCommand(program);
registerDoctorCommand(program);
registerDashboardCommand(program);
registerDevCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Usage errors (unknown flag, bad value) exit 2 like configuration errors; --help exits 0.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  process.stderr.write(`batchline: ${messageOf(error)}\n`);
  process.exit(exitCodeFor(error));
}
