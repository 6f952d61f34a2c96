/**
 * graphql-js validation and coercion errors → Hasura's messages, codes and JSON paths
 * (`$.selectionSet.insert_users.args.objects`), so clients see what a real Hasura answers.
 */
import { type ASTNode, type DocumentNode, type GraphQLError, Kind, visit } from 'graphql';
import { HasuraError } from './errors.js';

/** The Hasura-style JSON path of a node of the document (`$` when it cannot be placed). */
export const pathOf = (document: DocumentNode, target: ASTNode | undefined): string => {
  if (target === undefined) return '$';
  const stack: string[] = [];
  let found: string | undefined;
  visit(document, {
    enter(node) {
      if (found !== undefined) return false;
      if (node.kind === Kind.FIELD) stack.push(`selectionSet.${node.name.value}`);
      else if (node.kind === Kind.ARGUMENT) stack.push(`args.${node.name.value}`);
      else if (node.kind === Kind.OBJECT_FIELD) stack.push(node.name.value);
      else if (node.kind === Kind.VARIABLE_DEFINITION) return false;
      if (node === target) {
        found = stack.length === 0 ? '$' : `$.${stack.join('.')}`;
        return false;
      }
      return undefined;
    },
    leave(node) {
      if (
        node.kind === Kind.FIELD ||
        node.kind === Kind.ARGUMENT ||
        node.kind === Kind.OBJECT_FIELD
      ) {
        stack.pop();
      }
    },
  });
  return found ?? '$';
};

type Rewrite = [RegExp, (match: RegExpMatchArray) => string, ('$' | 'node')?];

/** graphql-js message patterns and Hasura's wording for them. */
const REWRITES: readonly Rewrite[] = [
  [
    /^Cannot query field "(.+?)" on type "(.+?)"\./,
    (m) => `field "${m[1]}" not found in type: '${m[2]}'`,
  ],
  [
    /^Field "(.+?)" is not defined by type "(.+?)"\./,
    (m) => `field "${m[1]}" not found in type: '${m[2]}'`,
  ],
  [
    /^Unknown argument "(.+?)" on field "(?:.+?)\.(.+?)"\./,
    (m) => `'${m[2]}' has no argument named '${m[1]}'`,
  ],
  [
    /^Field "(?:.+?)" argument "(.+?)" of type "(?:.+?)" is required, but it was not provided\./,
    (m) => `missing required field '${m[1]}'`,
  ],
  [
    /^Field "(?:.+?)\.(.+?)" of required type "(?:.+?)" was not provided\./,
    (m) => `missing required field '${m[1]}'`,
  ],
  [
    /^Variable "\$(.+?)" of type "(.+?)" used in position expecting type "(.+?)"\./,
    (m) => `variable '${m[1]}' is declared as '${m[2]}', but used where '${m[3]}' is expected`,
  ],
  [/^Schema is not configured to execute mutation operation\./, () => 'no mutations exist', '$'],
  [
    /^Schema is not configured to execute subscription operation\./,
    () => 'no subscriptions exist',
    '$',
  ],
  [
    /^Field "(.+?)" of type "(.+?)" must have a selection of subfields\./,
    (m) => `missing selection set for "${m[2]?.replace(/[[\]!]/g, '')}"`,
  ],
  [/^Unknown type "(.+?)"\./, (m) => `variable type "${m[1]}" not found`],
  [/^Variable "\$(.+?)" is not defined/, (m) => `unbound variable "${m[1]}"`],
];

/** Maps one graphql-js validation error to Hasura's error. */
export const fromValidationError = (document: DocumentNode, error: GraphQLError): HasuraError => {
  for (const [pattern, message, where] of REWRITES) {
    const match = error.message.match(pattern);
    if (match !== null) {
      const path = where === '$' ? '$' : pathOf(document, error.nodes?.at(-1));
      return new HasuraError('validation-failed', message(match), path);
    }
  }
  return new HasuraError('validation-failed', error.message, pathOf(document, error.nodes?.at(-1)));
};

/** Maps a variable coercion error (`getVariableValues`) to Hasura's error. */
export const fromVariableError = (error: GraphQLError): HasuraError => {
  const name = error.message.match(/^Variable "\$(.+?)"/)?.[1];
  const required = error.message.match(
    /^Variable "\$(.+?)" of required type "(.+?)" was not provided\./,
  );
  if (required !== null) {
    return new HasuraError(
      'validation-failed',
      `expecting a value for non-nullable variable: "${required[1]}"`,
      '$.variableValues',
    );
  }
  return new HasuraError(
    'validation-failed',
    error.message,
    name === undefined ? '$.variableValues' : `$.variableValues.${name}`,
  );
};
