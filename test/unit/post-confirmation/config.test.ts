import { describe, expect, it } from '@jest/globals';
import { loadPostConfirmationConfig } from '../../../services/post-confirmation/config.js';
import { pipeline } from '../../../shared/pipeline.js';

const VALID = {
  EVENT_BUS_NAME: 'cognito-hasura-sync',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cognito-hasura-sync-user-sync',
  AWS_REGION: 'eu-west-1',
};

describe('Function: loadPostConfirmationConfig', () => {
  it('reads the same variables as post-authentication, with the post-confirmation budget', () => {
    // Act
    const config = loadPostConfirmationConfig({
      ...VALID,
      PUBLISHED_ATTRIBUTES: 'email, custom:tenant',
      EVENT_SOURCE: 'my.source',
    });

    // Assess
    expect(config).toStrictEqual({
      eventBusName: 'cognito-hasura-sync',
      syncQueueUrl: VALID.SYNC_QUEUE_URL,
      eventSource: 'my.source',
      publishedAttributes: ['email', 'custom:tenant'],
      budgetMs: pipeline.postConfirmation.budgetMs,
      region: 'eu-west-1',
    });
  });

  it.each([
    ['EVENT_BUS_NAME', { ...VALID, EVENT_BUS_NAME: undefined }],
    ['SYNC_QUEUE_URL', { ...VALID, SYNC_QUEUE_URL: 'not a url' }],
    ['PUBLISH_BUDGET_MS', { ...VALID, PUBLISH_BUDGET_MS: '99999' }],
    ['PUBLISHED_ATTRIBUTES', { ...VALID, PUBLISHED_ATTRIBUTES: 'email,bad name' }],
    ['AWS_REGION', { ...VALID, AWS_REGION: '' }],
  ])('throws naming %s when it is missing or invalid', (variable, env) => {
    // Act & Assess
    expect(() => loadPostConfirmationConfig(env)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', variable }),
    );
  });
});
