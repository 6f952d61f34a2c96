/**
 * Factories shared by the post-authentication tests: the Cognito fixture, a config, a silent
 * logger, metrics and the trigger's Lambda context.
 */
import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { jest } from '@jest/globals';
import type { Context, PostAuthenticationTriggerEvent } from 'aws-lambda';
import type { PostAuthenticationConfig } from '../../services/post-authentication/config.js';
import { runtimeContext } from './lambdaContexts.js';

const FIXTURE = new URL('../fixtures/cognito/postAuthentication.json', import.meta.url);

/** A fresh copy of the documented post-authentication trigger event. */
export const postAuthenticationEvent = (): PostAuthenticationTriggerEvent =>
  JSON.parse(readFileSync(FIXTURE, 'utf8')) as PostAuthenticationTriggerEvent;

/** Attribute values of the fixture that must never appear in a log line. */
export const SECRET_VALUES = ['jane.doe@example.com', '+15555550100', 'acme', 'jane.doe'];

/** A config for tests; `overrides` win. */
export const testConfig = (
  overrides: Partial<PostAuthenticationConfig> = {},
): PostAuthenticationConfig => ({
  eventBusName: 'test-bus',
  syncQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/test-sync',
  eventSource: 'test.source',
  publishedAttributes: ['email'],
  budgetMs: 300,
  region: 'eu-west-1',
  ...overrides,
});

/** A Powertools logger that prints nothing (tests spy on its methods). */
export const silentLogger = (): Logger => new Logger({ serviceName: 'test', logLevel: 'SILENT' });

/** Powertools metrics that are never flushed (tests spy on `addMetric`). */
export const testMetrics = (): Metrics => new Metrics({ namespace: 'Test', serviceName: 'test' });

/** A post-authentication trigger's Lambda context, as the runtime passes it. */
export const triggerContext = (awsRequestId?: string, remainingMs?: number): Context =>
  runtimeContext({ functionName: 'post-authentication', awsRequestId, remainingMs });

/** Spies on every log method of `logger`; `text()` is everything logged, to search for leaks. */
export const captureLogs = (logger: Logger) => {
  const spies = {
    debug: jest.spyOn(logger, 'debug'),
    info: jest.spyOn(logger, 'info'),
    warn: jest.spyOn(logger, 'warn'),
    error: jest.spyOn(logger, 'error'),
  };
  return {
    ...spies,
    text: (): string => JSON.stringify(Object.values(spies).flatMap((spy) => spy.mock.calls)),
  };
};
