/**
 * Progress on stderr: a bar redrawn in place on a terminal, a plain line every few
 * seconds otherwise (log files, CI), nothing when quiet.
 */
export class ProgressDisplay {
  private lastPlain = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {}

  update(label: string, done: number, total: number, extra = ''): void {
    if (this.quiet) return;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    if (this.stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      this.stream.write(`\r${label} ${bar} ${percent} ${done}/${total} ${extra}\u001b[K`);
      this.drawn = true;
    } else if (Date.now() - this.lastPlain >= 2_000) {
      this.lastPlain = Date.now();
      this.stream.write(`${label} ${percent} ${done}/${total} ${extra}\n`);
    }
  }

  done(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
