import { describe, expect, it } from '@jest/globals';
import { cloudTrailDetail, HIDDEN } from '../../../local/cloudTrailEvents.js';
import { parseCloudTrailHint } from '../../../services/user-lifecycle/cloudTrailHint.js';
import { COGNITO_CLOUDTRAIL, pipeline } from '../../../shared/pipeline.js';

const POOL = 'us-east-1_0123456789abcdef';
const SUB = 'b64a0e8b-5cd2-4305-8877-df1342733314';

describe('Function: cloudTrailDetail', () => {
  it.each(pipeline.lifecycle.eventNames.map((name) => [name]))(
    'plays CloudTrail for %s: the username hidden, the hint usable by user-lifecycle',
    (eventName) => {
      // Prepare
      const at = new Date(Date.UTC(2026, 11, 8, 1, 2, 3, 456));

      // Act
      const detail = cloudTrailDetail({
        eventName,
        userPoolId: POOL,
        sub: SUB,
        region: 'us-east-1',
        at,
      });
      const parsed = parseCloudTrailHint(
        JSON.stringify({
          source: COGNITO_CLOUDTRAIL.source,
          'detail-type': COGNITO_CLOUDTRAIL.detailType,
          detail,
        }),
        new Set([POOL]),
      );

      // Assess
      expect(detail).toMatchObject({
        eventSource: COGNITO_CLOUDTRAIL.eventSource,
        eventName,
        eventTime: '2026-12-08T01:02:03Z',
        requestParameters: { userPoolId: POOL, username: HIDDEN },
        additionalEventData: { sub: SUB },
      });
      expect(detail).not.toHaveProperty('errorCode');
      expect(parsed).toStrictEqual({
        kind: 'hint',
        hint: {
          eventName,
          eventTimeMs: Date.UTC(2026, 11, 8, 1, 2, 3),
          userPoolId: POOL,
          user: { by: 'sub', sub: SUB, username: null },
        },
      });
    },
  );
});
