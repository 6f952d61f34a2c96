/**
 * Coerces a request's variables against the operation's declarations. Same rules as
 * graphql-js `getVariableValues`, but a single pass without its per-value overhead: a 100-row
 * `objects` variable is the hot path of every sync request.
 */
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLInt,
  type GraphQLSchema,
  GraphQLString,
  isEnumType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  type OperationDefinitionNode,
  typeFromAST,
  valueFromAST,
} from 'graphql';
import { HasuraError } from './errors.js';

const describe = (value: unknown): string => (value === null ? 'null' : typeof value);

/**
 * Where a value sits in the variables, built into a string only for an error message: the
 * happy path allocates one link per list item and concatenates nothing.
 */
type Path = string | { readonly up: Path; readonly key: string | number };

const render = (path: Path): string => {
  if (typeof path === 'string') return path;
  const up = render(path.up);
  return typeof path.key === 'number' ? `${up}[${path.key}]` : `${up}.${path.key}`;
};

const fail = (path: Path, message: string): never => {
  throw new HasuraError('validation-failed', message, render(path));
};

/** Coerces one value of a fixed input type, found at `path`. */
type Coercer = (value: unknown, path: Path) => unknown;

const compiled = new WeakMap<GraphQLInputType, Coercer>();

/** The coercer of `type`, compiled once per type object (a schema rebuild makes new ones). */
const coercerOf = (type: GraphQLInputType): Coercer => {
  let coercer = compiled.get(type);
  if (coercer === undefined) {
    coercer = compile(type);
    compiled.set(type, coercer);
  }
  return coercer;
};

const compile = (type: GraphQLInputType): Coercer => {
  if (isNonNullType(type)) {
    const name = type.ofType.toString();
    const inner = coercerOf(type.ofType);
    return (value, path) =>
      value === null || value === undefined
        ? fail(path, `unexpected null value for type "${name}"`)
        : inner(value, path);
  }
  if (isListType(type)) {
    const item = coercerOf(type.ofType);
    return (value, path) => {
      if (value === null || value === undefined) return null;
      // A single value where a list is expected is a one-element list (GraphQL input coercion).
      if (!Array.isArray(value)) return [item(value, path)];
      const out = new Array<unknown>(value.length);
      for (let index = 0; index < value.length; index += 1) {
        out[index] = item(value[index], { up: path, key: index });
      }
      return out;
    };
  }
  if (isInputObjectType(type)) return compileInputObject(type);
  return nullable(compileLeaf(type));
};

/** A leaf coercer that also lets null through (nullability is the NonNull wrapper's). */
const nullable =
  (leaf: Coercer): Coercer =>
  (value, path) =>
    value === null || value === undefined ? null : leaf(value, path);

const compileInputObject = (type: GraphQLInputObjectType): Coercer => {
  // Fields are compiled on first use: input types may refer to themselves (`_and: [T!]`).
  let fields: Map<string, { coerce: Coercer; field: GraphQLInputField }> | undefined;
  let implied: GraphQLInputField[] = [];
  const fieldsOf = () => {
    if (fields === undefined) {
      const all = Object.values(type.getFields());
      fields = new Map(all.map((field) => [field.name, { coerce: coercerOf(field.type), field }]));
      implied = all.filter(
        (field) => field.defaultValue !== undefined || isNonNullType(field.type),
      );
    }
    return fields;
  };
  return (value, path) => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object' || Array.isArray(value)) {
      return fail(path, `expected an object for type "${type.name}", but found ${describe(value)}`);
    }
    const known = fieldsOf();
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      const entry = known.get(name);
      if (entry === undefined) {
        return fail({ up: path, key: name }, `field "${name}" not found in type: '${type.name}'`);
      }
      out[name] = entry.coerce(item, { up: path, key: name });
    }
    for (const field of implied) {
      if (Object.hasOwn(out, field.name)) continue;
      if (field.defaultValue !== undefined) out[field.name] = field.defaultValue;
      else fail(path, `missing required field '${field.name}'`);
    }
    return out;
  };
};

const compileLeaf = (type: GraphQLInputType): Coercer => {
  if (isEnumType(type)) {
    return (value, path) => {
      const enumValue = typeof value === 'string' ? type.getValue(value) : undefined;
      if (enumValue === undefined || enumValue === null) {
        const names = type.getValues().map((v) => `'${v.name}'`);
        return fail(
          path,
          `expected one of the values [${names.join(', ')}] for type '${type.name}', but found ${JSON.stringify(value)}`,
        );
      }
      return enumValue.value;
    };
  }
  if (type === GraphQLInt) {
    return (value, path) =>
      typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2147483647
        ? fail(path, `expected a 32-bit integer for type "Int", but found ${describe(value)}`)
        : value;
  }
  if (type === GraphQLFloat) {
    return (value, path) =>
      typeof value !== 'number'
        ? fail(path, `expected a float for type "Float", but found ${describe(value)}`)
        : value;
  }
  if (type === GraphQLString || type === GraphQLID) {
    const id = type === GraphQLID;
    return (value, path) => {
      if (typeof value === 'string') return value;
      if (id && typeof value === 'number') return String(value);
      return fail(path, `expected a string for type "${type.name}", but found ${describe(value)}`);
    };
  }
  if (type === GraphQLBoolean) {
    return (value, path) =>
      typeof value !== 'boolean'
        ? fail(path, `expected a boolean for type "Boolean", but found ${describe(value)}`)
        : value;
  }
  // Column scalars (timestamptz, jsonb, bigint…) go to PostgreSQL as they are; it validates.
  return (value) => value;
};

/**
 * Coerces `inputs` against the operation's variable definitions, applying defaults.
 *
 * @throws {@link HasuraError} `validation-failed` at `$.variableValues.<name>` on a bad value
 */
export const coerceVariables = (
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Readonly<Record<string, unknown>>,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (type === undefined || !isInputType(type)) continue;
    const path = `$.variableValues.${name}`;
    if (!Object.hasOwn(inputs, name)) {
      if (definition.defaultValue !== undefined) {
        out[name] = valueFromAST(definition.defaultValue, type);
      } else if (isNonNullType(type)) {
        fail('$.variableValues', `expecting a value for non-nullable variable: "${name}"`);
      }
      continue;
    }
    out[name] = coercerOf(type)(inputs[name], path);
  }
  return out;
};
