import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fileCheckpoint,
  readReconcileCheckpoint,
  subsFileOf,
} from '../../../cli/reconcileCheckpoint.js';
import type { ReconcileRunState } from '../../../services/reconcile/reconcilePool.js';
import { emptyTally } from '../../../services/reconcile/tally.js';

const POOL = 'eu-west-1_AbCdEf123';

describe('Function: fileCheckpoint', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reconcile-checkpoint-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const state = (): ReconcileRunState => ({
    prefixLength: 1,
    partition: 3,
    paginationToken: 'token-7',
    listed: false,
    tally: emptyTally(),
    startedAt: '2026-12-01T00:00:00.000Z',
  });

  it('keeps the state and every sub listed in the partition in flight across pages', async () => {
    // Prepare
    const path = join(directory, 'pages.json');
    const checkpoint = fileCheckpoint(path, { userPoolId: POOL, maxDeletes: 10 });
    const at = state();
    at.tally.counts.missing = 2;

    // Act
    await checkpoint.savePage(at, ['3a', '3b']);
    await checkpoint.savePage(at, ['3c']);
    const read = await readReconcileCheckpoint(path, POOL);

    // Assess
    expect(read.state).toEqual(at);
    expect([...read.seen].sort()).toEqual(['3a', '3b', '3c']);
    expect(read.maxDeletes).toBe(10);
  });

  it('starts the next partition with no listed subs', async () => {
    // Prepare
    const path = join(directory, 'partition.json');
    const checkpoint = fileCheckpoint(path, { userPoolId: POOL, maxDeletes: 10 });
    await checkpoint.savePage(state(), ['3a']);

    // Act
    await checkpoint.savePartition({ ...state(), partition: 4, paginationToken: null });
    const read = await readReconcileCheckpoint(path, POOL);

    // Assess
    expect(read.state.partition).toBe(4);
    expect(read.seen.size).toBe(0);
    expect(await readFile(subsFileOf(path), 'utf8')).toBe('');
  });

  it('refuses the checkpoint of another pool, or a file that is not one', async () => {
    // Prepare
    const path = join(directory, 'other.json');
    await fileCheckpoint(path, { userPoolId: POOL, maxDeletes: 1 }).savePartition(state());
    const garbage = join(directory, 'garbage.json');
    await writeFile(garbage, '{"version":1}');

    // Act, Assess
    await expect(readReconcileCheckpoint(path, 'eu-west-1_Other')).rejects.toThrow(
      /checkpoint of user pool eu-west-1_AbCdEf123/,
    );
    await expect(readReconcileCheckpoint(garbage, POOL)).rejects.toThrow(
      /not a reconcile checkpoint/,
    );
    await expect(readReconcileCheckpoint(join(directory, 'none.json'), POOL)).rejects.toThrow(
      /no checkpoint file/,
    );
  });
});
