/**
 * Parameters of one SQL statement and the text encoding of GraphQL values for them. Every value
 * goes to PostgreSQL as text with an explicit cast to the column type, as Hasura does, so the
 * database (not this engine) parses timestamps, numerics, json, … and reports bad input.
 */
import type { ColumnInfo } from './catalog.js';
import { HasuraError } from './errors.js';

/** The session of a request: role and session variables (names lower-cased). */
export interface Session {
  /** The role the request runs as. */
  role: string;
  /** Session variables, keys lower-cased (`x-hasura-user-id`). */
  variables: Readonly<Record<string, string>>;
  /** Whether the request proved the admin secret (backend-only permissions). */
  isAdminSecret: boolean;
}

/** Whether a metadata value names a session variable (`X-Hasura-User-Id`, any case). */
export const isSessionVariable = (value: unknown): value is string =>
  typeof value === 'string' && value.toLowerCase().startsWith('x-hasura-');

/** Reads a session variable or throws Hasura's "missing session variables" error. */
export const sessionValue = (session: Session, name: string): string => {
  const key = name.toLowerCase();
  const value = session.variables[key];
  if (value === undefined) {
    throw new HasuraError('not-found', `missing session variables: "${key}"`, '$');
  }
  return value;
};

const quoteArrayElement = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return toArrayLiteral(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
};

/** A PostgreSQL array literal (`{"a","b"}`) for a JS array. */
export const toArrayLiteral = (values: readonly unknown[]): string =>
  `{${values.map(quoteArrayElement).join(',')}}`;

/** Encodes a GraphQL input value as the text PostgreSQL parses for a column of `column`'s type. */
export const encodeValue = (value: unknown, column: Pick<ColumnInfo, 'udtName'>): unknown => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (column.udtName === 'json' || column.udtName === 'jsonb') return JSON.stringify(value);
  if (Array.isArray(value) && column.udtName.startsWith('_')) return toArrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** The parameters of one statement. */
export class SqlParams {
  /** Values in `$n` order. */
  public readonly values: unknown[] = [];

  /** Adds a raw parameter and returns its placeholder. */
  public add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Adds a value for `column`, cast to the column's type. */
  public typed(value: unknown, column: Pick<ColumnInfo, 'udtName' | 'sqlType'>): string {
    return `${this.add(encodeValue(value, column))}::${column.sqlType}`;
  }

  /** Adds a list for `= ANY(…)`, cast to an array of the column's type. */
  public typedList(value: unknown, column: Pick<ColumnInfo, 'udtName' | 'sqlType'>): string {
    const text = Array.isArray(value)
      ? toArrayLiteral(value.map((item) => encodeValue(item, column)))
      : value;
    return `${this.add(text)}::${column.sqlType}[]`;
  }
}
