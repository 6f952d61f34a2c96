import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnResource, type Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_LOG_LEVEL, type ServiceLogLevel } from '../../shared/observability.js';
import { pipeline } from '../../shared/pipeline.js';
import { LAMBDA_ESBUILD_OPTIONS, LAMBDA_NODE_OPTIONS } from '../lambdaRuntime.js';

/**
 * The repository root (the nearest folder with a `package.json` above this file), so entries,
 * the lock file and `schemas/` resolve the same from the sources and from `dist/`.
 */
export const REPOSITORY_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('SyncFunction: no package.json above infra/');
    dir = parent;
  }
  return dir;
})();

/** Properties of {@link SyncFunction}. */
export interface SyncFunctionProps {
  /** Entry file, relative to the repository root, e.g. `services/user-sync/handler.ts`. */
  readonly entry: string;
  /** Service name: `POWERTOOLS_SERVICE_NAME` and the metrics' `service` dimension. */
  readonly serviceName: string;
  /** What the function does. */
  readonly description: string;
  /** Function timeout. */
  readonly timeout: Duration;
  /**
   * Memory in MiB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Environment of the function, added to the Powertools variables.
   * @default - only the Powertools variables
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * `POWERTOOLS_LOG_LEVEL`.
   * @default 'INFO'
   */
  readonly logLevel?: ServiceLogLevel;
  /**
   * `NODE_OPTIONS` of the function (V8 and Node flags).
   * @default LAMBDA_NODE_OPTIONS - `--enable-source-maps`
   */
  readonly nodeOptions?: string;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Bundle the entry with the local esbuild. `false` deploys a stub instead, for tests whose
   * subject is the infrastructure, not the code.
   * @default true
   */
  readonly bundle?: boolean;
}

/**
 * The project's Lambda defaults in one place: Node.js 22 on arm64, an ESM bundle built by the
 * local esbuild (no Docker) with source maps, active X-Ray tracing, a log group of its own with
 * a retention (`logGroup`), and a role that can write only to that log group.
 *
 * @example
 * const fn = new SyncFunction(this, 'UserSync', {
 *   entry: 'services/user-sync/handler.ts',
 *   serviceName: 'user-sync',
 *   description: 'Writes login events into Hasura',
 *   timeout: Duration.seconds(30),
 * });
 */
export class SyncFunction extends NodejsFunction {
  public constructor(scope: Construct, id: string, props: SyncFunctionProps) {
    SyncFunction.validate(id, props);
    const bundle = props.bundle ?? true;
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: logs only to its own group.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    super(scope, id, {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 256,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: pipeline.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? DEFAULT_LOG_LEVEL,
        // Stack traces point at the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: props.nodeOptions ?? LAMBDA_NODE_OPTIONS,
        ...props.environment,
      },
      ...(bundle
        ? {
            entry: join(REPOSITORY_ROOT, props.entry),
            handler: 'handler',
            projectRoot: REPOSITORY_ROOT,
            depsLockFilePath: join(REPOSITORY_ROOT, 'package-lock.json'),
            bundling: {
              forceDockerBundling: false,
              format: OutputFormat.ESM,
              target: LAMBDA_ESBUILD_OPTIONS.target,
              mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
              banner: LAMBDA_ESBUILD_OPTIONS.banner,
              minify: LAMBDA_ESBUILD_OPTIONS.minify,
              sourceMap: LAMBDA_ESBUILD_OPTIONS.sourcemap,
              sourceMapMode: SourceMapMode.DEFAULT,
              // The SDK is pinned to one version across the repo; the runtime's copy may differ.
              bundleAwsSDK: true,
            },
          }
        : {
            code: lambda.Code.fromInline(
              'exports.handler = async () => { throw new Error("stub: synthesized with bundle=false"); };',
            ),
            handler: 'index.handler',
          }),
    });
    // Lambda's Function makes its resource depend on the whole role: a DependsOn on the role that
    // `Role: GetAtt` already enforces (cfn-lint W3005). Keep only the default policy's, which
    // must exist before the function is invoked.
    const policy = role.node.findChild('DefaultPolicy').node.defaultChild as CfnResource;
    (this.node.defaultChild as CfnResource).addOverride('DependsOn', [
      Stack.of(this).getLogicalId(policy),
    ]);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the pinned runtime the services are built and tested for (esbuild target node22); moving to a newer runtime is a deliberate, tested upgrade, not an automatic one.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (Resource "*").',
    });
  }

  /** Throws a readable error when the props cannot make a working function. */
  private static validate(id: string, props: SyncFunctionProps): void {
    if (props.serviceName.trim() === '') {
      throw new Error(`SyncFunction ${id}: serviceName must not be empty`);
    }
    if ((props.bundle ?? true) && !existsSync(join(REPOSITORY_ROOT, props.entry))) {
      throw new Error(
        `SyncFunction ${id}: entry ${props.entry} does not exist (paths are relative to the repository root)`,
      );
    }
    const memory = props.memorySize ?? 256;
    if (!Number.isInteger(memory) || memory < 128 || memory > 10240) {
      throw new Error(`SyncFunction ${id}: memorySize must be an integer from 128 to 10240 MiB`);
    }
    const seconds = props.timeout.toSeconds();
    if (seconds < 1 || seconds > 900) {
      throw new Error(`SyncFunction ${id}: timeout must be 1 s to 15 min, got ${seconds} s`);
    }
  }
}
