import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createAdminSecretProvider } from '../../../../shared/hasuraClient/adminSecretProvider.js';

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-admin-AbCdEf';

describe('Function: createAdminSecretProvider', () => {
  const secretsManager = mockClient(SecretsManagerClient);

  beforeEach(() => {
    secretsManager.reset();
  });

  it('fetches a plain-string secret once and caches it across invocations', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'plain-admin-secret' });
    const provide = createAdminSecretProvider(
      { kind: 'secretsManager', secretArn },
      new SecretsManagerClient({}),
    );

    // Act
    const first = await provide();
    const second = await provide();

    // Assess
    expect(first.reveal()).toBe('plain-admin-secret');
    expect(second).toBe(first);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: secretArn,
    });
  });

  it('reads the adminSecret key of a JSON secret', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ adminSecret: 'json-admin-secret', note: 'rotated' }),
    });
    const provide = createAdminSecretProvider(
      { kind: 'secretsManager', secretArn },
      new SecretsManagerClient({}),
    );

    // Act
    const secret = await provide();

    // Assess
    expect(secret.reveal()).toBe('json-admin-secret');
  });

  it('fetches again after a failure, which it reports as transient', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: 'after-throttle' });
    const provide = createAdminSecretProvider(
      { kind: 'secretsManager', secretArn },
      new SecretsManagerClient({}),
    );

    // Act
    const failure = await provide().catch((error: unknown) => error);
    const secret = await provide();

    // Assess
    expect(failure).toMatchObject({ failureClass: 'transient', code: 'secret-unavailable' });
    expect(secret.reveal()).toBe('after-throttle');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('fetches the secret again after it was invalidated', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'before-rotation' })
      .resolves({ SecretString: 'after-rotation' });
    const provide = createAdminSecretProvider(
      { kind: 'secretsManager', secretArn },
      new SecretsManagerClient({}),
    );

    // Act
    const before = await provide();
    provide.invalidate?.();
    const after = await provide();

    // Assess
    expect([before.reveal(), after.reveal()]).toEqual(['before-rotation', 'after-rotation']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('rejects a JSON secret without an adminSecret key', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"password":"x"}' });
    const provide = createAdminSecretProvider(
      { kind: 'secretsManager', secretArn },
      new SecretsManagerClient({}),
    );

    // Act
    const failure = await provide().catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({
      failureClass: 'other',
      message: expect.stringMatching(/adminSecret/),
    });
  });
});
