import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  fileReasonLog,
  logsInsightsReasons,
  recordingReasons,
} from '../../../../cli/console/deadLetterReasons.js';
import type { ServiceLogger } from '../../../../shared/observabilityPorts.js';

describe('Function: recordingReasons', () => {
  it('records the reason of every message id a warning or error names, and still logs it', () => {
    // Prepare
    const logged: unknown[][] = [];
    const logger = {
      debug: (...args: unknown[]) => logged.push(['debug', ...args]),
      info: (...args: unknown[]) => logged.push(['info', ...args]),
      warn: (...args: unknown[]) => logged.push(['warn', ...args]),
      error: (...args: unknown[]) => logged.push(['error', ...args]),
    } as unknown as ServiceLogger;
    const recorded: Array<[string, string]> = [];
    const wrapped = recordingReasons(logger, (id, reason) => recorded.push([id, reason]));

    // Act
    wrapped.warn('Record rejected: it will reach the DLQ', {
      messageId: 'm1',
      reason: 'body is not JSON',
    });
    wrapped.error('Records not written', { failureClass: 'data', messageIds: ['m2', 'm3'] });
    wrapped.info('Batch done', { messageIds: ['m4'] });

    // Assess
    expect(recorded).toStrictEqual([
      ['m1', 'Record rejected: it will reach the DLQ · reason: body is not JSON'],
      ['m2', 'Records not written · failureClass: data'],
      ['m3', 'Records not written · failureClass: data'],
    ]);
    expect(logged.map((entry) => entry[0])).toStrictEqual(['warn', 'error', 'info']);
  });
});

describe('Function: fileReasonLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reasons-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the newest reason of each asked message id and nothing for the others', async () => {
    // Prepare
    const log = fileReasonLog(join(dir, 'state', 'reasons.jsonl'));
    log.record('m1', 'first failure');
    log.record('m2', 'other');
    log.record('m1', 'second failure');

    // Act
    const reasons = await log.reasonsFor(['m1', 'm3']);

    // Assess
    expect([...reasons]).toStrictEqual([['m1', 'second failure']]);
  });

  it('answers with no reasons before anything was recorded', async () => {
    // Act
    const reasons = await fileReasonLog(join(dir, 'missing.jsonl')).reasonsFor(['m1']);

    // Assess
    expect(reasons.size).toBe(0);
  });
});

describe('Function: logsInsightsReasons', () => {
  const logs = mockClient(CloudWatchLogsClient);
  beforeEach(() => {
    logs.reset();
  });

  it('queries the log groups for the message ids and maps each to its logged reason', async () => {
    // Prepare
    logs.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running' })
      .resolves({
        status: 'Complete',
        results: [
          [
            { field: '@timestamp', value: '2026-12-08 00:00:00.000' },
            {
              field: '@message',
              value: JSON.stringify({
                level: 'WARN',
                message: 'Record rejected: it will reach the DLQ',
                messageId: '6b0f-1',
                reason: 'not a UserAuthenticated v1 event',
              }),
            },
          ],
        ],
      });
    const source = logsInsightsReasons({
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      logGroupNames: ['/aws/lambda/user-sync'],
    });

    // Act
    const reasons = await source.reasonsFor(['6b0f-1', 'bad id with spaces']);

    // Assess
    expect(reasons.get('6b0f-1')).toBe(
      'Record rejected: it will reach the DLQ · reason: not a UserAuthenticated v1 event',
    );
    const query = logs.commandCalls(StartQueryCommand)[0]?.args[0].input.queryString ?? '';
    expect(query).toContain('6b0f-1');
    expect(query).not.toContain('spaces');
  });
});
