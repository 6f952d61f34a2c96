import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type {
  ReconcileCheckpointPort,
  ReconcileRunState,
} from '../services/reconcile/reconcilePool.js';
import type { ReconcileTally } from '../services/reconcile/tally.js';
import { UsageError } from './errors.js';

const TallySchema = z.object({
  counts: z.object({
    inStep: z.number().int().nonnegative(),
    missing: z.number().int().nonnegative(),
    stale: z.number().int().nonnegative(),
    orphaned: z.number().int().nonnegative(),
  }),
  tombstoned: z.number().int().nonnegative(),
  staleFields: z.record(z.string(), z.number().int().nonnegative()),
  repaired: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  samples: z.object({
    missing: z.array(z.string()),
    stale: z.array(z.string()),
    orphaned: z.array(z.string()),
    tombstoned: z.array(z.string()),
  }),
  orphans: z.array(z.object({ sub: z.string(), username: z.string().nullable() })),
  pages: z.number().int().nonnegative(),
  cognitoCalls: z.number().int().nonnegative(),
}) satisfies z.ZodType<ReconcileTally>;

/** The reconcile checkpoint file: the run's state; the partition's listed subs are beside it. */
export const ReconcileCheckpointSchema = z.object({
  version: z.literal(1),
  command: z.literal('reconcile'),
  userPoolId: z.string(),
  maxDeletes: z.number().int().nonnegative(),
  state: z.object({
    prefixLength: z.number().int().min(0).max(2),
    partition: z.number().int().nonnegative(),
    paginationToken: z.string().nullable(),
    listed: z.boolean(),
    tally: TallySchema,
    startedAt: z.string(),
  }),
  updatedAt: z.string(),
});

/** A parsed reconcile checkpoint. */
export type ReconcileCheckpoint = z.infer<typeof ReconcileCheckpointSchema>;

/** The file beside the checkpoint that holds the subs listed in the partition in flight. */
export const subsFileOf = (path: string): string => `${path}.subs`;

/**
 * The checkpoint of a reconcile run: after every page, the page's subs are appended to
 * `<path>.subs` (one per line) and then the state is written atomically (temporary file +
 * rename); after each partition, the subs file is emptied. A kill re-reads at most the page in
 * flight (its repairs are published again: harmless, newest wins) and never loses a listed sub,
 * so the orphan scan of a resumed partition still knows every user listed before the kill.
 */
export const fileCheckpoint = (
  path: string,
  run: { readonly userPoolId: string; readonly maxDeletes: number },
): ReconcileCheckpointPort => {
  const write = async (state: ReconcileRunState): Promise<void> => {
    const body: ReconcileCheckpoint = {
      version: 1,
      command: 'reconcile',
      userPoolId: run.userPoolId,
      maxDeletes: run.maxDeletes,
      state,
      updatedAt: new Date().toISOString(),
    };
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(body)}\n`, 'utf8');
    await rename(temporary, path);
  };
  return {
    async savePage(state, pageSubs) {
      if (pageSubs.length > 0) await appendFile(subsFileOf(path), `${pageSubs.join('\n')}\n`);
      await write(state);
    },
    async savePartition(state) {
      await write(state);
      await writeFile(subsFileOf(path), '', 'utf8');
    },
  };
};

/** Starts a fresh checkpoint: no listed subs yet. */
export const resetCheckpoint = async (path: string): Promise<void> => {
  await rm(subsFileOf(path), { force: true });
};

/**
 * Reads a checkpoint for `--resume`, with the subs its partition in flight listed.
 *
 * @throws {@link UsageError} when the file is missing, not a reconcile checkpoint, or of
 *   another pool.
 */
export const readReconcileCheckpoint = async (
  path: string,
  userPoolId: string,
): Promise<{ state: ReconcileRunState; seen: Set<string>; maxDeletes: number }> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--resume: no checkpoint file at ${path}`, { cause: error });
  }
  let parsed: ReconcileCheckpoint;
  try {
    parsed = ReconcileCheckpointSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`--checkpoint: ${path} is not a reconcile checkpoint`, { cause: error });
  }
  if (parsed.userPoolId !== userPoolId) {
    throw new UsageError(
      `--resume: ${path} is the checkpoint of user pool ${parsed.userPoolId}, not ${userPoolId}`,
    );
  }
  const subs = await readFile(subsFileOf(path), 'utf8').catch(() => '');
  const seen = new Set(subs.split('\n').filter((line) => line !== ''));
  return { state: parsed.state, seen, maxDeletes: parsed.maxDeletes };
};
