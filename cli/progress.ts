/** Where progress goes: a writable with an optional `isTTY` (process.stderr in the CLI). */
export interface ProgressStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** What is being counted, e.g. `messages`. */
  readonly label: string;
  /**
   * The expected total, when known (draws a bar and a percentage).
   * @default - unknown: only the count and the rate are shown
   */
  readonly total?: number;
  /**
   * Minimum time between two non-TTY lines, in milliseconds (a TTY redraws at most every 100 ms).
   * @default 5000
   */
  readonly lineIntervalMs?: number;
  /**
   * Draw nothing (e.g. `--quiet`).
   * @default false
   */
  readonly silent?: boolean;
  /** @default Date.now */
  readonly now?: () => number;
}

const BAR_WIDTH = 24;

/**
 * A single-line progress indicator on stderr. On a TTY the line is redrawn in place (`\r`);
 * otherwise (CI logs, pipes) a full line is written at most every `lineIntervalMs`, so logs stay
 * readable. stdout stays free for results and `--json`.
 */
export class Progress {
  readonly #stream: ProgressStream;
  readonly #options: ProgressOptions;
  readonly #now: () => number;
  readonly #startedAt: number;
  #total: number | undefined;
  #done = 0;
  #detail = '';
  #lastDraw = 0;
  #drawn = false;

  public constructor(stream: ProgressStream, options: ProgressOptions) {
    this.#stream = stream;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#total = options.total;
  }

  /** The count so far. */
  public get done(): number {
    return this.#done;
  }

  /** Sets the expected total once it is known. */
  public setTotal(total: number | undefined): void {
    this.#total = total;
  }

  /** Adds `count` to the done count and redraws if it is time to. */
  public tick(count = 1, detail?: string): void {
    this.update(this.#done + count, detail);
  }

  /** Sets the done count (and an optional short detail, e.g. `page 3`) and redraws if it is time to. */
  public update(done: number, detail?: string): void {
    this.#done = done;
    if (detail !== undefined) this.#detail = detail;
    const now = this.#now();
    const interval = this.#stream.isTTY ? 100 : (this.#options.lineIntervalMs ?? 5000);
    if (now - this.#lastDraw >= interval) this.#draw(now);
  }

  /** Draws the final state and ends the line. */
  public finish(detail?: string): void {
    if (detail !== undefined) this.#detail = detail;
    if (this.#options.silent) return;
    this.#draw(this.#now());
    if (this.#stream.isTTY) this.#stream.write('\n');
  }

  /** The current line, without control characters. */
  public render(now: number = this.#now()): string {
    const elapsedS = Math.max((now - this.#startedAt) / 1000, 0.001);
    const perSecond = this.#done / elapsedS;
    const total = this.#total;
    const parts: string[] = [];
    if (total !== undefined && total > 0) {
      const ratio = Math.min(this.#done / total, 1);
      const filled = Math.round(ratio * BAR_WIDTH);
      parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`);
      parts.push(`${this.#done}/${total} ${this.#options.label}`);
      parts.push(`${Math.floor(ratio * 100)}%`);
    } else {
      parts.push(`${this.#done} ${this.#options.label}`);
    }
    parts.push(`${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s`);
    parts.push(`${elapsedS.toFixed(0)}s`);
    if (this.#detail) parts.push(this.#detail);
    return parts.join('  ');
  }

  #draw(now: number): void {
    if (this.#options.silent) return;
    this.#lastDraw = now;
    const line = this.render(now);
    if (this.#stream.isTTY) {
      const width = (this.#stream.columns ?? 100) - 1;
      // \x1b[K clears what a longer previous line left behind.
      this.#stream.write(`\r${line.slice(0, width)}\x1b[K`);
    } else {
      this.#stream.write(`${line}\n`);
    }
    this.#drawn = true;
  }

  /** Whether anything was drawn yet (tests). */
  public get drawn(): boolean {
    return this.#drawn;
  }
}
