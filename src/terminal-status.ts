/**
 * The one line at the bottom of a terminal that a progress bar redraws in place. Anything
 * else written to the same stream (log lines, a worker's output) goes through
 * `writeAbove`, which clears the bar, writes the text on lines of its own and draws the
 * bar again below it: a log line never lands in the middle of the bar.
 */
export class TerminalStatus {
  private current = '';

  constructor(private readonly stream: NodeJS.WriteStream) {}

  /** True when the stream is a terminal (only then is anything drawn in place). */
  get isTerminal(): boolean {
    return this.stream.isTTY === true;
  }

  /** Draws (or redraws) the status line. */
  show(text: string): void {
    this.current = text;
    this.stream.write(`\r${text}\u001b[K`);
  }

  /** Leaves the status line as it stands and moves below it; the next `show` starts a new one. */
  release(): void {
    if (this.current === '') return;
    this.current = '';
    this.stream.write('\n');
  }

  /** Writes whole lines above the status line. `text` ends with a newline. */
  writeAbove(text: string): void {
    if (this.current === '') {
      this.stream.write(text);
      return;
    }
    this.stream.write(`\r\u001b[K${text}${this.current}\u001b[K`);
  }
}

/** stderr's status line: shared by the progress display and the logger of this process. */
export const stderrStatus = new TerminalStatus(process.stderr);
