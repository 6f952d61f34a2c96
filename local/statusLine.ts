/** A single terminal line that is rewritten in place. */
export interface StatusLine {
  /** Shows `text` (at most every `intervalMs` on a terminal; every 10 s in a log). */
  (text: string): void;
  /** Ends the line so that the next output starts on a fresh one. */
  done(): void;
}

/**
 * A one-line progress display without dependencies: on a terminal it rewrites the line with
 * `\r` (throttled), elsewhere (CI logs, pipes) it prints a plain line now and then.
 *
 * @param out - where to write.
 * @param intervalMs - least time between two redraws on a terminal.
 * @default intervalMs 100
 */
export const createStatusLine = (out: NodeJS.WriteStream, intervalMs = 100): StatusLine => {
  const tty = out.isTTY === true;
  let last = 0;
  let pending: string | undefined;
  let shown = false;
  const draw = (text: string): void => {
    const width = (out.columns ?? 120) - 1;
    out.write(`\r${text.slice(0, width).padEnd(width)}`);
    shown = true;
  };
  const line = ((text: string) => {
    const now = Date.now();
    if (tty) {
      pending = text;
      if (now - last < intervalMs) return;
      last = now;
      draw(text);
      pending = undefined;
      return;
    }
    if (now - last >= 10_000) {
      last = now;
      out.write(`${text}\n`);
    }
  }) as StatusLine;
  line.done = () => {
    if (!tty) return;
    if (pending !== undefined) draw(pending);
    if (shown) out.write('\n');
    pending = undefined;
    shown = false;
  };
  return line;
};
