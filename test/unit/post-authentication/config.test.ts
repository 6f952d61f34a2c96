import { describe, expect, it } from '@jest/globals';
import { loadPostAuthenticationConfig } from '../../../services/post-authentication/config.js';
import { isConfigurationError } from '../../../shared/errors.js';
import { pipeline } from '../../../shared/pipeline.js';

const REQUIRED = {
  EVENT_BUS_NAME: 'cognito-hasura-sync',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cognito-hasura-sync-user-sync',
  AWS_REGION: 'eu-west-1',
};

/** The error `load` throws, or a failure when it throws nothing. */
const thrownBy = (load: () => unknown): unknown => {
  try {
    load();
  } catch (error) {
    return error;
  }
  throw new Error('expected the config loader to throw');
};

describe('Function: loadPostAuthenticationConfig', () => {
  it('applies the defaults when only the required variables are set', () => {
    // Prepare
    const env = { ...REQUIRED };

    // Act
    const config = loadPostAuthenticationConfig(env);

    // Assess
    expect(config).toStrictEqual({
      eventBusName: 'cognito-hasura-sync',
      syncQueueUrl: REQUIRED.SYNC_QUEUE_URL,
      eventSource: pipeline.eventSource,
      publishedAttributes: ['email'],
      budgetMs: pipeline.postAuthentication.budgetMs,
      region: 'eu-west-1',
    });
  });

  it('reads every optional variable', () => {
    // Prepare
    const env = {
      ...REQUIRED,
      EVENT_SOURCE: 'com.example.auth',
      PUBLISHED_ATTRIBUTES: ' email , custom:tenant,,name ',
      PUBLISH_BUDGET_MS: '750',
    };

    // Act
    const config = loadPostAuthenticationConfig(env);

    // Assess
    expect(config).toMatchObject({
      eventSource: 'com.example.auth',
      publishedAttributes: ['email', 'custom:tenant', 'name'],
      budgetMs: 750,
    });
  });

  it.each(['EVENT_BUS_NAME', 'SYNC_QUEUE_URL', 'AWS_REGION'])(
    'throws a ConfigurationError naming %s when it is missing or blank',
    (variable) => {
      // Prepare
      const missing = { ...REQUIRED, [variable]: undefined };
      const blank = { ...REQUIRED, [variable]: '  ' };

      // Act
      const errors = [missing, blank].map((env) =>
        thrownBy(() => loadPostAuthenticationConfig(env)),
      );

      // Assess
      for (const error of errors) {
        expect(isConfigurationError(error)).toBe(true);
        expect(error).toMatchObject({
          variable,
          message: expect.stringContaining(`${variable} is not set`),
        });
      }
    },
  );

  it.each([
    ['PUBLISH_BUDGET_MS', 'fast'],
    ['PUBLISH_BUDGET_MS', '0'],
    ['PUBLISH_BUDGET_MS', '10000'],
    ['PUBLISH_BUDGET_MS', '12.5'],
    ['SYNC_QUEUE_URL', 'cognito-hasura-sync-user-sync'],
    ['PUBLISHED_ATTRIBUTES', 'email;name'],
    ['PUBLISHED_ATTRIBUTES', 'email,given name'],
  ])('throws a ConfigurationError naming %s when it is "%s"', (variable, value) => {
    // Prepare
    const env = { ...REQUIRED, [variable]: value };

    // Act
    const error = thrownBy(() => loadPostAuthenticationConfig(env));

    // Assess
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      variable,
      message: expect.stringContaining(variable),
    });
  });
});
