/** Arguments and checkpoint reads of the `backfill` command, as the CLI integration tests run it. */
import { readFile } from 'node:fs/promises';

/** What a backfill run of a test is given. */
export interface BackfillRun {
  readonly userPoolId: string;
  readonly bus: string;
  readonly checkpoint: string;
  /** The `--attributes` allow-list. */
  readonly attributes?: string;
  /** Pages per second. */
  readonly rate: number;
  /** Flags after the common ones (`--resume`, `--json`, `-q`, …). */
  readonly flags: readonly string[];
}

/**
 * The arguments of `backfill` for `run`.
 *
 * @default attributes `'email'`
 */
export const backfillArgs = ({
  userPoolId,
  bus,
  checkpoint,
  attributes = 'email',
  rate,
  flags,
}: BackfillRun): string[] => [
  'backfill',
  '--user-pool-id',
  userPoolId,
  '--attributes',
  attributes,
  '--bus',
  bus,
  '--checkpoint',
  checkpoint,
  '--rate',
  String(rate),
  ...flags,
];

/** The arguments of a slow backfill (20 users a page, 4 pages a second) that a test kills mid-way. */
export const slowBackfillArgs = (run: Omit<BackfillRun, 'rate' | 'flags'>): string[] =>
  backfillArgs({ ...run, rate: 4, flags: ['--page-size', '20', '-q'] });

/** Pages a checkpoint file records; 0 while there is none (or it is being written). */
export const checkpointPages = (path: string): Promise<number> =>
  readFile(path, 'utf8')
    .then((text) => (JSON.parse(text) as { pages: number }).pages)
    .catch(() => 0);
