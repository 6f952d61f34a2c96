import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CognitoHasuraSyncStack,
  type CognitoHasuraSyncStackProps,
} from '../../infra/stacks/CognitoHasuraSyncStack.js';

/** The Hasura endpoint the fixtures deploy against. */
export const HASURA_ENDPOINT = 'https://hasura.example.com/v1/graphql';

/** An account and region for stacks that need a concrete environment. */
export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/** A synthesized stack and its template. */
export interface SynthesizedStack {
  readonly app: App;
  readonly stack: CognitoHasuraSyncStack;
  readonly template: Template;
}

/**
 * Synthesizes the stack with stub code (no bundling) unless the props say otherwise.
 *
 * @param props - props over the defaults (endpoint, `bundle: false`).
 */
export const synthStack = (props: Partial<CognitoHasuraSyncStackProps> = {}): SynthesizedStack => {
  const app = new App();
  const stack = new CognitoHasuraSyncStack(app, 'Test', {
    hasuraGraphqlEndpoint: HASURA_ENDPOINT,
    bundle: false,
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
};

/** A template resource: type and properties. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

/**
 * The logical id of the one resource of a type whose properties match; throws when there is
 * not exactly one, so assertions never silently pick the wrong resource.
 */
export const logicalIdOf = (
  template: Template,
  type: string,
  properties: Record<string, unknown> = {},
): string => {
  const matching =
    Object.keys(properties).length === 0
      ? template.findResources(type)
      : template.findResources(type, { Properties: properties });
  const found = Object.keys(matching);
  if (found.length !== 1) {
    throw new Error(`Expected one ${type} matching the properties, found ${found.length}`);
  }
  return found[0] as string;
};

/** The `Fn::GetAtt` of a resource's ARN. */
export const arnOf = (logicalId: string): { 'Fn::GetAtt': [string, string] } => ({
  'Fn::GetAtt': [logicalId, 'Arn'],
});

/** The logical id of the function whose `POWERTOOLS_SERVICE_NAME` is the given service. */
export const functionIdOf = (template: Template, service: string): string => {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, resource]) =>
      (resource as TemplateResource).Properties.Environment !== undefined &&
      JSON.stringify((resource as TemplateResource).Properties.Environment).includes(
        `"POWERTOOLS_SERVICE_NAME":"${service}"`,
      ),
  );
  if (found.length !== 1)
    throw new Error(`Expected one function of ${service}, found ${found.length}`);
  return (found[0] as [string, unknown])[0];
};

/** The properties of a resource by logical id. */
export const propertiesOf = (template: Template, logicalId: string): Record<string, unknown> => {
  const resource = template.toJSON().Resources[logicalId] as TemplateResource | undefined;
  if (resource === undefined) throw new Error(`No resource ${logicalId}`);
  return resource.Properties;
};

/** An IAM policy statement as synthesized. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every statement of the IAM policies attached to a function's role. */
export const statementsOfFunction = (template: Template, functionId: string): Statement[] => {
  const role = propertiesOf(template, functionId).Role as { 'Fn::GetAtt': [string, string] };
  const roleId = role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((resource) => (resource as TemplateResource).Properties)
    .filter((policy) => JSON.stringify(policy.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.PolicyDocument as { Statement: Statement[] }).Statement);
};

/** The actions of statements, flattened. */
export const actionsOf = (statements: readonly Statement[]): string[] =>
  statements.flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );
