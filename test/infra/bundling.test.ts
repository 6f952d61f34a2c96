import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceName } from '../../infra/constructs/PipelineMonitoring.js';
import { ESM_REQUIRE_BANNER } from '../../infra/lambdaRuntime.js';
import { CognitoHasuraSyncStack } from '../../infra/stacks/CognitoHasuraSyncStack.js';
import { functionIdOf, HASURA_ENDPOINT, propertiesOf } from './stackFixture.js';

/** Environment the handlers read at cold start, so importing a bundle runs its module scope. */
const HANDLER_ENV = {
  AWS_REGION: 'eu-west-1',
  EVENT_BUS_NAME: 'cognito-hasura-sync',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cognito-hasura-sync-user-sync',
  HASURA_GRAPHQL_ENDPOINT: HASURA_ENDPOINT,
  HASURA_ADMIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hasura-AbC123',
  USER_POOL_IDS: 'eu-west-1_AbCdEf123',
  USER_POOL_ID: 'eu-west-1_AbCdEf123',
};

describe('Class: SyncFunction (bundled by the local esbuild)', () => {
  let outdir: string;
  let template: Template;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'chs-cdk-'));
    const app = new App({ outdir });
    const stack = new CognitoHasuraSyncStack(app, 'Bundled', {
      hasuraGraphqlEndpoint: HASURA_ENDPOINT,
    });
    template = Template.fromStack(stack);
  }, 120_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  /** The directory of a function's asset in the cloud assembly. */
  const assetDirOf = (service: string): string => {
    const code = propertiesOf(template, functionIdOf(template, service)).Code as {
      S3Key: string;
    };
    return join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  };

  it.each(Object.values(ServiceName))(
    'bundles %s into one ESM file with a source map',
    (service) => {
      // Prepare
      const dir = assetDirOf(service);

      // Act
      const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');

      // Assess
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      expect(bundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(propertiesOf(template, functionIdOf(template, service))).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
      });
    },
  );

  it.each(Object.values(ServiceName))(
    'loads the %s bundle as an ES module exporting handler',
    (service) => {
      // Prepare
      const dir = assetDirOf(service);
      const probe =
        "const m = await import('./index.mjs'); process.stdout.write(typeof m.handler);";

      // Act
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...HANDLER_ENV },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });

      // Assess
      expect(output).toBe('function');
    },
  );
});
