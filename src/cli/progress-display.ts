import { stderrStatus, TerminalStatus } from '../terminal-status.js';

/** Cache counts as the progress line shows them: labelled, never bare numbers. */
export function cacheCounts(cache: { exact: number; semantic: number; miss: number }): string {
  return `cache: ${cache.exact} exact, ${cache.semantic} semantic, ${cache.miss} miss`;
}

/** How far back the rate looks: long enough to be steady, short enough to follow a change. */
const RATE_WINDOW_MS = 10_000;

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * Progress on stderr: on a terminal, a bar redrawn in place with the rate and the time
 * left (log lines are printed above it, see TerminalStatus); elsewhere (log files, CI) a
 * plain line every few seconds, and always a last one with the final count; nothing when
 * quiet.
 */
export class ProgressDisplay {
  private lastPlain = 0;
  private pendingPlain: string | undefined;
  private samples: { at: number; done: number }[] = [];
  private label = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
    private readonly now: () => number = Date.now,
    private readonly status: TerminalStatus = stream === process.stderr ? stderrStatus : new TerminalStatus(stream),
  ) {}

  /** `withEta: false` where `total` is not known yet (ingest counts what it has read so far). */
  update(label: string, done: number, total: number, extra = '', withEta = true): void {
    if (this.quiet) return;
    const now = this.now();
    if (label !== this.label) {
      this.label = label;
      this.samples = [];
    }
    this.samples.push({ at: now, done });
    while (this.samples.length > 2 && now - (this.samples[1]?.at ?? now) >= RATE_WINDOW_MS) this.samples.shift();
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const figures = [this.rateAndEta(done, total, withEta), extra].filter(Boolean).join(' · ');
    if (this.status.isTerminal) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      this.status.show(`${label} ${bar} ${percent} ${done}/${total}${figures ? ` · ${figures}` : ''}`);
      return;
    }
    const line = `${label} ${percent} ${done}/${total}${figures ? ` · ${figures}` : ''}\n`;
    if (now - this.lastPlain >= 2_000) {
      this.lastPlain = now;
      this.pendingPlain = undefined;
      this.stream.write(line);
    } else {
      this.pendingPlain = line; // written by done(), so the last line shows the final count
    }
  }

  done(): void {
    if (this.quiet) return;
    if (this.pendingPlain) this.stream.write(this.pendingPlain);
    this.pendingPlain = undefined;
    this.lastPlain = 0;
    this.status.release();
  }

  private rateAndEta(done: number, total: number, withEta: boolean): string {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 1_000) return '';
    const rate = ((last.done - first.done) * 1000) / (last.at - first.at);
    const shown = rate >= 100 ? Math.round(rate).toString() : rate.toFixed(1);
    const left = total - done;
    const eta = left <= 0 ? '0:00' : rate > 0 ? formatDuration((left / rate) * 1000) : '?';
    return withEta ? `${shown} docs/s · ETA ${eta}` : `${shown} docs/s`;
  }
}
