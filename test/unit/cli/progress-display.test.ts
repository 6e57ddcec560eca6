import { describe, expect, it } from 'vitest';
import { cacheCounts, formatDuration, ProgressDisplay } from '../../../src/cli/progress-display.js';
import { chooseLogFormat } from '../../../src/log.js';
import { TerminalStatus } from '../../../src/terminal-status.js';

/** A stream that records what is written; `isTTY` as asked. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes, text: () => writes.join('') };
}

describe('log format', () => {
  it('is human-readable on a terminal and JSON anywhere else, unless set', () => {
    expect(chooseLogFormat('auto', true)).toBe('pretty');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });
});

describe('progress on a terminal', () => {
  it('shows the rate, the time left and labelled cache counts', () => {
    let now = 0;
    const { stream, writes } = fakeStream(true);
    const display = new ProgressDisplay(stream, false, () => now);
    for (let second = 0; second <= 4; second++) {
      now = second * 1000;
      display.update('process', second * 100, 1000, cacheCounts({ exact: 3, semantic: 1, miss: second * 100 - 4 }));
    }
    const last = writes.at(-1) ?? '';
    expect(last.startsWith('\r')).toBe(true);
    expect(last).toContain('400/1000');
    expect(last).toContain('100 docs/s');
    expect(last).toContain('ETA 0:06');
    expect(last).toContain('cache: 3 exact, 1 semantic, 396 miss');
  });

  it('prints log lines above the bar and draws the bar again below them', () => {
    const { stream, text } = fakeStream(true);
    const status = new TerminalStatus(stream);
    const display = new ProgressDisplay(stream, false, () => 0, status);
    display.update('process', 1, 10);
    status.writeAbove('a log line\n');
    const out = text();
    const bar = out.slice(1, out.indexOf('\u001b[K'));
    // The bar's line is cleared, the log line written whole, the bar redrawn after it.
    expect(out.endsWith(`\r\u001b[Ka log line\n${bar}\u001b[K`)).toBe(true);
    display.done();
    expect(text().endsWith('\n')).toBe(true);
    status.writeAbove('after\n');
    expect(text().endsWith('\nafter\n')).toBe(true);
  });
});

describe('progress not on a terminal', () => {
  it('writes a plain line every few seconds and always ends with the final count', () => {
    let now = 0;
    const { stream, writes } = fakeStream(false);
    const display = new ProgressDisplay(stream, false, () => now);
    for (let done = 0; done <= 1000; done += 10) {
      now = done * 9; // 100 updates over 9 s: the last one falls between two plain lines
      display.update('process', done, 1000);
    }
    display.done();
    expect(writes.length).toBeLessThan(10);
    expect(writes.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(writes.at(-1)).toMatch(/^process 100% 1000\/1000/);
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(5_000)).toBe('0:05');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
