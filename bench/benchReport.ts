import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** One measured consumer variant (a row of the throughput table). */
export interface VariantResult {
  /** Short name, e.g. `naive (8 in flight)`. */
  readonly name: string;
  readonly events: number;
  readonly wall_ms: number;
  /** Logins (user updates) applied per second: events / wall seconds. */
  readonly users_per_s: number;
  readonly hasura_requests: number;
  readonly requests_per_1000_events: number;
  /** Latency of one batch (one request for the naive client, one statement for raw SQL), ms. */
  readonly batch_p50_ms: number;
  readonly batch_p99_ms: number;
  /** Peak RSS of the client process (the consumer) during the run, MiB. */
  readonly peak_rss_mib: number;
  /** Rows equal the expected final state (newest event per user; for naive: one row per user). */
  readonly correct: boolean;
  /** RSS of the client process when the variant started (the prepared stream included), MiB. */
  readonly rss_before_mib?: number;
  /** Records the consumer reported failed on first delivery (redelivered, as SQS would). */
  readonly failed_first_delivery?: number;
  /** Anything the reader must know about this variant. */
  readonly note?: string;
}

/** A target of issue 9 and whether the run met it. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The machine the figures come from. */
export const describeMachine = (): Record<string, unknown> => ({
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? 'unknown',
  memory_gib: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
});

/** Pads a table cell. */
const cell = (value: unknown, width: number, right: boolean): string => {
  const text = String(value);
  return right ? text.padStart(width) : text.padEnd(width);
};

/**
 * Formats rows as a Markdown table (readable on a terminal, pasteable into docs).
 *
 * @param header - column titles; the first column is left aligned, the others right aligned.
 * @param rows - the cells.
 */
export const markdownTable = (header: readonly string[], rows: readonly unknown[][]): string => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const line = (values: readonly unknown[]): string =>
    `| ${values.map((value, column) => cell(value ?? '', widths[column] ?? 0, column > 0)).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column > 0 ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
};

/** The consumer throughput table. */
export const variantTable = (variants: readonly VariantResult[]): string =>
  markdownTable(
    [
      'variant',
      'users/s',
      'req/1k events',
      'batch p50 ms',
      'batch p99 ms',
      'peak RSS MiB',
      'failed 1st try',
      'rows ok',
    ],
    variants.map((variant) => [
      variant.name,
      Math.round(variant.users_per_s).toLocaleString('en-US'),
      variant.requests_per_1000_events,
      variant.batch_p50_ms,
      variant.batch_p99_ms,
      variant.peak_rss_mib,
      variant.failed_first_delivery ?? 0,
      variant.correct ? 'yes' : 'NO',
    ]),
  );

/** The targets table. */
export const targetTable = (targets: readonly TargetCheck[]): string =>
  markdownTable(
    ['target', 'wanted', 'measured', 'met'],
    targets.map((target) => [
      target.name,
      target.target,
      target.measured,
      target.met ? 'yes' : 'NO',
    ]),
  );

/**
 * Writes the results as pretty JSON (creating the folder).
 *
 * @param path - the file, e.g. `<repo>/bench/results.json`.
 * @param results - the document.
 */
export const writeResults = async (path: string, results: unknown): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
};
