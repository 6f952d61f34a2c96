import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { composeUserSync } from '../../../services/user-sync/compose.js';
import type { HasuraHttpRequest } from '../../../shared/hasuraClient/httpTransport.js';
import { envelopeBody, sqsEvent, sqsRecord, userDetail } from '../../fixtures/sqs/sqsFactories.js';
import { lambdaContext } from '../../helpers/lambdaContexts.js';
import { recordingLogger, recordingMetrics } from '../../helpers/testDoubles.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-AbC123';

describe('Function: composeUserSync', () => {
  const secretsManagerMock = mockClient(SecretsManagerClient);

  beforeEach(() => {
    secretsManagerMock.reset();
  });

  it('wires the secret from the given Secrets Manager client into the given transport', async () => {
    // Prepare
    secretsManagerMock.on(GetSecretValueCommand).resolves({ SecretString: 'from-secrets-manager' });
    const sent: HasuraHttpRequest[] = [];
    const metrics = recordingMetrics();
    const { handler, config } = composeUserSync({
      env: {
        HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
        HASURA_ADMIN_SECRET_ARN: SECRET_ARN,
        USER_POOL_IDS: userDetail().userPoolId,
      },
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      transport: async (request) => {
        sent.push(request);
        return {
          status: 200,
          body: JSON.stringify({ data: { r0: { affected_rows: 1 } } }),
        };
      },
      logger: recordingLogger(),
      metrics,
    });

    // Act
    const result = await handler(
      sqsEvent([sqsRecord(envelopeBody(userDetail()), 'm-1')]),
      lambdaContext(30_000),
    );

    // Assess
    expect(result.batchItemFailures).toStrictEqual([]);
    expect(config.adminSecret).toStrictEqual({ kind: 'secretsManager', secretArn: SECRET_ARN });
    expect(secretsManagerMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url.href).toBe('https://hasura.example.com/v1/graphql');
    expect(sent[0]?.headers['x-hasura-admin-secret']).toBe('from-secrets-manager');
    expect(metrics.sum('UsersSynced')).toBe(1);
  });

  it('refuses an environment without USER_POOL_IDS, naming the variable', () => {
    // Prepare
    const env = {
      HASURA_GRAPHQL_ENDPOINT: 'https://hasura.example.com/v1/graphql',
      HASURA_ADMIN_SECRET: 'a-secret',
    };

    // Act
    const compose = () => composeUserSync({ env });

    // Assess
    expect(compose).toThrow(/USER_POOL_IDS is not set/);
  });
});
