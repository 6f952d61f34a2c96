/**
 * The CDK app (`cdk.json` runs it with tsx): one `CognitoHasuraSyncStack`, configured from the
 * context (`-c key=value`, see docs/infrastructure.md), checked by cdk-nag's AwsSolutions pack.
 * It needs no AWS credentials: without CDK_DEFAULT_ACCOUNT/REGION the stack is
 * environment-agnostic and nothing is looked up.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  ContextKey,
  contextBoolean,
  contextString,
  stackPropsFromContext,
} from './stackPropsFromContext.js';
import { CognitoHasuraSyncStack } from './stacks/CognitoHasuraSyncStack.js';

const app = new App();
const read = (key: string): unknown => app.node.tryGetContext(key);
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

new CognitoHasuraSyncStack(app, contextString(read, ContextKey.stackName) ?? 'CognitoHasuraSync', {
  ...stackPropsFromContext(read),
  description: 'cognito-hasura-sync: Cognito logins → EventBridge → SQS → Hasura users table',
  ...(account === undefined || region === undefined ? {} : { env: { account, region } }),
});

if (contextBoolean(read, ContextKey.nag, true)) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

app.synth();
