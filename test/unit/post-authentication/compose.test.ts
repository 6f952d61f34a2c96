import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, jest } from '@jest/globals';
import { composePostAuthentication } from '../../../services/post-authentication/compose.js';
import { silentLogger, testMetrics } from '../../helpers/postAuthenticationFixtures.js';

const ENV = {
  EVENT_BUS_NAME: 'login-bus',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/login-sync',
  AWS_REGION: 'eu-west-1',
  PUBLISH_BUDGET_MS: '800',
};

describe('Function: composePostAuthentication', () => {
  it('builds its clients from the configured region and budget and closes them on destroy', async () => {
    // Prepare
    const trigger = composePostAuthentication({
      env: ENV,
      endpoint: 'http://127.0.0.1:4566',
      logger: silentLogger(),
      metrics: testMetrics(),
    });
    const destroy = jest.spyOn(trigger.clients.eventBridge, 'destroy');

    // Act
    const region = await trigger.clients.sqs.config.region();
    trigger.destroy();

    // Assess
    expect(trigger.config).toMatchObject({ budgetMs: 800, eventBusName: 'login-bus' });
    expect(region).toBe('eu-west-1');
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('leaves clients it was given open: their owner closes them', () => {
    // Prepare
    const clients = { eventBridge: new EventBridgeClient({}), sqs: new SQSClient({}) };
    const destroy = jest.spyOn(clients.sqs, 'destroy');
    const trigger = composePostAuthentication({ env: ENV, clients, logger: silentLogger() });

    // Act
    trigger.destroy();

    // Assess
    expect(trigger.clients).toBe(clients);
    expect(destroy).not.toHaveBeenCalled();
  });

  it('refuses an environment without EVENT_BUS_NAME, naming the variable', () => {
    // Prepare
    const env = { ...ENV, EVENT_BUS_NAME: undefined };

    // Act
    const compose = () => composePostAuthentication({ env });

    // Assess
    expect(compose).toThrow(/EVENT_BUS_NAME is not set/);
  });
});
