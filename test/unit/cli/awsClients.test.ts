import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAwsClients, destroyAwsClients } from '../../../cli/awsClients.js';

const endpointOf = async (client: { config: { endpoint?: unknown } }): Promise<string> => {
  const provider = client.config.endpoint as
    | (() => Promise<{ hostname: string; port?: number }>)
    | undefined;
  if (!provider) return '';
  const endpoint = await provider();
  return `${endpoint.hostname}:${endpoint.port ?? ''}`;
};

describe('Function: createAwsClients', () => {
  it('points every client at AWS_ENDPOINT_URL, with a service-specific variable winning', async () => {
    // Prepare
    const env = {
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:5001',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    };

    // Act
    const clients = createAwsClients(env);

    // Assess
    expect(await endpointOf(clients.sqs)).toBe('127.0.0.1:5001');
    expect(await endpointOf(clients.eventBridge)).toBe('127.0.0.1:5000');
    expect(await endpointOf(clients.cognito)).toBe('127.0.0.1:5000');
    expect(await clients.sqs.config.region()).toBe('eu-west-1');
    expect(await clients.sqs.config.credentials()).toMatchObject({ accessKeyId: 'AKIDEXAMPLE' });
    destroyAwsClients(clients);
  });

  it('lets --region and --endpoint-url win over the environment', async () => {
    // Act
    const clients = createAwsClients(
      { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' },
      { region: 'us-east-2', endpoint: 'http://127.0.0.1:7000' },
    );

    // Assess
    expect(await clients.eventBridge.config.region()).toBe('us-east-2');
    expect(await endpointOf(clients.eventBridge)).toBe('127.0.0.1:7000');
    destroyAwsClients(clients);
  });

  describe('with a profile', () => {
    // The SDK reads the shared files named by these variables from process.env.
    const saved = {
      credentials: process.env.AWS_SHARED_CREDENTIALS_FILE,
      config: process.env.AWS_CONFIG_FILE,
    };
    let directory: string;

    beforeAll(() => {
      directory = mkdtempSync(join(tmpdir(), 'aws-profile-'));
      const credentials = join(directory, 'credentials');
      const config = join(directory, 'config');
      // The shared credentials file format of the AWS CLI / SDK documentation.
      writeFileSync(
        credentials,
        [
          '[operator]',
          'aws_access_key_id = AKIDFROMPROFILE',
          'aws_secret_access_key = profile-secret',
          '[other]',
          'aws_access_key_id = AKIDFROMOTHER',
          'aws_secret_access_key = other-secret',
          '',
        ].join('\n'),
      );
      writeFileSync(config, '');
      process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
      process.env.AWS_CONFIG_FILE = config;
    });

    afterAll(() => {
      for (const [name, value] of [
        ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials],
        ['AWS_CONFIG_FILE', saved.config],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(directory, { recursive: true, force: true });
    });

    it('lets a set AWS_PROFILE win over the key variables, as the SDK default chain does', async () => {
      // Prepare
      const env = {
        AWS_REGION: 'eu-west-1',
        AWS_PROFILE: 'operator',
        AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
        AWS_SECRET_ACCESS_KEY: 'env-secret',
      };

      // Act
      const clients = createAwsClients(env);

      // Assess
      expect(await clients.sqs.config.credentials()).toMatchObject({
        accessKeyId: 'AKIDFROMPROFILE',
      });
      expect(await clients.cognito.config.credentials()).toMatchObject({
        accessKeyId: 'AKIDFROMPROFILE',
      });
      destroyAwsClients(clients);
    });

    it('lets --profile win over AWS_PROFILE', async () => {
      // Act
      const clients = createAwsClients(
        { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'operator' },
        { profile: 'other' },
      );

      // Assess
      expect(await clients.eventBridge.config.credentials()).toMatchObject({
        accessKeyId: 'AKIDFROMOTHER',
      });
      destroyAwsClients(clients);
    });
  });
});
