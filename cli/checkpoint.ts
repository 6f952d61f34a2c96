import { readFile, rename, writeFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { UsageError } from './errors.js';

/** The backfill's checkpoint file: where the next run continues. */
export const BackfillCheckpointSchema = z.object({
  version: z.literal(1),
  userPoolId: z.string(),
  /** Token of the next page to read; null before the first page and after the last. */
  paginationToken: z.nullable(z.string()),
  /** Users per page; a pagination token is only valid with the same page size. */
  pageSize: z.int().check(z.minimum(1), z.maximum(60)),
  /** Pages fully published so far (across resumed runs). */
  pages: z.int().check(z.minimum(0)),
  /** Events published so far (across resumed runs). */
  published: z.int().check(z.minimum(0)),
  /** True once the last page was published. */
  complete: z.boolean(),
  updatedAt: z.string(),
});

/** A parsed checkpoint. */
export type BackfillCheckpoint = z.infer<typeof BackfillCheckpointSchema>;

/**
 * Reads a checkpoint for `--resume`.
 *
 * @throws {@link UsageError} when the file is missing, unreadable or for another user pool.
 */
export const readCheckpoint = async (
  path: string,
  userPoolId: string,
): Promise<BackfillCheckpoint> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--resume: no checkpoint file at ${path}`, { cause: error });
  }
  let parsed: BackfillCheckpoint;
  try {
    parsed = BackfillCheckpointSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`--checkpoint: ${path} is not a backfill checkpoint`, { cause: error });
  }
  if (parsed.userPoolId !== userPoolId) {
    throw new UsageError(
      `--resume: ${path} is the checkpoint of user pool ${parsed.userPoolId}, not ${userPoolId}`,
    );
  }
  return parsed;
};

/**
 * Writes a checkpoint atomically (temporary file + rename), so a kill while writing leaves the
 * previous checkpoint intact rather than a torn file.
 */
export const writeCheckpoint = async (
  path: string,
  checkpoint: Omit<BackfillCheckpoint, 'version' | 'updatedAt'>,
): Promise<void> => {
  const body: BackfillCheckpoint = {
    version: 1,
    ...checkpoint,
    updatedAt: new Date().toISOString(),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, 'utf8');
  await rename(temporary, path);
};
