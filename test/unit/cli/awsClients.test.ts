import { describe, expect, it } from '@jest/globals';
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
});
