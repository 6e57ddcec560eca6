import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium: `.ci/run` installs it; playwright's own browser downloads are never used. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. Without chromium they are skipped with a message
 * on a developer's machine (the rest of `npm test` stays meaningful); under CI (CI=true)
 * a missing chromium is a failure, never a silent skip.
 */
export function browserTestsRunnable(): boolean {
  if (existsSync(CHROMIUM) || process.env.CI) return true;
  process.stderr.write(`\nbrowser tests SKIPPED: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)\n\n`);
  return false;
}

/** Flags for a quiet, offline, headless chromium in a container (no sandbox: tests run as root). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts chromium with a fresh, throw-away profile (so no cookie, cache or saved
 * credential from another run can make a test pass) and returns its only context.
 */
export async function openBrowser(
  options: { httpCredentials?: { username: string; password: string }; viewport?: { width: number; height: number } } = {},
): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'batchline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    ...(options.httpCredentials ? { httpCredentials: options.httpCredentials } : {}),
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go (gitignored); created on demand. */
export const ARTIFACTS = path.resolve('test/artifacts');
