import type { Command } from 'commander';
import { doctorExitCode, runDoctor } from '../../doctor/index.js';
import type { CommonFlags } from '../cli-options.js';
import { configFor, configOption, logLevelOption } from '../shared-options.js';

const mark = { ok: '✓', warn: '!', fail: '✗' } as const;

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check broker, cache and schedules and explain what is wrong; exit 1 if anything failed')
    .option('--json', 'print the findings as JSON')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (flags: CommonFlags & { json?: boolean }) => {
      const findings = await runDoctor(configFor(flags));
      if (flags.json) process.stdout.write(`${JSON.stringify(findings)}\n`);
      else for (const finding of findings) process.stdout.write(`${mark[finding.status]} ${finding.area.padEnd(9)} ${finding.message}\n`);
      process.exitCode = doctorExitCode(findings);
    });
}
