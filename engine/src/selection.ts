/**
 * Selection sets → SQL that builds the response JSON in PostgreSQL (as Hasura does), so values
 * come out in PostgreSQL's own JSON format (timestamps, numerics, json columns) and the engine
 * only concatenates text. Fragments and `__typename` are supported; relationships are not.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  typeFromAST,
} from 'graphql';
import { quoteIdent } from './database.js';
import { HasuraError } from './errors.js';

/** Fragments of the document, by name. */
export type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** A field of a selection set, with its response key. */
export interface CollectedField {
  /** Response key (alias or field name). */
  key: string;
  /** The field node (first one when merged). */
  node: FieldNode;
}

/** Collects the fields of a selection set for an object type, following fragments. */
export const collectFields = (
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: Fragments,
  into: CollectedField[] = [],
): CollectedField[] => {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (!into.some((field) => field.key === key)) into.push({ key, node: selection });
      continue;
    }
    const fragment =
      selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
    if (fragment === undefined) continue;
    const condition = fragment.typeCondition;
    if (condition !== undefined) {
      const conditionType = typeFromAST(schema, condition);
      if (conditionType !== undefined && conditionType.name !== type.name) continue;
    }
    collectFields(schema, type, fragment.selectionSet, fragments, into);
  }
  return into;
};

/** SQL string literal. */
export const sqlLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * `json_build_object(…)` for a row of a table type, over the SQL alias `alias`.
 *
 * @example
 * rowJsonSql(schema, usersType, field.selectionSet, {}, '"r"') // json_build_object('id', "r"."id")
 */
export const rowJsonSql = (
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
  alias: string,
  path: string,
): string => {
  if (selectionSet === undefined) return 'NULL';
  const pairs: string[] = [];
  for (const { key, node } of collectFields(schema, type, selectionSet, fragments)) {
    const name = node.name.value;
    if (name === '__typename') {
      pairs.push(`${sqlLiteral(key)}, ${sqlLiteral(type.name)}`);
      continue;
    }
    const field = type.getFields()[name];
    if (field === undefined || isObjectType(getNamedType(field.type))) {
      throw new HasuraError(
        'validation-failed',
        `field "${name}" not found in type: '${type.name}'`,
        `${path}.selectionSet.${name}`,
      );
    }
    pairs.push(`${sqlLiteral(key)}, ${alias}.${quoteIdent(name)}`);
  }
  return buildObject(pairs);
};

/** `json_build_object` takes at most 100 arguments: wider objects are built in chunks. */
export const buildObject = (pairs: readonly string[]): string => {
  if (pairs.length <= 50) return `json_build_object(${pairs.join(', ')})`;
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) {
    chunks.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(', ')})`);
  }
  // jsonb loses key order; only tables of more than 50 selected columns take this path.
  return `(${chunks.join(' || ')})::json`;
};
